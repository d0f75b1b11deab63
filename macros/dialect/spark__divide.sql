{% macro spark__divide(numerator, denominator) -%}
    {#- Spark divides decimals as decimals, keeping only 6 digits of scale once the precision
        passes 38: both sides become doubles first, as DuckDB does. -#}
    cast({{ numerator }} as double) / cast({{ denominator }} as double)
{%- endmacro %}
