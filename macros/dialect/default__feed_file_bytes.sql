{% macro default__feed_file_bytes() -%}
    {#- DuckDB reads the bytes through the source's external_location (read_blob over both globs;
        no file, no rows). -#}
    select
        filename,
        content,
        size
    from {{ source('feeds', 'files') }}
{%- endmacro %}
