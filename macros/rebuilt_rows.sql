{% macro rebuilt_rows(column='source_partition', level='partition') %}
    {#- Row filter of a data test in an incremental refresh's build (the run var `changed_partitions`, macros/run_var.sql,
        set, no --full-refresh): the rows of the rebuilt partitions (level `province`: of their
        provinces), `false` when none changed; none in any other build, where a test checks every
        row. Tests have no is_incremental(): this is its counterpart for them. The var
        `check_every_row` (the last pass of a sliced full build, src/ntp_poverty/build/slices.py)
        makes every test check every row although the models ran incrementally. -#}
    {%- set changed = rebuilt_partitions(level) -%}
    {%- if changed is none or flags.FULL_REFRESH or run_var('check_every_row', false) -%}
        {{ return(none) }}
    {%- else -%}
        {{ return(partition_filter(column, changed)) }}
    {%- endif -%}
{%- endmacro %}
