{% macro in_rebuilt_partitions(column='source_partition', level='partition') %}
    {#- Row filter of an incremental model: in an incremental run with `changed_partitions`, only
        the rows of those partitions (level `province`: of their provinces) are computed again;
        otherwise (a full refresh, a first build, or `dbt build` without the var) every row.
        The filter (macros/partition_filter.sql) runs inside DuckDB's scan, so only the rebuilt
        rows' columns are read. -#}
    {%- set changed = rebuilt_partitions(level) -%}
    {%- if is_incremental() and changed is not none -%}
        {{ partition_filter(column, changed) }}
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
