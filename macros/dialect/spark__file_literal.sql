{% macro spark__file_literal(path) -%}
    {#- A path Hadoop reads as itself (spark_literal_path refuses glob characters), with backslashes
        and the quote escaped for Spark SQL's string literal. -#}
    {{ return("'" ~ (spark_literal_path(path) | replace('\\', '\\\\') | replace("'", "\\'")) ~ "'") }}
{%- endmacro %}
