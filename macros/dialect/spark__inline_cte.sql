{% macro spark__inline_cte() -%}
    {#- Spark has no syntax for it (its optimizer decides whether to inline a CTE). -#}
{%- endmacro %}
