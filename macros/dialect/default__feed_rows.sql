{% macro default__feed_rows(source_relation, files, columns, with_provenance=true) -%}
    {#- DuckDB reads the files through the source's external_location (read_csv / read_parquet with
        union_by_name, filename and hive_partitioning); the contract's columns are named once more so
        that a feed without files of the format gives no rows instead of a missing-column error. -#}
    {%- set names = (columns | list) + (['filename', 'province', 'year'] if with_provenance else []) -%}
    select * from (
        select
            {%- for name in names %}
            null as {{ name }}{{ ',' if not loop.last }}
            {%- endfor %}
        where false
    ) as contract_columns
    union all by name
    select * from {{ source_relation }}
{%- endmacro %}
