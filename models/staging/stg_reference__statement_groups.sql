with

source as (

    select * from {{ ref('statement_groups') }}

),

final as (

    select
        -- ids
        document_id,
        statement_group,

        -- strings
        leaf_amount_basis,
        parts_statement_group,
        {{ nfc('description') }} as description,

        -- booleans
        cast(provides_leaves as boolean) as provides_leaves,
        cast(restates_leaves as boolean) as restates_leaves

    from source

)

select * from final
