{% macro default__unnest_pipe_list(list_text) -%}
    unnest(string_split({{ list_text }}, '|'))
{%- endmacro %}
