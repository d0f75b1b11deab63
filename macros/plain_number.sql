{% macro plain_number(column) %}
    {#- A decimal as text without trailing zeros ("8.000" -> "8", "1.500" -> "1.5"), so that a
        number in a label cannot be misread as a Vietnamese thousands group. -#}
    regexp_replace(regexp_replace(cast({{ column }} as varchar), '(\.\d*?)0+$', '\1'), '\.$', '')
{% endmacro %}
