{% macro default__unnest_series(first_value, last_value) -%}
    cast(unnest(generate_series({{ first_value }}, {{ last_value }})) as integer)
{%- endmacro %}
