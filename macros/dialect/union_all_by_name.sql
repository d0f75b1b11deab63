{% macro union_all_by_name(left, right, columns) %}
    {#- Every row of two relations (or CTEs) with the same columns, matched by name, not position. -#}
    {{ return(adapter.dispatch('union_all_by_name', 'ntp_poverty')(left, right, columns)) }}
{% endmacro %}
