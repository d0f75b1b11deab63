{% macro same_block_and_period(left, right, left_block='statement_group') %}
    {#- Join predicate: two printed amounts of one document, block, geography, phase, basis and
        period (years and, for feed line items, month; null-safe). The partition is implied by the
        document; stating it lets an incremental refresh's partition filter reach both sides. -#}
    {{ left }}.source_partition = {{ right }}.source_partition
    and {{ left }}.document_id = {{ right }}.document_id
    and {{ left }}.{{ left_block }} = {{ right }}.statement_group
    and {{ left }}.geography_code = {{ right }}.geography_code
    and {{ left }}.phase_code = {{ right }}.phase_code
    and {{ left }}.amount_basis = {{ right }}.amount_basis
    and {{ left }}.period_start_year is not distinct from {{ right }}.period_start_year
    and {{ left }}.period_end_year is not distinct from {{ right }}.period_end_year
    and {{ left }}.period_month is not distinct from {{ right }}.period_month
{% endmacro %}
