-- Every counted printed amount (repeat printings excluded), with the capital scope of its parts
-- and the block that holds them: the totals and parts every sum-check family compares.
-- A view: each family filters it by partition in its root CTE, and the filter reaches the
-- printings table through it (no CTE here is read twice, so none is materialized).
with

printings as (

    select * from {{ ref('int_plan_amounts_printings') }}

),

statement_groups as (

    select * from {{ ref('int_statement_groups') }}

),

cells as (

    select {{ star_exclude(['is_repeat_printing']) }}
    from printings
    where not is_repeat_printing

),

checked_amounts as (

    -- every printed amount, with the block holding its parts and the capital scope of its parts
    select
        cells.*,
        case
            when cells.capital_type_code in ('total', 'unspecified') then 'all'
            else cells.capital_type_code
        end as capital_scope,
        coalesce(statement_groups.parts_statement_group, cells.statement_group)
            as parts_statement_group
    from cells
    inner join statement_groups
        on
            cells.document_id = statement_groups.document_id
            and cells.statement_group = statement_groups.statement_group

),

final as (

    select * from checked_amounts

)

select * from final
