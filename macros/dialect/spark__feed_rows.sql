{% macro spark__feed_rows(source_relation, files, columns, with_provenance=true) -%}
    {#- Spark reads the files of NTP_FEEDS (a path every executor can read: local, shared
        filesystem or object store) through a temporary view with the contract's schema, created
        when the model runs. CSV: every column as text, the header must name the contract's columns
        in the contract's order (enforceSchema false: another order is an error, never a silent
        shift). Parquet: columns by name with the contract's types. The partition values come from
        the folders (basePath), the file from input_file_name(); the row's provenance number is the
        file's own row_number column. A glob of folders that match no file gives no rows. -#}
    {%- set root = env_var('NTP_FEEDS', 'feeds/sample') | replace('\\', '/') -%}
    {%- set root = root[:-1] if root.endswith('/') else root -%}
    {%- set glob_root = spark_literal_path(root) -%}
    {%- set folder_glob, _, file_glob = files.rpartition('/') -%}
    {%- set is_csv = file_glob.endswith('.csv') -%}
    {%- set view = 'ntp_feed_' ~ source_relation.identifier -%}
    {%- set options = {'pathGlobFilter': file_glob} -%}
    {%- if folder_glob -%}
        {%- do options.update({'path': glob_root ~ '/' ~ folder_glob, 'basePath': root}) -%}
    {%- else -%}
        {%- do options.update({'path': glob_root, 'recursiveFileLookup': 'true'}) -%}
    {%- endif -%}
    {%- if is_csv -%}
        {%- do options.update({'header': 'true', 'enforceSchema': 'false', 'sep': ',', 'quote': '"',
                               'escape': '"', 'multiLine': 'true', 'mode': 'FAILFAST'}) -%}
    {%- endif -%}
    {%- set schema = [] -%}
    {%- for name, data_type in columns.items() -%}
        {%- do schema.append(name ~ ' ' ~ ('string' if is_csv else data_type)) -%}
    {%- endfor -%}
    {%- if with_provenance and folder_glob -%}
        {%- do schema.extend(['province string', 'year string']) -%}
    {%- endif -%}
    {%- if execute -%}
        {%- set create_view -%}
            create or replace temporary view {{ view }} ({{ schema | join(', ') }})
            using {{ 'csv' if is_csv else 'parquet' }}
            options (
                {%- for key, value in options.items() %}
                {{ key }} '{{ value | replace('\\', '\\\\') | replace("'", "\\'") }}'{{ ',' if not loop.last }}
                {%- endfor %}
            )
        {%- endset -%}
        {%- do run_query(create_view) -%}
    {%- endif %}
    select
        *{{ ', input_file_name() as filename' if with_provenance }}
    from {{ view }}
{%- endmacro %}
