{% macro default__inline_cte() -%}
    {#- DuckDB keeps a CTE read more than once unless it is declared not materialized. -#}
    not materialized
{%- endmacro %}
