{% macro ordered_listagg(measure, delimiter, order_by, distinct=false) %}
    {#- Aggregate: the texts of a group joined by delimiter in the given order (optionally each
        distinct text once; then order_by must be the measure). dbt.listagg cannot be used: its
        Spark implementation ignores the order. -#}
    {{ return(adapter.dispatch('ordered_listagg', 'ntp_poverty')(measure, delimiter, order_by, distinct)) }}
{% endmacro %}
