{% macro sum_check_part_columns(relation) %}
    {#- The columns of a part of a sum check that same_block_and_period compares (document, block,
        geography, phase, basis, period, partition), and its amount: the select list of a CTE of parts,
        so that the list is written once. -#}
    {{ relation }}.source_partition,
    {{ relation }}.document_id,
    {{ relation }}.statement_group,
    {{ relation }}.geography_code,
    {{ relation }}.phase_code,
    {{ relation }}.amount_basis,
    {{ relation }}.period_start_year,
    {{ relation }}.period_end_year,
    {{ relation }}.period_month,
    {{ relation }}.amount_million_vnd
{%- endmacro %}
