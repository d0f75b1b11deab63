{% macro pipe_list_contains(list_text, item) %}
    {#- Boolean: item is one of the items of a "|"-separated text (null when the text is null). -#}
    {{ return(adapter.dispatch('pipe_list_contains', 'ntp_poverty')(list_text, item)) }}
{% endmacro %}
