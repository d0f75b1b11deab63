{% macro star_exclude(columns, relation_alias=none) %}
    {#- Select-list expression: every column of the relation (alias) but the listed ones. -#}
    {{ return(adapter.dispatch('star_exclude', 'ntp_poverty')(columns, relation_alias)) }}
{% endmacro %}
