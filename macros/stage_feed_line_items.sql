{% macro stage_feed_line_items(source_relation) %}
    {#- The staging select of a feed's line items (CSV or Parquet): rename and cast only. The
        reader (feed_rows, one per engine) adds the file name and the folder's partition values and
        gives no rows, not an error, for a feed without files of that format. One definition for
        both formats and both engines, so they cannot drift apart. -#}
{%- set files = 'province=*/year=*/*.' ~ ('parquet' if source_relation.identifier.endswith('parquet') else 'csv') -%}
{#- the contract's columns in the contract's order, with the types a Parquet file gives them -#}
{%- set feed_columns = {
    'report_id': 'string', 'row_number': 'int', 'geography_code': 'string',
    'geography_level': 'string', 'fiscal_year': 'int', 'period_month': 'int',
    'component_code': 'string', 'funding_source_code': 'string', 'capital_type_code': 'string',
    'phase_code': 'string', 'amount_million_vnd': 'decimal(18,3)', 'is_printed_total': 'boolean',
    'sums_components': 'string', 'sums_funding_sources': 'string', 'sums_capital_types': 'string'} -%}
with

read_by_name as (

    -- the files' rows by column name, with the file and the folder's partitions (year is the
    -- folder partition year=, named by the contract)
    {{ feed_rows(source_relation, files, feed_columns) }}

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
        cast(report_id as {{ dbt.type_string() }}) as report_id,
        cast(geography_code as {{ dbt.type_string() }}) as geography_code,
        cast(component_code as {{ dbt.type_string() }}) as component_code,
        cast(funding_source_code as {{ dbt.type_string() }}) as funding_source_code,
        cast(capital_type_code as {{ dbt.type_string() }}) as capital_type_code,
        cast(phase_code as {{ dbt.type_string() }}) as phase_code,

        -- provenance
        regexp_extract(
            cast(filename as {{ dbt.type_string() }}), '(province=[^/]+/year=[^/]+/[^/]+)$', 1
        ) as feed_file,
        cast(row_number as integer) as file_row_number,
        cast(province as {{ dbt.type_string() }}) as partition_province_code,
        cast(year as integer) as partition_year,

        -- strings
        cast(geography_level as {{ dbt.type_string() }}) as geography_level,
        cast(sums_components as {{ dbt.type_string() }}) as sums_components,
        cast(sums_funding_sources as {{ dbt.type_string() }}) as sums_funding_sources,
        cast(sums_capital_types as {{ dbt.type_string() }}) as sums_capital_types,
        cast(amount_million_vnd as {{ dbt.type_string() }}) as amount_printed,

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
