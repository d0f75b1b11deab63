{% macro spark__join_sides_as_written() -%}
    {#- Nothing: Spark plans its joins itself (an empty hook is not run). -#}
{%- endmacro %}
