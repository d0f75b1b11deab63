{% macro default__feed_file_bytes() -%}
    {#- DuckDB reads the bytes of exactly the listed data files (feed_file_paths; no file, no rows). -#}
    {%- set paths = feed_file_paths('csv') + feed_file_paths('parquet') %}
    -- the source {{ source('feeds', 'files').identifier }}: the listed data files
    {%- if paths %}
    select
        filename,
        content,
        size
    from read_blob([{% for path in paths %}{{ file_literal(path) }}{{ ', ' if not loop.last }}{% endfor %}])
    {%- else %}
    select
        cast(null as varchar) as filename,
        cast(null as blob) as content,
        cast(null as bigint) as size
    where false
    {%- endif %}
{%- endmacro %}
