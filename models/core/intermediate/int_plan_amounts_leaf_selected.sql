-- The most detailed printed amounts (leaves): one row per printed amount (document or feed) that
-- no other printed row breaks down further and that is not a repeat of the same cell. See
-- _core__models.yml. A table although intermediate: several models and tests read it, and
-- running the self-join once instead of once per reader keeps a feed of tens of millions of line
-- items within time and memory.
-- Incremental by feed partition (dbt_project.yml, macros/delete_rebuilt_partitions.sql): a refresh
-- recomputes only the partitions whose files changed (delete, then insert); other runs all rows.
with

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

-- the printings that may be leaves, every column; inlined (inline_cte) where each reader reads
-- it, so that the descendant keys and the full rows kept each read only their columns and no
-- candidate set of tens of millions of rows is held whole
leaf_candidates as {{ inline_cte() }} (

    select printed.*
    from {{ ref('int_plan_amounts_printings') }} as printed
    inner join statement_groups
        on
            printed.document_id = statement_groups.document_id
            and printed.statement_group = statement_groups.statement_group
    where
        {{ in_rebuilt_partitions('printed.source_partition') }}
        -- a leaf comes from a block that provides leaves, in its leaf basis; no repeat of another
        -- printing, no total over sources or capital types
        and statement_groups.provides_leaves
        and not printed.is_repeat_printing
        and printed.amount_basis = statement_groups.leaf_amount_basis
        and printed.funding_source_code != 'total'
        and printed.capital_type_code != 'total'

),

-- where a component is broken down further: one row per block, period, source, capital type and
-- ancestor component that has at least one descendant amount
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
    from leaf_candidates as child
    inner join component_ancestry
        on child.component_code = component_ancestry.descendant_code

),

-- the candidates, every column, that no descendant breaks down: an anti-join whose hash table
-- holds the descendant keys alone
final as (

    select {{ star_exclude(['parent.is_repeat_printing'], 'parent') }}
    from leaf_candidates as parent
    where
        not exists (
            select 1
            from descendant_keys as child
            where
                parent.component_code = child.ancestor_code
                and {{ same_block_and_period('parent', 'child') }}
                and parent.funding_source_code = child.funding_source_code
                and parent.capital_type_code = child.capital_type_code
        )

)

select * from final
