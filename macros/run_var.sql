{% macro run_var(name, default=none) %}
    {#- A value of this run (run_id, git_commit, project_fingerprint, changed_partitions,
        deferred_partitions, check_every_row): from the JSON object in the environment variable
        NTP_RUN_VARS (what `ntp refresh` sets, src/ntp_poverty/build/steps.py), else dbt's
        `var(name, default)` (`--vars` on the command line). Read only while dbt executes: at parse
        time it is `var(name, default)`, so that a new run's values do not make dbt parse the
        whole project again (a changed `--vars` does; a changed environment variable read while
        parsing makes dbt parse again every file that read it). -#}
    {%- if not execute -%}
        {{ return(var(name, default)) }}
    {%- endif -%}
    {%- set text = env_var('NTP_RUN_VARS', '') | trim -%}
    {%- set values = fromjson(text) if text else {} -%}
    {%- if values is not mapping -%}
        {{ exceptions.raise_compiler_error("NTP_RUN_VARS must hold a JSON object, not: " ~ text[:200]) }}
    {%- endif -%}
    {{ return(values[name] if name in values else var(name, default)) }}
{%- endmacro %}
