{% macro unnest_series(first_value, last_value) %}
    {#- Select-list expression: one row per integer from first_value to last_value (inclusive),
        as integer. -#}
    {{ return(adapter.dispatch('unnest_series', 'ntp_poverty')(first_value, last_value)) }}
{% endmacro %}
