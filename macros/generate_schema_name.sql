{% macro generate_schema_name(custom_schema_name, node) -%}
    {#- Use the configured schema verbatim (staging, core, marts, audit): no target prefix. -#}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
