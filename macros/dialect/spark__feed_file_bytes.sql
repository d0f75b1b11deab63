{% macro spark__feed_file_bytes() -%}
    {#- Spark reads the bytes with its binaryFile source over the partition folders of NTP_FEEDS
        (a path every executor can read); the source feeds.files is kept in the lineage. -#}
    {%- set root = env_var('NTP_FEEDS', 'feeds/sample') | replace('\\', '/') -%}
    {%- set root = root[:-1] if root.endswith('/') else root -%}
    {%- set root = spark_literal_path(root) | replace('`', '``') -%}
    -- depends on: {{ source('feeds', 'files') }}
    select
        path as filename,
        content,
        length as size
    from binaryFile.`{{ root }}/province=*/year=*/*.{csv,parquet}`
{%- endmacro %}
