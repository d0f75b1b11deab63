{% macro inline_cte() %}
    {#- Between `<name> as` and a CTE's parenthesis: the CTE is computed where each part of the query
        reads it instead of once with every row kept, which for tens of millions of wide rows means
        writing them all to the temp directory and reading them back. -#}
    {{ return(adapter.dispatch('inline_cte', 'ntp_poverty')()) }}
{% endmacro %}
