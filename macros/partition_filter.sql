{% macro partition_filter(column, changed) %}
    {#- `column in (<changed>)` as SQL, or `false` when `changed` is empty: the one rendering of a
        rebuilt-partitions filter, shared by in_rebuilt_partitions (models) and rebuilt_rows (tests). -#}
    {%- if changed | length == 0 -%}
        {{ return('false') }}
    {%- else -%}
        {{ return(column ~ ' in (' ~ sql_string_list(changed) ~ ')') }}
    {%- endif -%}
{%- endmacro %}
