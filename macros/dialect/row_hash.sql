{% macro row_hash(columns) %}
    {#- One fixed-width hash of several columns (nulls hash alike): a group by on it needs a fraction
        of the memory of one on the columns themselves. Equal values give equal hashes; different
        values may collide, so a caller checks the rows of a repeated hash again by their values. -#}
    {{ return(adapter.dispatch('row_hash', 'ntp_poverty')(columns)) }}
{% endmacro %}
