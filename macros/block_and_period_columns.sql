{% macro block_and_period_columns() %}
    {#- The columns that place a printed amount in its block and period, as (column, null-safe)
        pairs: partition, document, block, geography, phase, basis, and the period (years and, for
        feed line items, month; for an amount to a date, that date; compared null-safe).
        same_block_and_period joins on them and
        sum_check_part_columns selects them, from this one list. -#}
    {{ return([
        ('source_partition', false), ('document_id', false), ('statement_group', false),
        ('geography_code', false), ('phase_code', false), ('amount_basis', false),
        ('period_start_year', true), ('period_end_year', true), ('period_month', true), ('as_of_date', true),
    ]) }}
{%- endmacro %}
