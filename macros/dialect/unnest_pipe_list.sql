{% macro unnest_pipe_list(list_text) %}
    {#- Select-list expression: one row per item of a "|"-separated text (no row for null). -#}
    {{ return(adapter.dispatch('unnest_pipe_list', 'ntp_poverty')(list_text)) }}
{% endmacro %}
