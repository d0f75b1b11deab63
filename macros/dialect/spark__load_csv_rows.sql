{#- Spark implementations of dbt's own dispatched macros (the root project's win over dbt-spark's),
    so that the project's declared DuckDB type names work on Spark: seeds' column_types and the
    contracts' data_type go through type_name. -#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {#- Spark reads the seed's CSV file itself (a temporary view over it, every column text) and
        the insert casts each column to its declared type: rendering the rows as SQL literals in
        Jinja took 25 s for the geography seed's 14,000 rows. The file is the one dbt read into
        agate_table (its column names and types come from there); an empty cell is null, as dbt's
        agate reading makes it, on both sides of a quoted or unquoted empty field. -#}
    {% set column_override = model['config'].get('column_types', {}) %}
    {% set path = model['root_path'] ~ '/' ~ model['original_file_path'] %}
    {% set view = model['alias'] ~ '__csv' %}
    {% call statement('seed_csv_view') %}
        create or replace temporary view {{ view }}
        using csv
        options (
            path '{{ path | replace("\\", "\\\\") | replace("'", "\\'") }}',
            header 'true',
            multiLine 'true',
            escape '"',
            encoding 'UTF-8',
            mode 'FAILFAST',
            enforceSchema 'false'
        )
    {% endcall %}
    {% set columns = [] %}
    {% for col_name in agate_table.column_names %}
        {% set inferred_type = adapter.convert_type(agate_table, loop.index0) %}
        {% set type = ntp_poverty.type_name(column_override.get(col_name, inferred_type)) %}
        {% set text = "nullif(`" ~ col_name ~ "`, '')" %}
        {% do columns.append(text if type == 'string' else 'cast(' ~ text ~ ' as ' ~ type ~ ')') %}
    {% endfor %}
    {% set sql %}
        insert into {{ this.render() }}
        select {{ columns | join(', ') }}
        from {{ view }}
    {% endset %}
    {% do adapter.add_query(sql, abridge_sql_log=True) %}
    {{ return(sql) }}
{% endmacro %}
