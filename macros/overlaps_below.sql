{% macro overlaps_below(total, part, same_cell=false) %}
    {#- Join predicate: `part` is a printing of the same partition, document, geography and phase
        as the printed total `total`, within its period (and month; to the same date), of its component or one below
        it (`part.covered_code`: the part's component or one of that component's ancestors), whose
        source and capital type overlap the total's (equal, or either of them a total or not
        stated). Then the part's money is some of the total's. A printing of the very same cell
        overlaps only with `same_cell` (it restates the total; it does not break it down). The one
        rule of int_plan_amounts_leaf_selected (a total nothing breaks down is a leaf) and of
        audit.amount_accounting (a total is counted through the leaves it overlaps). -#}
    {{ total }}.source_partition = {{ part }}.source_partition
    and {{ total }}.document_id = {{ part }}.document_id
    and {{ total }}.geography_code = {{ part }}.geography_code
    and {{ total }}.phase_code = {{ part }}.phase_code
    and {{ total }}.component_code = {{ part }}.covered_code
    -- a total without a period overlaps a part of any period
    and (
        {{ total }}.period_start_year is null
        or {{ part }}.period_start_year >= {{ total }}.period_start_year
    )
    and (
        {{ total }}.period_end_year is null
        or {{ part }}.period_end_year <= {{ total }}.period_end_year
    )
    and (
        {{ total }}.period_month is null
        or {{ total }}.period_month = {{ part }}.period_month
    )
    -- an amount to a date and an amount for a whole period are different grains
    and {{ total }}.as_of_date is not distinct from {{ part }}.as_of_date
    and (
        {{ total }}.funding_source_code in ('total', 'unspecified', {{ part }}.funding_source_code)
        or {{ part }}.funding_source_code in ('total', 'unspecified')
    )
    and (
        {{ total }}.capital_type_code in ('total', 'unspecified', {{ part }}.capital_type_code)
        or {{ part }}.capital_type_code in ('total', 'unspecified')
    )
    {%- if not same_cell %}
    and not (
        {{ total }}.component_code = {{ part }}.component_code
        and {{ total }}.funding_source_code = {{ part }}.funding_source_code
        and {{ total }}.capital_type_code = {{ part }}.capital_type_code
    )
    {%- endif %}
{% endmacro %}
