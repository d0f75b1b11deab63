{% macro feed_partition_key(province_column, year_column) %}
    {#- The feed partition of a line item, `province=<code>/year=<yyyy>` (its folder in the feed);
        transcribed documents are the partition `documents`. -#}
    'province=' || {{ province_column }} || '/year=' || cast({{ year_column }} as varchar)
{%- endmacro %}


{% macro rebuilt_partitions() %}
    {#- The feed partitions an incremental refresh rebuilds: the dbt var `changed_partitions` (a
        list of `province=<code>/year=<yyyy>`, set by scripts/refresh from the partitions' content
        hashes), or none when the var is not set (then every partition is rebuilt). -#}
    {%- set changed = var('changed_partitions', none) -%}
    {%- if changed is string -%}
        {%- set changed = fromjson(changed) -%}
    {%- endif -%}
    {{ return(changed) }}
{%- endmacro %}


{% macro in_rebuilt_partitions(column='source_partition') %}
    {#- Row filter of an incremental model: in an incremental run with `changed_partitions`, only
        the rows of those partitions are computed again; otherwise (a full refresh, a first build,
        or `dbt build` without the var) every row. -#}
    {%- set changed = rebuilt_partitions() -%}
    {%- if is_incremental() and changed is not none -%}
        {%- if changed | length == 0 -%}
            false
        {%- else -%}
            {{ column }} in ({{ sql_string_list(changed) }})
        {%- endif -%}
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}


{% macro delete_rebuilt_partitions(column='source_partition') %}
    {#- Pre-hook of an incremental model (delete+insert by partition): delete the rows of the
        partitions about to be computed again, including partitions whose files were removed;
        without `changed_partitions` every row, so that a plain `dbt build` recomputes the
        whole table and can never leave stale rows behind. -#}
    {%- if is_incremental() -%}
        {%- set changed = rebuilt_partitions() -%}
        {%- if changed is none -%}
            delete from {{ this }}
        {%- elif changed | length > 0 -%}
            delete from {{ this }} where {{ column }} in ({{ sql_string_list(changed) }})
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}


{% macro sql_string_list(values) %}
    {#- Comma-separated SQL string literals of `values` (quotes doubled). -#}
    {%- for value in values -%}
        '{{ value | replace("'", "''") }}'{{ ", " if not loop.last }}
    {%- endfor -%}
{%- endmacro %}
