{% macro spark__mean(expression) -%}
    {#- Spark's average of decimal(18,3) is a decimal of scale 7 (the mean cut after 7 decimals):
        average the doubles instead, as DuckDB's result is. -#}
    avg(cast({{ expression }} as double))
{%- endmacro %}
