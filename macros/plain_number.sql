{% macro plain_number(column) %}
    {#- A decimal as text without trailing zeros ("8.000" -> "8", "1.500" -> "1.5"), so that a
        number in a label cannot be misread as a Vietnamese thousands group. -#}
    {{ return(adapter.dispatch('plain_number', 'ntp_poverty')(column)) }}
{% endmacro %}
