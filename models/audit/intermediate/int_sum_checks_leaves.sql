-- Families 4 and 5 of the sum checks, against the annual leaves: an amount restated over a
-- period = the leaves of its years; a per-year amount that is not a leaf = the leaves of each
-- year it claims.
-- A table incremental by feed partition (dbt_project.yml): a refresh computes only the changed
-- partitions' rows, reading only their printings (the filter in the root CTEs).
with

-- inlined where each reader reads it (macros/dialect/default__inline_cte.sql): kept whole, every
-- column of every printing spilled at 10M (this model took 59 s replayed, 6.6 s inlined)
checked_amounts as {{ inline_cte() }} (

    select * from {{ ref('int_sum_check_amounts') }}
    where {{ in_rebuilt_partitions() }}

),

statement_groups as (

    select * from {{ ref('int_statement_groups') }}

),

components as (

    select * from {{ ref('stg_reference__program_components') }}

),

-- inlined where each reader reads it, likewise
leaves as {{ inline_cte() }} (

    select * from {{ ref('int_plan_amounts_annualized') }}
    where {{ in_rebuilt_partitions() }}

),

-- family 4: an amount restated over a period (text vs appendix, a period column vs the per-year
-- columns) = the sum of the document's leaves for its components, sources, capital and years
restatements as (

    select checked_amounts.*
    from checked_amounts
    inner join statement_groups
        on
            checked_amounts.document_id = statement_groups.document_id
            and checked_amounts.statement_group = statement_groups.statement_group
    where
        statement_groups.restates_leaves
        or (
            statement_groups.leaf_amount_basis = 'per_year'
            and checked_amounts.amount_basis = 'period_total'
        )

),

leaf_ids as (

    select distinct
        source_partition,
        amount_id
    from leaves

),

-- family 5: a per-year amount that is not itself a leaf (a per-year total, a per-year restatement)
-- claims its value for each year of its period: it is compared with the leaves of every one of them
per_year_amounts as (

    select
        checked_amounts.*,
        {{ unnest_series('checked_amounts.period_start_year', 'checked_amounts.period_end_year') }}
            as claimed_year
    from checked_amounts
    left join leaf_ids
        on
            checked_amounts.source_partition = leaf_ids.source_partition
            and checked_amounts.amount_id = leaf_ids.amount_id
    where
        checked_amounts.amount_basis = 'per_year'
        and leaf_ids.amount_id is null

),

leaf_windows as (

    -- the years whose leaves each comparison sums: the whole period, or one claimed year
    select
        amount_id,
        source_partition,
        'restatement_equals_leaves' as check_code,
        cast(null as integer) as fiscal_year,
        period_start_year as first_year,
        period_end_year as last_year
    from restatements

    union all

    select
        amount_id,
        source_partition,
        'per_year_total_equals_leaves' as check_code,
        claimed_year as fiscal_year,
        claimed_year as first_year,
        claimed_year as last_year
    from per_year_amounts

),

leaf_comparisons as (

    select
        leaf_windows.amount_id,
        leaf_windows.source_partition,
        leaf_windows.check_code,
        leaf_windows.fiscal_year,
        leaves.amount_id as leaf_amount_id,
        leaves.fiscal_year as leaf_fiscal_year,
        leaves.amount_million_vnd
    from leaf_windows
    inner join checked_amounts as compared
        on
            leaf_windows.source_partition = compared.source_partition
            and leaf_windows.amount_id = compared.amount_id
    left join leaves
        on
            compared.source_partition = leaves.source_partition
            and compared.document_id = leaves.document_id
            and compared.geography_code = leaves.geography_code
            and compared.phase_code = leaves.phase_code
            and leaves.fiscal_year between leaf_windows.first_year and leaf_windows.last_year
            and (
                compared.capital_scope = 'all'
                or compared.capital_scope = leaves.capital_type_code
            )
            and (
                compared.funding_source_code = leaves.funding_source_code
                or {{ pipe_list_contains(
                    'compared.sums_funding_sources', 'leaves.funding_source_code'
                ) }}
            )
    left join components
        on leaves.component_code = components.component_code
    where
        leaves.amount_id is null
        or compared.component_code in (
            'ALL', leaves.component_code, components.parent_component_code
        )

),

leaf_checks as (

    -- a window without any leaf is an incomplete breakdown (0 of at least 1 part found)
    select
        amount_id,
        source_partition,
        check_code,
        fiscal_year,
        coalesce(sum(amount_million_vnd), 0) as computed_amount_million_vnd,
        count(leaf_amount_id) as n_parts_found,
        greatest(count(leaf_amount_id), 1) as n_parts_expected,
        count(distinct leaf_amount_id) || ' leaf amounts over '
        || coalesce(cast(min(leaf_fiscal_year) as {{ dbt.type_string() }}), 'no year') || '-'
        || coalesce(cast(max(leaf_fiscal_year) as {{ dbt.type_string() }}), 'no year')
            as parts_detail
    from leaf_comparisons
    group by amount_id, source_partition, check_code, fiscal_year

),

final as (

    select * from leaf_checks

)

select * from final
