{% macro spark__star_exclude(columns, relation_alias=none) -%}
    {{ relation_alias ~ '.' if relation_alias }}* except ({{ columns | join(', ') }})
{%- endmacro %}
