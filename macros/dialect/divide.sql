{% macro divide(numerator, denominator) %}
    {#- numerator / denominator of decimals as a double (null when the denominator is null). -#}
    {{ return(adapter.dispatch('divide', 'ntp_poverty')(numerator, denominator)) }}
{% endmacro %}
