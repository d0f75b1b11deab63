{% macro spark__rows_where(relation, condition) -%}
    {#- Spark has no row id: the condition itself. -#}
    {{ condition }}
{%- endmacro %}
