{% macro rebuilt_partitions(level='partition', var_name='changed_partitions') %}
    {#- What an incremental refresh rebuilds, from the run var `changed_partitions` (macros/run_var.sql) (a list of
        `province=<code>/year=<yyyy>`, set by `ntp refresh` from the partitions' content hashes):
        level `partition`, those feed partitions; level `province`, the provinces they belong to
        (the slices of models whose rows combine several years of a province). None when the var
        is not set (then everything is rebuilt). `var_name`: another var of partitions read the
        same way (`deferred_partitions`, macros/in_rebuilt_partitions.sql). -#}
    {%- set changed = run_var(var_name) -%}
    {%- if changed is string -%}
        {%- set changed = fromjson(changed) -%}
    {%- endif -%}
    {%- if changed is none or level == 'partition' -%}
        {{ return(changed) }}
    {%- elif level == 'province' -%}
        {%- set provinces = [] -%}
        {%- for partition in changed -%}
            {%- set province = partition.split('/')[0].split('=')[-1] -%}
            {%- if province not in provinces -%}
                {%- do provinces.append(province) -%}
            {%- endif -%}
        {%- endfor -%}
        {{ return(provinces | sort) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error("rebuilt_partitions: level must be 'partition' or 'province', not '"
            ~ level ~ "'") }}
    {%- endif -%}
{%- endmacro %}
