{% macro default__ordered_listagg(measure, delimiter, order_by, distinct=false) -%}
    string_agg({{ 'distinct ' if distinct }}{{ measure }}, {{ delimiter }} order by {{ order_by }})
{%- endmacro %}
