{% macro default__nfc(text) -%}
    nfc_normalize({{ text }})
{%- endmacro %}
