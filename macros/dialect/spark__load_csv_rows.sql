{#- Spark implementations of dbt's own dispatched macros (the root project's win over dbt-spark's),
    so that the project's declared DuckDB type names work on Spark: seeds' column_types and the
    contracts' data_type go through type_name. -#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {#- dbt-spark's seed loading, casting every value to the column's Spark type. Values are
        written as SQL literals (null for an empty cell, quotes and backslashes escaped): the session
        method's parameter binding writes None as 'None' and does not escape quotes. -#}
    {#- a few hundred rows per statement: Spark parses one huge VALUES list far slower than many small ones -#}
    {% set batch_size = 2000 %}
    {% set column_override = model['config'].get('column_types', {}) %}
    {% set types = [] %}
    {% for col_name in agate_table.column_names %}
        {% set inferred_type = adapter.convert_type(agate_table, loop.index0) %}
        {% do types.append(ntp_poverty.type_name(column_override.get(col_name, inferred_type))) %}
    {% endfor %}
    {% set statements = [] %}
    {% for chunk in agate_table.rows | batch(batch_size) %}
        {% set sql %}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for value in row -%}
                    {%- set literal = 'null' if value is none else
                        "'" ~ (value | string | replace("\\", "\\\\") | replace("'", "\\'")) ~ "'" -%}
                    {%- if types[loop.index0] == 'string' -%}
                        {{ literal }}
                    {%- else -%}
                        cast({{ literal }} as {{ types[loop.index0] }})
                    {%- endif -%}
                    {%- if not loop.last %},{%- endif %}
                {%- endfor -%})
                {%- if not loop.last %},{%- endif %}
            {%- endfor %}
        {% endset %}
        {% do adapter.add_query(sql, abridge_sql_log=True) %}
        {% if loop.index0 == 0 %}
            {% do statements.append(sql) %}
        {% endif %}
    {% endfor %}
    {{ return(statements[0]) }}
{% endmacro %}
