-- Family 3's same-column values, summed once: for every block and period, every column of a
-- printed table (funding source, total definition, capital type) and every component, the cells
-- that value the component there: its own cells (is_own_value) and, summed under it, its
-- sub-projects' cells. A component total then finds each component it lists by one lookup
-- (int_sum_checks_components), never a row per total, part and cell.
-- A table incremental by feed partition (dbt_project.yml): a refresh computes only the changed
-- partitions' rows, reading only their printings (the filter in the root CTE).
with

cells as (

    select * from {{ ref('int_sum_check_amounts') }}
    where {{ in_rebuilt_partitions() }}

),

components as (

    select * from {{ ref('stg_reference__program_components') }}

),

-- every cell twice over: as a value of its own component and of its parent component
cell_parts as (

    {{ component_value_parts('cells',
                             ['block_key', 'funding_source_code', 'sums_funding_sources',
                              'capital_type_code'],
                             'components') }}

),

final as (

    select
        source_partition,
        block_key,
        funding_source_code,
        sums_funding_sources,
        capital_type_code,
        part_component,
        is_own_value,
        sum(amount_million_vnd) as amount_million_vnd
    from cell_parts
    group by all

)

select * from final
