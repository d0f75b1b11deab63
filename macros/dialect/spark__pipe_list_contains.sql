{% macro spark__pipe_list_contains(list_text, item) -%}
    array_contains(split({{ list_text }}, '[|]'), {{ item }})
{%- endmacro %}
