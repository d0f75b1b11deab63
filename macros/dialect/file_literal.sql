{% macro file_literal(path) %}
    {#- A file's path as a SQL string literal that names exactly that file: the one way a path
        reaches SQL text (a path is data, never SQL; quotes and glob characters in it are literal). -#}
    {{ return(adapter.dispatch('file_literal', 'ntp_poverty')(path)) }}
{% endmacro %}
