{% macro spark__ordered_listagg(measure, delimiter, order_by, distinct=false) -%}
    listagg({{ 'distinct ' if distinct }}{{ measure }}, {{ delimiter }}) within group (order by {{ order_by }})
{%- endmacro %}
