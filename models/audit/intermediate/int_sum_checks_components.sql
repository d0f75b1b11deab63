-- Family 3 of the sum checks: a component total (sub-projects -> project -> programme) = its
-- listed components, in the same column when every one prints it, else from single-source values.
-- Aggregate, then join: each listed component is one lookup in the values summed per block, column
-- and component (int_component_cells_summed, int_component_source_values_summed), summed per total
-- in this query. A table incremental by feed partition (dbt_project.yml; root CTEs filter).
with

checked_amounts as (

    select * from {{ ref('int_sum_check_amounts') }}
    where {{ in_rebuilt_partitions() }}

),

component_cells as (

    select * from {{ ref('int_component_cells_summed') }}
    where {{ in_rebuilt_partitions() }}

),

component_source_values as (

    select * from {{ ref('int_component_source_values_summed') }}
    where {{ in_rebuilt_partitions() }}

),

totals as (

    select * from checked_amounts
    where is_printed_total

),

-- each printed component total once per component it lists
component_totals as (

    {{ listed_component_totals('totals') }}

),

-- a listed component in the total's column (source, total definition, capital type): its own
-- cell, else its sub-projects' cells; and whether the total names a source to decompose it by
-- (a total over sources listing no source has none, and no check)
same_column_values as (

    select
        component_totals.amount_id,
        component_totals.source_partition,
        component_totals.part_component,
        coalesce(
            sum(case when component_cells.is_own_value then component_cells.amount_million_vnd end),
            sum(case
                when not component_cells.is_own_value then component_cells.amount_million_vnd
            end)
        ) as same_column_amount,
        min(case
            when
                (case
                    when component_totals.funding_source_code = 'total'
                        then component_totals.sums_funding_sources
                    else component_totals.funding_source_code
                end) is null
                then 0
            else 1
        end) as has_part_sources
    from component_totals
    left join component_cells
        on
            component_totals.source_partition = component_cells.source_partition
            and component_totals.parts_block_key = component_cells.block_key
            and component_totals.part_component = component_cells.part_component
            and component_totals.funding_source_code = component_cells.funding_source_code
            and component_totals.sums_funding_sources
            is not distinct from component_cells.sums_funding_sources
            and component_totals.capital_type_code = component_cells.capital_type_code
    group by
        component_totals.amount_id,
        component_totals.source_partition,
        component_totals.part_component

),

-- per total: its listed components, and how many its own column has
same_column_sums as (

    select
        amount_id,
        source_partition,
        count(*) as n_parts,
        count(same_column_amount) as n_same_column,
        sum(same_column_amount) as same_column_sum
    from same_column_values
    where has_part_sources = 1
    group by amount_id, source_partition

),

-- the totals whose own column lacks a listed component: only they, a handful in a feed, are
-- decomposed by source (every other total is decided by its own column, component_checks)
undecided_totals as (

    select
        amount_id,
        source_partition
    from same_column_sums
    where n_same_column < n_parts

),

-- each listed component of an undecided total per source the total stands for (its listed
-- sources, or itself) ...
component_total_sources as (

    select
        component_totals.*,
        {{ unnest_pipe_list(
            "case when component_totals.funding_source_code = 'total'
            then component_totals.sums_funding_sources
            else component_totals.funding_source_code end"
        ) }} as part_source
    from component_totals
    inner join undecided_totals
        on
            component_totals.amount_id = undecided_totals.amount_id
            and component_totals.source_partition = undecided_totals.source_partition

),

-- ... and per capital scope its parts may have: its own, and for a total of one capital type also
-- `unspecified` (capital type not stated), so that the join below is on equalities only
component_total_scopes as (

    select
        component_total_sources.*,
        component_total_sources.capital_scope as part_capital_scope
    from component_total_sources

    union all

    select
        component_total_sources.*,
        'unspecified' as part_capital_scope
    from component_total_sources
    where component_total_sources.capital_scope not in ('all', 'unspecified')

),

-- a listed component as the sum of its single-source values (its own, else its sub-projects');
-- of the total's capital scope, and also with the parts of unstated capital type
decomposed_values as (

    select
        component_total_scopes.amount_id,
        component_total_scopes.source_partition,
        component_total_scopes.part_component,
        coalesce(
            sum(case
                when
                    component_source_values.is_own_value
                    and component_total_scopes.part_capital_scope
                    = component_total_scopes.capital_scope
                    then component_source_values.amount_million_vnd
            end),
            sum(case
                when
                    not component_source_values.is_own_value
                    and component_total_scopes.part_capital_scope
                    = component_total_scopes.capital_scope
                    then component_source_values.amount_million_vnd
            end)
        ) as decomposed_amount,
        coalesce(
            sum(case
                when component_source_values.is_own_value
                    then component_source_values.amount_million_vnd
            end),
            sum(case
                when not component_source_values.is_own_value
                    then component_source_values.amount_million_vnd
            end)
        ) as decomposed_with_unstated_amount
    from component_total_scopes
    left join component_source_values
        on
            component_total_scopes.source_partition = component_source_values.source_partition
            and component_total_scopes.parts_block_key = component_source_values.block_key
            and component_total_scopes.part_component = component_source_values.part_component
            and component_total_scopes.part_source = component_source_values.funding_source_code
            and component_total_scopes.part_capital_scope = component_source_values.capital_scope
    group by
        component_total_scopes.amount_id,
        component_total_scopes.source_partition,
        component_total_scopes.part_component

),

-- the listed components of the undecided totals, both ways
undecided_parts as (

    select
        same_column_values.amount_id,
        same_column_values.source_partition,
        same_column_values.part_component,
        same_column_values.same_column_amount,
        decomposed_values.decomposed_amount,
        decomposed_values.decomposed_with_unstated_amount
    from same_column_values
    inner join decomposed_values
        on
            same_column_values.amount_id = decomposed_values.amount_id
            and same_column_values.source_partition = decomposed_values.source_partition
            and same_column_values.part_component = decomposed_values.part_component

),

-- every listed component checked: a decided total's in its own column (no decomposition), an
-- undecided total's both ways; read for the text of the checks that do not add up
component_check_candidates as (

    select
        same_column_values.amount_id,
        same_column_values.source_partition,
        same_column_values.part_component,
        same_column_values.same_column_amount,
        cast(null as decimal(18, 3)) as decomposed_amount,
        cast(null as decimal(18, 3)) as decomposed_with_unstated_amount
    from same_column_values
    left join undecided_totals
        on
            same_column_values.amount_id = undecided_totals.amount_id
            and same_column_values.source_partition = undecided_totals.source_partition
    where same_column_values.has_part_sources = 1 and undecided_totals.amount_id is null

    union all

    select * from undecided_parts

),

-- per total: the decided ones from their own column's sums, the undecided ones from their parts
component_check_sums as (

    select
        amount_id,
        source_partition,
        n_same_column,
        n_parts as n_parts_expected,
        same_column_sum,
        cast(0 as bigint) as n_decomposed,
        cast(null as decimal(38, 3)) as decomposed_sum,
        cast(0 as bigint) as n_decomposed_with_unstated,
        cast(null as decimal(38, 3)) as decomposed_with_unstated_sum
    from same_column_sums
    where n_same_column = n_parts

    union all

    select
        amount_id,
        source_partition,
        count(same_column_amount) as n_same_column,
        count(*) as n_parts_expected,
        sum(same_column_amount) as same_column_sum,
        count(decomposed_amount) as n_decomposed,
        sum(decomposed_amount) as decomposed_sum,
        count(decomposed_with_unstated_amount) as n_decomposed_with_unstated,
        sum(decomposed_with_unstated_amount) as decomposed_with_unstated_sum
    from undecided_parts
    group by amount_id, source_partition

),

component_checks as (

    -- the same column when every listed component has it; otherwise the source decomposition,
    -- counting parts of unstated capital type when that is what makes the total agree
    select
        component_check_sums.amount_id,
        component_check_sums.source_partition,
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
        totals.amount_million_vnd as reported_amount_million_vnd
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

-- with the listed components as text where they do not add up (macros/checks_with_parts_detail.sql)
final as (

    {{ checks_with_parts_detail(
        'component_checks', 'component_check_candidates',
        "part_component || '=' || coalesce(cast(coalesce(same_column_amount,
        decomposed_with_unstated_amount) as " ~ dbt.type_string() ~ "), 'not printed')",
        'part_component'
    ) }}

)

select * from final
