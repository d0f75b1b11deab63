{% macro spark__nfc(text) -%}
    {#- Spark SQL has no NFC function: ICU's Normalizer (icu4j ships in pyspark's jars) through
        reflect, which cannot take a null argument. -#}
    case
        when {{ text }} is not null
            then reflect('com.ibm.icu.text.Normalizer', 'compose', {{ text }}, false)
    end
{%- endmacro %}
