-- The most detailed printed amounts (leaves): one row per printed amount (document or feed) that
-- no other printed row breaks down further and that is not a repeat of the same cell; and every
-- printed total over sources or capital types that nothing in its block breaks down, as a leaf of
-- the source (capital type) `unspecified`. See _core__models.yml. A table although intermediate:
-- several models and tests read it. Incremental by feed partition (dbt_project.yml). Its joins
-- keep the build sides written here (macros/dialect/join_sides_as_written.sql).
{{ config(pre_hook=join_sides_as_written(), post_hook=join_sides_reset()) }}

with

statement_groups as (

    select * from {{ ref('int_statement_groups') }}

),

component_ancestry_or_self as (

    select * from {{ ref('int_component_ancestry') }}

),

component_ancestry as (

    select * from {{ ref('int_component_ancestry') }}
    where not is_self

),

-- the printings of blocks that provide leaves, in their leaf basis, that repeat no other printing;
-- every column; inlined (inline_cte) where each reader reads it, so that the descendant keys and
-- the full rows kept each read only their columns and no candidate set of tens of millions of
-- rows is held whole
block_printings as {{ inline_cte() }} (

    select printed.*
    from {{ ref('int_plan_amounts_printings') }} as printed
    inner join statement_groups
        on
            printed.document_id = statement_groups.document_id
            and printed.statement_group = statement_groups.statement_group
    where
        {{ in_rebuilt_partitions('printed.source_partition') }}
        and statement_groups.provides_leaves
        and not printed.is_repeat_printing
        and printed.amount_basis = statement_groups.leaf_amount_basis

),

-- the printings that may be leaves: no total over sources or capital types
leaf_candidates as {{ inline_cte() }} (

    select * from block_printings
    where funding_source_code != 'total' and capital_type_code != 'total'

),

-- the printed totals over sources or capital types: a total that nothing breaks down is a leaf
-- of what it does not say (below)
total_candidates as {{ inline_cte() }} (

    select * from block_printings
    where funding_source_code = 'total' or capital_type_code = 'total'

),

-- where such totals are: the equalities of macros/overlaps_below.sql, so that only the printings
-- that could lie below one of them are kept as breakdowns (not every printing of every document)
total_keys as (

    select distinct
        source_partition,
        document_id,
        geography_code,
        phase_code,
        component_code
    from total_candidates

),

-- every printing that could break such a total down, in any block or basis (a document may print
-- a total in one block and its parts in another): as breakdown keys of the component itself or
-- the ancestor that has a total (not made distinct: they stream through the join below)
breakdowns as (

    select
        component_ancestry_or_self.ancestor_code as covered_code,
        part.component_code,
        part.source_partition,
        part.document_id,
        part.geography_code,
        part.phase_code,
        part.period_start_year,
        part.period_end_year,
        part.period_month,
        part.as_of_date,
        part.funding_source_code,
        part.capital_type_code
    from {{ ref('int_plan_amounts_printings') }} as part
    inner join component_ancestry_or_self
        on part.component_code = component_ancestry_or_self.descendant_code
    inner join total_keys
        on
            part.source_partition = total_keys.source_partition
            and part.document_id = total_keys.document_id
            and part.geography_code = total_keys.geography_code
            and part.phase_code = total_keys.phase_code
            and component_ancestry_or_self.ancestor_code = total_keys.component_code
    where {{ in_rebuilt_partitions('part.source_partition') }}

),

-- the totals that another printing of their document breaks down or overlaps
-- (macros/overlaps_below.sql): a join whose hash table (its right side, kept as written) holds the
-- totals' keys, probed by the breakdowns streaming through, then one id per total (built on the
-- breakdowns instead, the join took three times as long: 8.5 s against 2.8 s at 1M)
broken_down_totals as (

    select distinct
        total.source_partition,
        total.amount_id
    from breakdowns as part
    inner join total_candidates as total
        on {{ overlaps_below('total', 'part') }}

),

-- the other totals: leaves of the source or capital type the document does not state. Lạng Sơn
-- prints DA4.1 once by source and once by capital type (004:115): each overlaps the other, so
-- neither becomes a leaf twice.
unitemised_totals as (

    select
        {{ star_exclude(['total.is_repeat_printing', 'total.funding_source_code',
            'total.capital_type_code'], 'total') }},
        case
            when total.funding_source_code = 'total' then 'unspecified'
            else total.funding_source_code
        end as funding_source_code,
        case
            when total.capital_type_code = 'total' then 'unspecified'
            else total.capital_type_code
        end as capital_type_code,
        true as is_unitemised_total
    from total_candidates as total
    where
        not exists (
            select 1
            from broken_down_totals
            where
                broken_down_totals.source_partition = total.source_partition
                and broken_down_totals.amount_id = total.amount_id
        )

),

-- a row per descendant amount of each ancestor component, in its block, period, source and
-- capital type (inlined where each reader reads it)
descendant_keys as {{ inline_cte() }} (

    select
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
        child.as_of_date,
        child.funding_source_code,
        child.capital_type_code
    from leaf_candidates as child
    inner join component_ancestry
        on child.component_code = component_ancestry.descendant_code

),

-- the same keys as one 64-bit hash each (row_hash), which only narrows the search: the exact
-- comparison below decides (an anti join holding the keys themselves spilled at 10M rows)
descendant_hashes as (

    select distinct {{ row_hash(descendant_key_columns('child', 'ancestor_code')) }} as key_hash
    from descendant_keys as child

),

-- the candidates that may have a descendant: their key's hash is a descendant's (the parents of
-- the tree, a fifth of the candidates)
possible_parents as (

    select parent.*
    from leaf_candidates as parent
    where
        {{ row_hash(descendant_key_columns('parent', 'component_code')) }}
        in (select descendant_hashes.key_hash from descendant_hashes)

),

-- the candidates a descendant breaks down, compared exactly: a join whose hash table holds the
-- possible parents, probed by the descendant keys streaming through, then one id per parent
broken_down_candidates as (

    select distinct
        parent.source_partition,
        parent.amount_id
    from descendant_keys as child
    inner join possible_parents as parent
        on
            child.ancestor_code = parent.component_code
            and {{ same_block_and_period('child', 'parent') }}
            and child.funding_source_code = parent.funding_source_code
            and child.capital_type_code = parent.capital_type_code

),

-- the candidates, every column, that no descendant breaks down: an anti join on their ids
itemised_leaves as (

    -- the columns in the order of unitemised_totals (a union by position on every engine)
    select
        {{ star_exclude(['parent.is_repeat_printing', 'parent.funding_source_code',
            'parent.capital_type_code'], 'parent') }},
        parent.funding_source_code,
        parent.capital_type_code,
        false as is_unitemised_total
    from leaf_candidates as parent
    where
        not exists (
            select 1
            from broken_down_candidates
            where
                broken_down_candidates.source_partition = parent.source_partition
                and broken_down_candidates.amount_id = parent.amount_id
        )

),

final as (

    select * from itemised_leaves
    union all
    select * from unitemised_totals

)

select * from final
