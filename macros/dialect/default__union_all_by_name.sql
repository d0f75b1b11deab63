{% macro default__union_all_by_name(left, right, columns) -%}
    select * from {{ left }}
    union all by name
    select * from {{ right }}
{%- endmacro %}
