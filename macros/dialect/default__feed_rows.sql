{% macro default__feed_rows(source_relation, files, columns, with_provenance=true) -%}
    {#- DuckDB reads exactly the files the preflight listed (feed_file_paths), each path through
        file_literal, strictly: no comment lines, no skipped rows, a ragged row or an unclosed quote
        fails the read. The contract's columns are named once more so that a feed without files of
        the format gives no rows instead of a missing-column error. -#}
    {%- set kind = 'acknowledged' if files == 'acknowledged.csv' else files.rpartition('.')[2] -%}
    {%- set paths = feed_file_paths(kind) -%}
    {%- set names = (columns | list) + (['filename', 'province', 'year'] if with_provenance else []) -%}
    -- the source {{ source_relation.identifier }}: the listed {{ kind }} files
    select * from (
        select
            {%- for name in names %}
            null as {{ name }}{{ ',' if not loop.last }}
            {%- endfor %}
        where false
    ) as contract_columns
    {%- if paths %}
    union all by name
    select * from
    {%- set listed -%}
        [{% for path in paths %}{{ file_literal(path) }}{{ ', ' if not loop.last }}{% endfor %}]
    {%- endset %}
    {%- if kind == 'parquet' %}
        read_parquet({{ listed }}, union_by_name = true,
            hive_partitioning = {{ with_provenance }}, hive_types_autocast = false, filename = {{ with_provenance }})
    {%- else %}
        read_csv({{ listed }}, header = true, delim = ',', quote = '"', escape = '"', comment = '',
            skip = 0, strict_mode = true, null_padding = false, ignore_errors = false, all_varchar = true,
            union_by_name = true, hive_partitioning = {{ with_provenance }}, hive_types_autocast = false,
            filename = {{ with_provenance }})
    {%- endif %}
    {%- endif %}
{%- endmacro %}
