{% macro same_block_and_period(left, right, left_block='statement_group') %}
    {#- Join predicate: two printed amounts of one document, block, geography, phase, basis and
        period (years and, for feed line items, month; null-safe): block_and_period_columns. The
        partition is implied by the document; stating it lets an incremental refresh's partition
        filter reach both sides. -#}
    {%- for column, null_safe in block_and_period_columns() %}
    {% if not loop.first %}and {% endif -%}
    {{ left }}.{{ left_block if column == 'statement_group' else column }}
    {{- ' is not distinct from ' if null_safe else ' = ' -}}
    {{ right }}.{{ column }}
    {%- endfor %}
{% endmacro %}
