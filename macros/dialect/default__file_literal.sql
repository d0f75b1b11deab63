{% macro default__file_literal(path) -%}
    {#- DuckDB expands [ * ? in a reader's path as a glob: each goes inside brackets ([[], [*], [?]),
        which matches that character itself ([ first, so that the brackets added for * and ? stay);
        then the SQL quote ' is doubled. -#}
    {{ return("'" ~ (path | string | replace('[', '[[]') | replace('*', '[*]') | replace('?', '[?]')
        | replace("'", "''")) ~ "'") }}
{%- endmacro %}
