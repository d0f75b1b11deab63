{% macro default__pipe_list_contains(list_text, item) -%}
    list_contains(string_split({{ list_text }}, '|'), {{ item }})
{%- endmacro %}
