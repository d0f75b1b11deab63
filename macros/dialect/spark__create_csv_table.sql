{#- Spark implementations of dbt's own dispatched macros (the root project's win over dbt-spark's),
    so that the project's declared DuckDB type names work on Spark: seeds' column_types and the
    contracts' data_type go through type_name. -#}
{% macro spark__create_csv_table(model, agate_table) %}
    {#- dbt-spark's seed table, with the seed's column_types as Spark types. -#}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set quote_seed_column = model['config'].get('quote_columns', None) -%}
    {% set sql %}
        create table {{ this.render() }} (
            {%- for col_name in agate_table.column_names -%}
                {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
                {%- set type = ntp_poverty.type_name(column_override.get(col_name, inferred_type)) -%}
                {%- set column_name = (col_name | string) -%}
                {{ adapter.quote_seed_column(column_name, quote_seed_column) }} {{ type }} {%- if not loop.last -%}, {%- endif -%}
            {%- endfor -%}
        )
        {{ file_format_clause() }}
        {{ partition_cols(label="partitioned by") }}
        {{ clustered_cols(label="clustered by") }}
        {{ location_clause() }}
        {{ comment_clause() }}
    {% endset %}
    {% call statement('_') -%}
        {{ sql }}
    {%- endcall %}
    {{ return(sql) }}
{% endmacro %}
