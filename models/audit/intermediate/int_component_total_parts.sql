-- Family 3's parts, before they are summed: each printed component total once per component it
-- lists (sums_components), with that component's value in the total's own column (source, total
-- definition, capital type): its own cell, else its sub-projects' cells; and whether the total
-- names a source to decompose it by. Read by int_component_total_parts_decomposed (the totals their
-- own column does not decide) and int_sum_checks_components. A table incremental by feed partition
-- (dbt_project.yml; root CTEs filter).
with

totals as (

    select * from {{ ref('int_sum_check_amounts') }}
    where {{ in_rebuilt_partitions() }} and is_printed_total

),

component_cells as (

    select * from {{ ref('int_component_cells_summed') }}
    where {{ in_rebuilt_partitions() }}

),

-- each printed component total once per component it lists
component_totals as (

    {{ listed_component_totals('totals') }}

),

final as (

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

)

select * from final
