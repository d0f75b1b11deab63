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
