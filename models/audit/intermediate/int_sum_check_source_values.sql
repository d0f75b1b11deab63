-- Single-source values per block: one component × funding source with all capital types
-- together, and each capital type on its own (the parts of totals over sources and components).
-- A table incremental by feed partition (dbt_project.yml): a refresh computes only the changed
-- partitions' rows, reading only their printings (the filter in the root CTEs).
with

cells as (

    select * from {{ ref('int_sum_check_amounts') }}
    where {{ in_rebuilt_partitions() }}

),

source_values as (

    -- one component × single funding source in a block: all capital types together ...
    select
        source_partition,
        block_key,
        document_id,
        statement_group,
        geography_code,
        component_code,
        funding_source_code,
        phase_code,
        amount_basis,
        period_start_year,
        period_end_year,
        period_month,
        as_of_date,
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
        source_partition,
        block_key,
        document_id,
        statement_group,
        geography_code,
        component_code,
        funding_source_code,
        phase_code,
        amount_basis,
        period_start_year,
        period_end_year,
        period_month,
        as_of_date,
        capital_type_code as capital_scope,
        sum(amount_million_vnd) as amount_million_vnd
    from cells
    where funding_source_code != 'total' and capital_type_code != 'total'
    group by all

),

final as (

    select * from source_values

)

select * from final
