{% macro default__plain_number(column) %}
    regexp_replace(regexp_replace(cast({{ column }} as varchar), '(\.\d*?)0+$', '\1'), '\.$', '')
{% endmacro %}
