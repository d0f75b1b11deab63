-- The most detailed printed amounts (leaves): one row per printed amount (document or feed) that
-- no other printed row breaks down further and that is not a repeat of the same cell. See
-- _core__models.yml. A table although intermediate: several models and tests read it, and
-- running the self-join once instead of once per reader keeps a feed of tens of millions of line
-- items within time and memory.
-- Incremental by feed partition (dbt_project.yml, macros/delete_rebuilt_partitions.sql): a refresh
-- recomputes only the partitions whose files changed (delete, then insert); every other run all rows.
with

printings as (

    select * from {{ ref('int_plan_amounts_printings') }}
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

    select {{ star_exclude(['printings.is_repeat_printing'], 'printings') }}
    from printings
    inner join statement_groups
        on
            printings.document_id = statement_groups.document_id
            and printings.statement_group = statement_groups.statement_group
    where
        statement_groups.provides_leaves
        and not printings.is_repeat_printing
        and printings.amount_basis = statement_groups.leaf_amount_basis
        and printings.funding_source_code != 'total'
        and printings.capital_type_code != 'total'

),

broken_down_further as (

    select distinct parent.amount_id
    from candidates as parent
    inner join component_ancestry
        on parent.component_code = component_ancestry.ancestor_code
    inner join candidates as child
        on
            component_ancestry.descendant_code = child.component_code
            and {{ same_block_and_period('parent', 'child') }}
            and parent.funding_source_code = child.funding_source_code
            and parent.capital_type_code = child.capital_type_code

),

final as (

    select candidates.*
    from candidates
    left join broken_down_further
        on candidates.amount_id = broken_down_further.amount_id
    where broken_down_further.amount_id is null

)

select * from final
