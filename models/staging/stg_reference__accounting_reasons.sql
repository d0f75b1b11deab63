with

source as (

    select * from {{ ref('accounting_reasons') }}

),

final as (

    select
        -- ids
        reason_code,

        -- strings
        amount_kind,
        description,

        -- booleans
        cast(is_in_marts as boolean) as is_in_marts

    from source

)

select * from final
