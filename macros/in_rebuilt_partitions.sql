{% macro in_rebuilt_partitions(column='source_partition', level='partition') %}
    {#- Row filter of an incremental model: in an incremental run with `changed_partitions`, only
        the rows of those partitions (level `province`: of their provinces) are computed again;
        in the first pass of a sliced full build (`deferred_partitions`, set by
        src/ntp_poverty/build/slices.py) every row except those partitions' (their provinces'),
        which the next passes add as incremental runs; otherwise (a full refresh, a first build, or
        `dbt build` without the vars) every row.
        The filter (macros/partition_filter.sql) runs inside DuckDB's scan, so only the rebuilt
        rows' columns are read. -#}
    {%- set changed = rebuilt_partitions(level) -%}
    {%- set deferred = rebuilt_partitions(level, 'deferred_partitions') -%}
    {%- if is_incremental() and changed is not none -%}
        {{ partition_filter(column, changed) }}
    {%- elif deferred is not none -%}
        not {{ partition_filter(column, deferred) }}
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
