-- Family 3's single-source values, summed once: for every block and period, single funding source,
-- capital scope and component, the single-source values (int_sum_check_source_values) that
-- decompose the component: its own (is_own_value) and, summed under it, its sub-projects'.
-- A component total then finds each component it lists, per source and capital scope, by one
-- lookup (int_sum_checks_components).
-- A table incremental by feed partition (dbt_project.yml): a refresh computes only the changed
-- partitions' rows (the filter in the root CTE).
with

source_values as (

    select * from {{ ref('int_sum_check_source_values') }}
    where {{ in_rebuilt_partitions() }}

),

components as (

    select * from {{ ref('stg_reference__program_components') }}

),

-- every single-source value twice over: as a value of its own component and of its parent
value_parts as (

    {{ component_value_parts('source_values', ['block_key', 'funding_source_code', 'capital_scope'],
                             'components') }}

),

final as (

    select
        source_partition,
        block_key,
        funding_source_code,
        capital_scope,
        part_component,
        is_own_value,
        sum(amount_million_vnd) as amount_million_vnd
    from value_parts
    group by all

)

select * from final
