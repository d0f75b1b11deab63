-- Family 3 of the sum checks, the single-source parts: for each printed component total and each
-- component it lists, the single-source values that decompose it (its own or its
-- sub-projects'), with the parts of unstated capital type flagged (is_same_capital_scope false).
-- A table of its own (int_sum_check_component_parts sums it): joined and summed in one query with
-- the other way of valuing a component (int_sum_check_component_cell_parts), the joins'
-- and the group by's memory was held at once and a slice of the 50M feed ran out of DuckDB's 3 GB
-- limit; each join alone fits.
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

totals as (

    select * from checked_amounts
    where is_printed_total

),

-- family 3: components -> a component total (sub-projects -> project -> program)
component_totals as (

    {{ listed_component_totals('totals') }}

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

-- each total-source row with the capital scopes its parts may have: its own, and for a total of one
-- capital type also `unspecified` (the parts whose capital type the document does not state), so
-- that the join below is on equalities only (a join on an `or` cannot spill and ran out of memory)
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

-- every single-source value twice over: as a part of its own component and of its parent component
source_value_parts as (

    {{ component_value_parts('source_values', ['funding_source_code', 'capital_scope'],
                             'components') }}

),

source_decomposed_parts as (

    -- a listed component as the sum of its single-source values; for a total of one capital type,
    -- also with the parts whose capital type the document does not state
    select
        component_total_scopes.amount_id,
        component_total_scopes.source_partition,
        component_total_scopes.part_component,
        value_parts.is_own_value,
        value_parts.amount_million_vnd,
        value_parts.capital_scope = component_total_scopes.capital_scope as is_same_capital_scope
    from component_total_scopes
    left join source_value_parts as value_parts
        on
            {{ same_block_and_period('component_total_scopes', 'value_parts',
                                     'parts_statement_group') }}
            and component_total_scopes.part_component = value_parts.part_component
            and component_total_scopes.part_source = value_parts.funding_source_code
            and component_total_scopes.part_capital_scope = value_parts.capital_scope

),

final as (

    select * from source_decomposed_parts

)

select * from final
