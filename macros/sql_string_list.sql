{% macro sql_string_list(values) %}
    {#- Comma-separated SQL string literals of `values` (quotes doubled). -#}
    {%- for value in values -%}
        '{{ value | replace("'", "''") }}'{{ ", " if not loop.last }}
    {%- endfor -%}
{%- endmacro %}
