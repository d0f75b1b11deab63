{% macro rows_where(relation, condition) %}
    {#- A row filter for a query reading the table `relation` alone: its rows where `condition` holds,
        written so that the engine reads only those rows' storage (see default__rows_where). -#}
    {{ return(adapter.dispatch('rows_where', 'ntp_poverty')(relation, condition)) }}
{% endmacro %}
