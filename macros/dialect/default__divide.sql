{% macro default__divide(numerator, denominator) -%}
    {#- DuckDB divides decimals in double precision. -#}
    {{ numerator }} / {{ denominator }}
{%- endmacro %}
