{% macro spark__type_name(data_type) %}
    {%- set normalized = (data_type | string).strip().lower() -%}
    {%- if normalized in ('varchar', 'text', 'string') -%}
        {{ return('string') }}
    {%- else -%}
        {{ return(data_type) }}
    {%- endif -%}
{% endmacro %}
