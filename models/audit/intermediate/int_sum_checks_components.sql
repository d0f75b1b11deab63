-- Family 3 of the sum checks: a component total (sub-projects -> project -> programme) = its
-- listed components, in the same column when every one prints it, else from single-source values.
-- A table incremental by feed partition (dbt_project.yml): a refresh computes only the changed
-- partitions' rows, reading only their printings (the filter in the root CTEs).
with

checked_amounts as (

    select * from {{ ref('int_sum_check_amounts') }}
    where {{ in_rebuilt_partitions() }}

),

source_values as (

    select * from {{ ref('int_sum_check_source_values') }}
    where {{ in_rebuilt_partitions() }}

),

components as (

    select * from {{ ref('stg_reference__program_components') }}

),

cells as (

    select * from checked_amounts

),

totals as (

    select * from checked_amounts
    where is_printed_total

),

-- family 3: components -> a component total (sub-projects -> project -> program)
component_totals as (

    select
        totals.*,
        {{ unnest_pipe_list('totals.sums_components') }} as part_component
    from totals
    where totals.sums_components is not null

),

component_total_sources as (

    select
        component_totals.*,
        -- a total over sources stands for its listed sources, a single source for itself
        {{ unnest_pipe_list(
            "case when component_totals.funding_source_code = 'total'
            then component_totals.sums_funding_sources
            else component_totals.funding_source_code end"
        ) }} as part_source
    from component_totals

),

-- every cell and every single-source value twice over: as a part of its own component and as a part
-- of its parent component, so that a listed component finds its own value and its sub-projects'
-- values by one equality (an `or` in the join would pair each total with its whole block)
cell_parts as (

    select
        {{ sum_check_part_columns('cells') }},
        cells.funding_source_code,
        cells.sums_funding_sources,
        cells.capital_type_code,
        cells.component_code as part_component,
        true as is_own_value
    from cells

    union all

    select
        {{ sum_check_part_columns('cells') }},
        cells.funding_source_code,
        cells.sums_funding_sources,
        cells.capital_type_code,
        components.parent_component_code as part_component,
        false as is_own_value
    from cells
    inner join components
        on cells.component_code = components.component_code
    where components.parent_component_code is not null

),

source_value_parts as (

    select
        {{ sum_check_part_columns('source_values') }},
        source_values.funding_source_code,
        source_values.capital_scope,
        source_values.component_code as part_component,
        true as is_own_value
    from source_values

    union all

    select
        {{ sum_check_part_columns('source_values') }},
        source_values.funding_source_code,
        source_values.capital_scope,
        components.parent_component_code as part_component,
        false as is_own_value
    from source_values
    inner join components
        on source_values.component_code = components.component_code
    where components.parent_component_code is not null

),

same_column_values as (

    -- a listed component in the same column (same source, total definition and capital type):
    -- its own cell, or else the sum of its sub-projects' cells
    select
        component_totals.amount_id,
        component_totals.source_partition,
        component_totals.part_component,
        coalesce(
            sum(case when cell_parts.is_own_value then cell_parts.amount_million_vnd end),
            sum(case when not cell_parts.is_own_value then cell_parts.amount_million_vnd end)
        ) as amount_million_vnd
    from component_totals
    left join cell_parts
        on
            {{ same_block_and_period('component_totals', 'cell_parts', 'parts_statement_group') }}
            and component_totals.part_component = cell_parts.part_component
            and component_totals.funding_source_code = cell_parts.funding_source_code
            and component_totals.sums_funding_sources
            is not distinct from cell_parts.sums_funding_sources
            and component_totals.capital_type_code = cell_parts.capital_type_code
    group by
        component_totals.amount_id,
        component_totals.source_partition,
        component_totals.part_component

),

source_decomposed_values as (

    -- a listed component as the sum of its single-source values; for a total of one capital type,
    -- also with the parts whose capital type the document does not state
    select
        component_total_sources.amount_id,
        component_total_sources.source_partition,
        component_total_sources.part_component,
        coalesce(
            sum(case
                when
                    value_parts.is_own_value
                    and value_parts.capital_scope = component_total_sources.capital_scope
                    then value_parts.amount_million_vnd
            end),
            sum(case
                when
                    not value_parts.is_own_value
                    and value_parts.capital_scope = component_total_sources.capital_scope
                    then value_parts.amount_million_vnd
            end)
        ) as amount_million_vnd,
        coalesce(
            sum(case when value_parts.is_own_value then value_parts.amount_million_vnd end),
            sum(case when not value_parts.is_own_value then value_parts.amount_million_vnd end)
        ) as amount_with_unstated_capital_million_vnd
    from component_total_sources
    left join source_value_parts as value_parts
        on
            {{ same_block_and_period('component_total_sources', 'value_parts',
                                     'parts_statement_group') }}
            and component_total_sources.part_component = value_parts.part_component
            and component_total_sources.part_source = value_parts.funding_source_code
            and (
                component_total_sources.capital_scope = value_parts.capital_scope
                or (
                    component_total_sources.capital_scope != 'all'
                    and value_parts.capital_scope = 'unspecified'
                )
            )
    group by
        component_total_sources.amount_id,
        component_total_sources.source_partition,
        component_total_sources.part_component

),

component_check_candidates as (

    select
        same_column_values.amount_id,
        same_column_values.source_partition,
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
        source_partition,
        count(same_column_amount) as n_same_column,
        count(*) as n_parts_expected,
        sum(same_column_amount) as same_column_sum,
        count(decomposed_amount) as n_decomposed,
        sum(decomposed_amount) as decomposed_sum,
        count(decomposed_with_unstated_amount) as n_decomposed_with_unstated,
        sum(decomposed_with_unstated_amount) as decomposed_with_unstated_sum,
        {{ ordered_listagg(
            "part_component || '=' || coalesce(cast(coalesce(same_column_amount,
            decomposed_with_unstated_amount) as " ~ dbt.type_string() ~ "), 'not printed')",
            "'; '", 'part_component'
        ) }} as parts_detail
    from component_check_candidates
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

final as (

    select * from component_checks

)

select * from final
