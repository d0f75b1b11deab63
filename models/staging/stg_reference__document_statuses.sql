with

source as (

    select * from {{ ref('document_statuses') }}

),

final as (

    select
        -- ids
        status,

        -- strings
        {{ nfc('name_vi') }} as name_vi,
        name_en,
        description,

        -- numerics
        cast(precedence_order as integer) as precedence_order

    from source

)

select * from final
