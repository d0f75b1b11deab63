{% macro spark__plain_number(column) %}
    {#- Spark: Java regular expressions in string literals that unescape backslashes, and $1 for a group. -#}
    regexp_replace(regexp_replace(cast({{ column }} as string), '(\\.\\d*?)0+$', '$1'), '\\.$', '')
{% endmacro %}
