{% macro partition_filter(column, changed) %}
    {#- `coalesce(column in (<changed>), false)` as SQL, or `false` when `changed` is empty: the one
        rendering of a rebuilt-partitions filter, shared by in_rebuilt_partitions (models),
        rebuilt_rows (tests) and delete_rebuilt_partitions (pre-hooks).
        Why the coalesce: DuckDB turns a bare `column in (a, b, c)` into an optional filter that the
        scan may use to skip row groups by their min/max, then applies it after the scan, and a text
        column's min/max keep only its first 8 bytes (`province` for every partition), so every
        row of every column was read. Wrapped in an expression, the filter runs inside the scan and
        only the matching rows' other columns are read: 3 of 322 partitions of a 10M-leaf table in
        0.04 s instead of 1.0 s. Same rows in both forms (coalesce turns null into false, which
        `where` drops anyway); standard SQL, so Spark reads it too. -#}
    {%- if changed | length == 0 -%}
        {{ return('false') }}
    {%- else -%}
        {{ return('coalesce(' ~ column ~ ' in (' ~ sql_string_list(changed) ~ '), false)') }}
    {%- endif -%}
{%- endmacro %}
