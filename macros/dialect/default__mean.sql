{% macro default__mean(expression) -%}
    {#- DuckDB averages decimals exactly and returns a double. -#}
    avg({{ expression }})
{%- endmacro %}
