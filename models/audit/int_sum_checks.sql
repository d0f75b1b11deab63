-- Every comparison of a printed total with the sum of what it claims to sum, passing or not.
-- Five families (see _audit__models.yml); a per-year amount is compared in each year it claims.
with

printings as (

    select * from {{ ref('int_plan_amounts_printings') }}

),

statement_groups as (

    select * from {{ ref('stg_reference__statement_groups') }}

),

components as (

    select * from {{ ref('stg_reference__program_components') }}

),

leaves as (

    select * from {{ ref('int_plan_amounts_annualized') }}

),

cells as (

    select * exclude (is_repeat_printing)
    from printings
    where not is_repeat_printing

),

source_values as (

    -- one component × single funding source in a block: all capital types together ...
    select
        document_id,
        statement_group,
        component_code,
        funding_source_code,
        phase_code,
        amount_basis,
        period_start_year,
        period_end_year,
        'all' as capital_scope,
        coalesce(
            max(case when capital_type_code = 'total' then amount_million_vnd end),
            sum(case when capital_type_code != 'total' then amount_million_vnd end)
        ) as amount_million_vnd
    from cells
    where funding_source_code != 'total'
    group by all

    union all

    -- ... and each capital type on its own
    select
        document_id,
        statement_group,
        component_code,
        funding_source_code,
        phase_code,
        amount_basis,
        period_start_year,
        period_end_year,
        capital_type_code as capital_scope,
        sum(amount_million_vnd) as amount_million_vnd
    from cells
    where funding_source_code != 'total' and capital_type_code != 'total'
    group by all

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

totals as (

    select * from checked_amounts
    where is_printed_total

),

-- family 1: funding sources -> a total over sources (the document's own definition of total)
source_totals as (

    select
        *,
        unnest(string_split(sums_funding_sources, '|')) as part_source
    from totals
    where funding_source_code = 'total'

),

source_parts as (

    select
        totals.amount_id,
        totals.part_source,
        source_values.amount_million_vnd
    from source_totals as totals
    left join source_values
        on
            {{ same_block_and_period('totals', 'source_values') }}
            and totals.component_code = source_values.component_code
            and totals.part_source = source_values.funding_source_code
            and totals.capital_scope = source_values.capital_scope

),

source_checks as (

    select
        amount_id,
        'funding_sources_to_total' as check_code,
        sum(amount_million_vnd) as computed_amount_million_vnd,
        count(amount_million_vnd) as n_parts_found,
        count(*) as n_parts_expected,
        string_agg(
            part_source || '=' || coalesce(cast(amount_million_vnd as varchar), 'not printed'),
            '; ' order by part_source
        ) as parts_detail
    from source_parts
    group by amount_id
    -- sources are all printed, or the total has another breakdown (checked by another family)
    having count(amount_million_vnd) = count(*)

),

-- family 2: capital types -> a total over capital types
capital_parts as (

    select
        totals.amount_id,
        cells.capital_type_code as part_capital,
        cells.amount_million_vnd
    from totals
    inner join cells
        on
            {{ same_block_and_period('totals', 'cells') }}
            and totals.component_code = cells.component_code
            and totals.funding_source_code = cells.funding_source_code
            and totals.sums_funding_sources is not distinct from cells.sums_funding_sources
            and list_contains(string_split(totals.sums_capital_types, '|'), cells.capital_type_code)
    where totals.capital_type_code = 'total'

),

capital_checks as (

    select
        amount_id,
        'capital_types_to_total' as check_code,
        sum(amount_million_vnd) as computed_amount_million_vnd,
        count(*) as n_parts_found,
        count(*) as n_parts_expected,
        string_agg(part_capital || '=' || amount_million_vnd, '; ' order by part_capital)
            as parts_detail
    from capital_parts
    group by amount_id

),

-- family 3: components -> a component total (sub-projects -> project -> program)
component_totals as (

    select
        totals.*,
        unnest(string_split(totals.sums_components, '|')) as part_component
    from totals
    where totals.sums_components is not null

),

component_total_sources as (

    select
        component_totals.*,
        unnest(
            case
                when component_totals.funding_source_code = 'total'
                    then string_split(component_totals.sums_funding_sources, '|')
                else [component_totals.funding_source_code]
            end
        ) as part_source
    from component_totals

),

same_column_values as (

    -- a listed component in the same column (same source, total definition and capital type):
    -- its own cell, or else the sum of its sub-projects' cells
    select
        component_totals.amount_id,
        component_totals.part_component,
        coalesce(
            sum(case
                when cells.component_code = component_totals.part_component
                    then cells.amount_million_vnd
            end),
            sum(case
                when components.parent_component_code = component_totals.part_component
                    then cells.amount_million_vnd
            end)
        ) as amount_million_vnd
    from component_totals
    left join cells
        on
            {{ same_block_and_period('component_totals', 'cells', 'parts_statement_group') }}
            and component_totals.funding_source_code = cells.funding_source_code
            and component_totals.sums_funding_sources
            is not distinct from cells.sums_funding_sources
            and component_totals.capital_type_code = cells.capital_type_code
    left join components
        on cells.component_code = components.component_code
    group by all

),

source_decomposed_values as (

    -- a listed component as the sum of its single-source values; for a total of one capital type,
    -- also with the parts whose capital type the document does not state
    select
        component_total_sources.amount_id,
        component_total_sources.part_component,
        coalesce(
            sum(case
                when
                    source_values.component_code = component_total_sources.part_component
                    and source_values.capital_scope = component_total_sources.capital_scope
                    then source_values.amount_million_vnd
            end),
            sum(case
                when
                    components.parent_component_code = component_total_sources.part_component
                    and source_values.capital_scope = component_total_sources.capital_scope
                    then source_values.amount_million_vnd
            end)
        ) as amount_million_vnd,
        coalesce(
            sum(case
                when source_values.component_code = component_total_sources.part_component
                    then source_values.amount_million_vnd
            end),
            sum(case
                when components.parent_component_code = component_total_sources.part_component
                    then source_values.amount_million_vnd
            end)
        ) as amount_with_unstated_capital_million_vnd
    from component_total_sources
    left join source_values
        on
            {{ same_block_and_period('component_total_sources', 'source_values',
                                     'parts_statement_group') }}
            and component_total_sources.part_source = source_values.funding_source_code
            and (
                component_total_sources.capital_scope = source_values.capital_scope
                or (
                    component_total_sources.capital_scope != 'all'
                    and source_values.capital_scope = 'unspecified'
                )
            )
    left join components
        on source_values.component_code = components.component_code
    group by all

),

component_check_candidates as (

    select
        same_column_values.amount_id,
        same_column_values.part_component,
        same_column_values.amount_million_vnd as same_column_amount,
        source_decomposed_values.amount_million_vnd as decomposed_amount,
        source_decomposed_values.amount_with_unstated_capital_million_vnd
            as decomposed_with_unstated_amount
    from same_column_values
    inner join source_decomposed_values
        on
            same_column_values.amount_id = source_decomposed_values.amount_id
            and same_column_values.part_component = source_decomposed_values.part_component

),

component_check_sums as (

    select
        amount_id,
        count(same_column_amount) as n_same_column,
        count(*) as n_parts_expected,
        sum(same_column_amount) as same_column_sum,
        count(decomposed_amount) as n_decomposed,
        sum(decomposed_amount) as decomposed_sum,
        count(decomposed_with_unstated_amount) as n_decomposed_with_unstated,
        sum(decomposed_with_unstated_amount) as decomposed_with_unstated_sum,
        string_agg(
            part_component || '='
            || coalesce(
                cast(coalesce(same_column_amount, decomposed_with_unstated_amount) as varchar),
                'not printed'
            ),
            '; ' order by part_component
        ) as parts_detail
    from component_check_candidates
    group by amount_id

),

component_checks as (

    -- the same column when every listed component has it; otherwise the source decomposition,
    -- counting parts of unstated capital type when that is what makes the total agree
    select
        component_check_sums.amount_id,
        'components_to_total' as check_code,
        case
            when
                component_check_sums.n_same_column = component_check_sums.n_parts_expected
                then component_check_sums.same_column_sum
            when
                component_check_sums.decomposed_sum = totals.amount_million_vnd
                then component_check_sums.decomposed_sum
            when
                component_check_sums.decomposed_with_unstated_sum is not null
                then component_check_sums.decomposed_with_unstated_sum
            else component_check_sums.decomposed_sum
        end as computed_amount_million_vnd,
        case
            when
                component_check_sums.n_same_column = component_check_sums.n_parts_expected
                then component_check_sums.n_same_column
            else
                greatest(
                    component_check_sums.n_decomposed,
                    component_check_sums.n_decomposed_with_unstated
                )
        end as n_parts_found,
        component_check_sums.n_parts_expected,
        component_check_sums.parts_detail
    from component_check_sums
    inner join totals
        on component_check_sums.amount_id = totals.amount_id
    where
        greatest(
            component_check_sums.n_same_column,
            component_check_sums.n_decomposed,
            component_check_sums.n_decomposed_with_unstated
        )
        > 0

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

    select distinct amount_id from leaves

),

-- family 5: a per-year amount that is not itself a leaf (a per-year total, a per-year restatement)
-- claims its value for each year of its period: it is compared with the leaves of every one of them
per_year_amounts as (

    select
        checked_amounts.*,
        cast(
            unnest(
                generate_series(checked_amounts.period_start_year, checked_amounts.period_end_year)
            ) as integer
        ) as claimed_year
    from checked_amounts
    left join leaf_ids
        on checked_amounts.amount_id = leaf_ids.amount_id
    where
        checked_amounts.amount_basis = 'per_year'
        and leaf_ids.amount_id is null

),

leaf_windows as (

    -- the years whose leaves each comparison sums: the whole period, or one claimed year
    select
        amount_id,
        'restatement_equals_leaves' as check_code,
        cast(null as integer) as fiscal_year,
        period_start_year as first_year,
        period_end_year as last_year
    from restatements

    union all

    select
        amount_id,
        'per_year_total_equals_leaves' as check_code,
        claimed_year as fiscal_year,
        claimed_year as first_year,
        claimed_year as last_year
    from per_year_amounts

),

leaf_comparisons as (

    select
        leaf_windows.amount_id,
        leaf_windows.check_code,
        leaf_windows.fiscal_year,
        leaves.amount_id as leaf_amount_id,
        leaves.fiscal_year as leaf_fiscal_year,
        leaves.amount_million_vnd
    from leaf_windows
    inner join checked_amounts as compared
        on leaf_windows.amount_id = compared.amount_id
    left join leaves
        on
            compared.document_id = leaves.document_id
            and compared.phase_code = leaves.phase_code
            and leaves.fiscal_year between leaf_windows.first_year and leaf_windows.last_year
            and (
                compared.capital_scope = 'all'
                or compared.capital_scope = leaves.capital_type_code
            )
            and (
                compared.funding_source_code = leaves.funding_source_code
                or list_contains(
                    string_split(compared.sums_funding_sources, '|'),
                    leaves.funding_source_code
                )
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
        check_code,
        fiscal_year,
        coalesce(sum(amount_million_vnd), 0) as computed_amount_million_vnd,
        count(leaf_amount_id) as n_parts_found,
        greatest(count(leaf_amount_id), 1) as n_parts_expected,
        count(distinct leaf_amount_id) || ' leaf amounts over '
        || coalesce(cast(min(leaf_fiscal_year) as varchar), 'no year') || '-'
        || coalesce(cast(max(leaf_fiscal_year) as varchar), 'no year') as parts_detail
    from leaf_comparisons
    group by amount_id, check_code, fiscal_year

),

single_period_checks as (

    select * from source_checks
    union all
    select * from capital_checks
    union all
    select * from component_checks

),

all_checks as (

    select
        amount_id,
        check_code,
        cast(null as integer) as fiscal_year,
        computed_amount_million_vnd,
        n_parts_found,
        n_parts_expected,
        parts_detail
    from single_period_checks

    union all

    select
        amount_id,
        check_code,
        fiscal_year,
        computed_amount_million_vnd,
        n_parts_found,
        n_parts_expected,
        parts_detail
    from leaf_checks

),

final as (

    select
        -- ids
        concat(
            all_checks.check_code, ':', checked_amount.amount_id,
            case when all_checks.fiscal_year is not null then ':' || all_checks.fiscal_year end
        ) as sum_check_id,
        all_checks.check_code,
        checked_amount.amount_id as reported_total_id,
        checked_amount.document_id,
        checked_amount.geography_code,
        checked_amount.component_code,
        checked_amount.funding_source_code,
        checked_amount.capital_type_code,
        checked_amount.phase_code,

        -- strings
        checked_amount.statement_group,
        checked_amount.parts_statement_group,
        checked_amount.sums_components,
        checked_amount.sums_funding_sources,
        checked_amount.sums_capital_types,
        all_checks.parts_detail,
        checked_amount.locator,
        checked_amount.source_file,
        checked_amount.source_text,

        -- numerics
        checked_amount.period_start_year,
        checked_amount.period_end_year,
        all_checks.fiscal_year,
        checked_amount.source_line,
        all_checks.n_parts_found,
        all_checks.n_parts_expected,
        cast(checked_amount.amount_million_vnd as decimal(18, 3)) as reported_amount_million_vnd,
        cast(all_checks.computed_amount_million_vnd as decimal(18, 3))
            as computed_amount_million_vnd,
        cast(
            checked_amount.amount_million_vnd - all_checks.computed_amount_million_vnd
            as decimal(18, 3)
        ) as difference_million_vnd,
        -- tolerance 0 when both sides are whole million VND, 0.001 otherwise
        case
            when
                checked_amount.amount_million_vnd = round(checked_amount.amount_million_vnd)
                and all_checks.computed_amount_million_vnd
                = round(all_checks.computed_amount_million_vnd)
                then 0
            else 0.001
        end as tolerance_million_vnd

    from all_checks
    inner join checked_amounts as checked_amount
        on all_checks.amount_id = checked_amount.amount_id

)

select * from final
