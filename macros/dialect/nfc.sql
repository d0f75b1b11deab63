{% macro nfc(text) %}
    {#- Unicode NFC normalisation of a text expression (null stays null). -#}
    {{ return(adapter.dispatch('nfc', 'ntp_poverty')(text)) }}
{% endmacro %}
