-- The most detailed printed amounts (leaves): one row per printed amount (document or feed) that
-- no other printed row breaks down further and that is not a repeat of the same cell. See
-- _core__models.yml. A table although intermediate: several models and tests read it, and
-- running the self-join once instead of once per reader keeps a feed of tens of millions of line
-- items within time and memory.
-- Incremental by feed partition (dbt_project.yml, macros/delete_rebuilt_partitions.sql): a refresh
-- recomputes only the partitions whose files changed (delete, then insert); other runs all rows.
with

printings as (

    select * from {{ ref('int_plan_amounts_printings') }}
    where {{ in_rebuilt_partitions() }}

),

-- the same rows, only the columns the self-join compares: the candidates are read three times,
-- and what is read more than once is computed once and held (narrow rows stay in memory)
printed_cells as (

    select
        amount_id,
        source_partition,
        document_id,
        statement_group,
        geography_code,
        component_code,
        funding_source_code,
        capital_type_code,
        phase_code,
        amount_basis,
        period_start_year,
        period_end_year,
        period_month,
        is_repeat_printing
    from {{ ref('int_plan_amounts_printings') }}
    where {{ in_rebuilt_partitions() }}

),

statement_groups as (

    select * from {{ ref('int_statement_groups') }}

),

components as (

    select * from {{ ref('stg_reference__program_components') }}

),

component_ancestry as (

    select
        child.component_code as descendant_code,
        child.parent_component_code as ancestor_code
    from components as child
    where child.parent_component_code is not null

    union all

    select
        child.component_code as descendant_code,
        parent.parent_component_code as ancestor_code
    from components as child
    inner join components as parent
        on child.parent_component_code = parent.component_code
    where parent.parent_component_code is not null

),

candidates as (

    select printed_cells.*
    from printed_cells
    inner join statement_groups
        on
            printed_cells.document_id = statement_groups.document_id
            and printed_cells.statement_group = statement_groups.statement_group
    where
        statement_groups.provides_leaves
        and not printed_cells.is_repeat_printing
        and printed_cells.amount_basis = statement_groups.leaf_amount_basis
        and printed_cells.funding_source_code != 'total'
        and printed_cells.capital_type_code != 'total'

),

-- where a component is broken down further: one row per block, period, source, capital type and
-- ancestor component that has at least one descendant amount (distinct, so that each parent below
-- matches at most one row instead of every one of its descendants' amounts)
descendant_keys as (

    select distinct
        component_ancestry.ancestor_code,
        child.source_partition,
        child.document_id,
        child.statement_group,
        child.geography_code,
        child.phase_code,
        child.amount_basis,
        child.period_start_year,
        child.period_end_year,
        child.period_month,
        child.funding_source_code,
        child.capital_type_code
    from candidates as child
    inner join component_ancestry
        on child.component_code = component_ancestry.descendant_code

),

broken_down_further as (

    select parent.amount_id
    from candidates as parent
    inner join descendant_keys as child
        on
            parent.component_code = child.ancestor_code
            and {{ same_block_and_period('parent', 'child') }}
            and parent.funding_source_code = child.funding_source_code
            and parent.capital_type_code = child.capital_type_code

),

final as (

    select {{ star_exclude(['printings.is_repeat_printing'], 'printings') }}
    from printings
    inner join candidates
        on printings.amount_id = candidates.amount_id
    left join broken_down_further
        on candidates.amount_id = broken_down_further.amount_id
    where broken_down_further.amount_id is null

)

select * from final
