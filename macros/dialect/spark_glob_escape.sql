{% macro spark_glob_escape(text) -%}
    {#- ``text`` with a backslash before each of Hadoop's glob characters \ [ ] { } * ?: a folder of the
        feed named with them is read as named, not as a pattern. -#}
    {%- set ns = namespace(text='') -%}
    {%- for character in text | string -%}
        {%- set ns.text = ns.text ~ ('\\' ~ character if character in '\\[]{}*?' else character) -%}
    {%- endfor -%}
    {{ return(ns.text) }}
{%- endmacro %}
