{% macro default__star_exclude(columns, relation_alias=none) -%}
    {{ relation_alias ~ '.' if relation_alias }}* exclude ({{ columns | join(', ') }})
{%- endmacro %}
