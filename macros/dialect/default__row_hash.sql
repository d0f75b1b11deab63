{% macro default__row_hash(columns) -%}
    hash({{ columns | join(', ') }})
{%- endmacro %}
