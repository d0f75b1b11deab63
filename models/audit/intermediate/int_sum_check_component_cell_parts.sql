-- Family 3 of the sum checks, the same-column parts: for each printed component total
-- (sub-projects -> project -> programme) and each component it lists, the cells in the total's
-- column (same source, total definition and capital type) that value the component: its own cell
-- or its sub-projects'.
-- A table of its own (int_sum_check_component_parts sums it): joined and summed in one query with
-- the other way of valuing a component (int_sum_check_component_source_parts), the joins'
-- and the group by's memory was held at once and a slice of the 50M feed ran out of DuckDB's 3 GB
-- limit; each join alone fits.
-- A table incremental by feed partition (dbt_project.yml): a refresh computes only the changed
-- partitions' rows, reading only their printings (the filter in the root CTEs).
with

checked_amounts as (

    select * from {{ ref('int_sum_check_amounts') }}
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

    {{ listed_component_totals('totals') }}

),

-- every cell twice over: as a part of its own component and as a part of its parent component
cell_parts as (

    {{ component_value_parts('cells',
                             ['funding_source_code', 'sums_funding_sources', 'capital_type_code'],
                             'components') }}

),

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

final as (

    select * from same_column_parts

)

select * from final
