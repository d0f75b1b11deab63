{% macro mean(expression) %}
    {#- The average of a decimal expression as a double (an aggregate; may take an over clause). -#}
    {{ return(adapter.dispatch('mean', 'ntp_poverty')(expression)) }}
{% endmacro %}
