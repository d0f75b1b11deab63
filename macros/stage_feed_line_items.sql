{% macro stage_feed_line_items(source_relation) %}
    {#- The staging select of a feed's line items (CSV or Parquet): rename and cast only. The
        reader adds the file name and the folder's partition values; the contract's columns are
        named once more so that a feed without files of that format gives no rows instead of a
        missing-column error. One definition for both formats, so they cannot drift apart. -#}
with

source as (

    select * from {{ source_relation }}

),

contract_columns as (

    -- year is the folder partition year=, named by the contract
    select
        null as report_id,
        null as row_number,
        null as geography_code,
        null as geography_level,
        null as fiscal_year,
        null as period_month,
        null as component_code,
        null as funding_source_code,
        null as capital_type_code,
        null as phase_code,
        null as amount_million_vnd,
        null as is_printed_total,
        null as sums_components,
        null as sums_funding_sources,
        null as sums_capital_types,
        null as filename,
        null as province,
        null as year  -- noqa: RF04
    where false

),

read_by_name as (

    select * from contract_columns
    union all by name
    select * from source

),

rebuilt_partitions as (

    -- an incremental refresh reads only the partitions whose files changed (see
    -- macros/delete_rebuilt_partitions.sql); every other build reads every file
    select * from read_by_name
    where {{ in_rebuilt_partitions(feed_partition_key('province', 'year')) }}

),

final as (

    select
        -- ids
        cast(report_id as varchar) as report_id,
        cast(geography_code as varchar) as geography_code,
        cast(component_code as varchar) as component_code,
        cast(funding_source_code as varchar) as funding_source_code,
        cast(capital_type_code as varchar) as capital_type_code,
        cast(phase_code as varchar) as phase_code,

        -- provenance
        regexp_extract(cast(filename as varchar), 'province=[^/]+/year=[^/]+/[^/]+$')
            as feed_file,
        cast(row_number as integer) as file_row_number,
        cast(province as varchar) as partition_province_code,
        cast(year as integer) as partition_year,

        -- strings
        cast(geography_level as varchar) as geography_level,
        cast(sums_components as varchar) as sums_components,
        cast(sums_funding_sources as varchar) as sums_funding_sources,
        cast(sums_capital_types as varchar) as sums_capital_types,
        cast(amount_million_vnd as varchar) as amount_printed,

        -- numerics
        cast(fiscal_year as integer) as fiscal_year,
        cast(period_month as integer) as period_month,
        cast(amount_million_vnd as decimal(18, 3)) as amount_million_vnd,

        -- booleans
        coalesce(cast(is_printed_total as boolean), false) as is_printed_total

    from rebuilt_partitions

)

select * from final
{% endmacro %}
