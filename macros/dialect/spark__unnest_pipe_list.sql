{% macro spark__unnest_pipe_list(list_text) -%}
    {#- split takes a regular expression: the pipe is a character class. -#}
    explode(split({{ list_text }}, '[|]'))
{%- endmacro %}
