{% macro spark_literal_path(path) -%}
    {#- ``path`` unchanged when Spark reads it as itself; a compile error when it holds a character
        Hadoop's glob would read as a pattern ([ ] { } * ? or a backslash): escaping them did not
        make Hadoop read such a folder literally (a folder x[ab] read its sibling xa), so the path is
        refused rather than read as another one. -#}
    {%- for character in '[]{}*?\\' -%}
        {%- if character in path | string -%}
            {{ exceptions.raise_compiler_error(
                "On Spark the feed's path may not contain " ~ character ~ " (Hadoop reads it as a glob "
                ~ "pattern and would read other files): " ~ path ~ "; rename the folder, or build on DuckDB"
            ) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(path | string) }}
{%- endmacro %}
