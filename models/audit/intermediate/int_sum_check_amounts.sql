-- Every counted printed amount (repeat printings excluded), with the capital scope of its parts
-- and the block that holds them: the totals and parts every sum-check family compares.
-- A table incremental by feed partition (dbt_project.yml), computed once: the five models that
-- read it (every family, the source values) read its integer block keys instead of hashing the
-- block columns again each (a view was recomputed by each of them); each filters it by partition
-- in its root CTE.
with

printings as (

    select * from {{ ref('int_plan_amounts_printings') }}
    where {{ in_rebuilt_partitions() }}

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

-- the block and period of each amount, and of its parts, as one integer each (row_hash of
-- block_and_period_columns but the partition, which joins keep as a column of its own): family 3
-- groups and joins on them instead of nine columns; tests/dbt/block_keys_are_unique proves that no
-- two blocks of a partition share a key
final as (

    select
        checked_amounts.*,
        {{ row_hash(block_key_columns('checked_amounts')) }} as block_key,
        {{ row_hash(block_key_columns('checked_amounts', 'parts_statement_group')) }}
            as parts_block_key
    from checked_amounts

)

select * from final
