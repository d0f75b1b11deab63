{% macro spark__file_literal(path) -%}
    {#- Hadoop's glob takes a backslash before a glob character as that character itself
        (spark_glob_escape); Spark SQL's string literal needs each backslash and quote escaped once more. -#}
    {{ return("'" ~ (spark_glob_escape(path) | replace('\\', '\\\\') | replace("'", "\\'")) ~ "'") }}
{%- endmacro %}
