-- Family 3 of the sum checks, the parts before their sums: for each printed component total
-- (sub-projects -> project -> programme) and each component it lists, every cell that values that
-- component in the same column (its own cell or its sub-projects' cells) and every single-source
-- value that decomposes it (with the parts of unstated capital type flagged).
-- int_sum_check_component_parts sums them. A table of its own, not a CTE of that model: summed in
-- the same query as these joins, a 10M-row slice of the 50M feed ran out of DuckDB's 3 GB limit
-- (the joins' hash tables and the group by's held at once), while each fits alone.
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

-- the two ways of valuing a listed component, as rows of parts: int_sum_check_component_parts sums
-- both in one group by
same_column_parts as (

    -- a listed component in the same column (same source, total definition and capital type):
    -- its own cell, or else the sum of its sub-projects' cells
    select
        component_totals.amount_id,
        component_totals.source_partition,
        component_totals.part_component,
        cell_parts.is_own_value,
        cell_parts.amount_million_vnd
    from component_totals
    left join cell_parts
        on
            {{ same_block_and_period('component_totals', 'cell_parts', 'parts_statement_group') }}
            and component_totals.part_component = cell_parts.part_component
            and component_totals.funding_source_code = cell_parts.funding_source_code
            and component_totals.sums_funding_sources
            is not distinct from cell_parts.sums_funding_sources
            and component_totals.capital_type_code = cell_parts.capital_type_code

),

source_decomposed_parts as (

    -- a listed component as the sum of its single-source values; for a total of one capital type,
    -- also with the parts whose capital type the document does not state
    select
        component_total_sources.amount_id,
        component_total_sources.source_partition,
        component_total_sources.part_component,
        value_parts.is_own_value,
        value_parts.amount_million_vnd,
        value_parts.capital_scope = component_total_sources.capital_scope as is_same_capital_scope
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

),

valued_parts as (

    select
        amount_id,
        source_partition,
        part_component,
        true as is_same_column,
        is_own_value,
        amount_million_vnd,
        cast(null as boolean) as is_same_capital_scope
    from same_column_parts

    union all

    select
        amount_id,
        source_partition,
        part_component,
        false as is_same_column,
        is_own_value,
        amount_million_vnd,
        is_same_capital_scope
    from source_decomposed_parts

),

final as (

    select * from valued_parts

)

select * from final
