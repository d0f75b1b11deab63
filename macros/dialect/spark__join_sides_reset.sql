{% macro spark__join_sides_reset() -%}
    {#- Nothing: spark__join_sides_as_written changed nothing (an empty hook is not run). -#}
{%- endmacro %}
