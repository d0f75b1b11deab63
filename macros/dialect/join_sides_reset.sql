{% macro join_sides_reset() %}
    {#- The post-hook that undoes join_sides_as_written() for the models built after it. -#}
    {{ return(adapter.dispatch('join_sides_reset', 'ntp_poverty')()) }}
{% endmacro %}
