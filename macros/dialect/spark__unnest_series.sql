{% macro spark__unnest_series(first_value, last_value) -%}
    explode(sequence(cast({{ first_value }} as int), cast({{ last_value }} as int)))
{%- endmacro %}
