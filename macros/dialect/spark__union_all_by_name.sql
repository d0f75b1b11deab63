{% macro spark__union_all_by_name(left, right, columns) -%}
    {#- Spark SQL has no UNION BY NAME: both sides select the listed columns by name. -#}
    select {{ columns | join(', ') }} from {{ left }}
    union all
    select {{ columns | join(', ') }} from {{ right }}
{%- endmacro %}
