{% macro feed_file_paths(kind) %}
    {#- The feed's files of one kind ('csv', 'parquet' or 'acknowledged') in the list the preflight
        made and validated (src/ntp_poverty/validate/feed_files.py), read when the model runs: dbt
        reads exactly these files, never a glob of its own. The list is the file named by
        NTP_FEED_FILES (the refresh's run folder), default target/feed_files.csv, which
        `ntp validate feeds` writes once the feed passes. DuckDB reads the list. -#}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set list_file = env_var('NTP_FEED_FILES', 'target/feed_files.csv') -%}
    {%- set listed = run_query('select count(*) from glob(' ~ file_literal(list_file) ~ ')') -%}
    {%- if listed.columns[0].values()[0] == 0 -%}
        {{ exceptions.raise_compiler_error(
            "No feed file list at " ~ list_file ~ " (NTP_FEED_FILES): run `ntp validate feeds`, which "
            ~ "validates the feed (NTP_FEEDS, default feeds/sample) and writes the list dbt reads"
        ) }}
    {%- endif -%}
    {%- set query -%}
        select path
        from read_csv({{ file_literal(list_file) }}, header = true, delim = ',', quote = '"',
            escape = '"', comment = '', skip = 0, strict_mode = true, all_varchar = true)
        where kind = '{{ kind }}'
        order by feed_file
    {%- endset -%}
    {{ return(run_query(query).columns[0].values() | list) }}
{% endmacro %}
