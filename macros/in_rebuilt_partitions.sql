{% macro in_rebuilt_partitions(column='source_partition', level='partition', relation=none) %}
    {#- Row filter of an incremental model: in an incremental run with `changed_partitions`, only
        the rows of those partitions (level `province`: of their provinces) are computed again;
        otherwise (a full refresh, a first build, or `dbt build` without the var) every row.
        `relation`: the table the filtered query reads alone (never a view), so that only the rebuilt
        rows' storage is read (macros/dialect/rows_where.sql). -#}
    {%- set changed = rebuilt_partitions(level) -%}
    {%- if is_incremental() and changed is not none -%}
        {%- if relation is not none and changed | length > 0 -%}
            {{ rows_where(relation, partition_filter(column, changed)) }}
        {%- else -%}
            {{ partition_filter(column, changed) }}
        {%- endif -%}
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
