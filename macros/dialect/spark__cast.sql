{#- Spark implementations of dbt's own dispatched macros (the root project's win over dbt-spark's),
    so that the project's declared DuckDB type names work on Spark: seeds' column_types and the
    contracts' data_type go through type_name. -#}
{% macro spark__cast(field, type) -%}
    {#- dbt.cast; also what contracts use to build the declared schema (get_empty_schema_sql). -#}
    cast({{ field }} as {{ ntp_poverty.type_name(type) }})
{%- endmacro %}
