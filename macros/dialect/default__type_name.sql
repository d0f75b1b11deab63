{% macro default__type_name(data_type) %}
    {{ return(data_type) }}
{% endmacro %}
