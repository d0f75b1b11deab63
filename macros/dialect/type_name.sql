{% macro type_name(data_type) %}
    {#- The engine's name for a declared data type (seed column_types, contracts' data_type, casts):
        the project declares DuckDB names; Spark has no `varchar` without a length and no `text`. -#}
    {{ return(adapter.dispatch('type_name', 'ntp_poverty')(data_type)) }}
{% endmacro %}
