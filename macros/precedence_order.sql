{% macro precedence_order(documents) %}
    {#- The order of precedence between documents that give a value for the same thing, decided
        within each geography and period where it is used (a window's partition): the better
        status first (seed document_statuses: issued, report of an issued document, draft, feed
        report), then the later issued date, then the shorter period (a plan for the year over a
        plan for several years), then the document id, so that two documents never tie; except the
        feed's reports, which are of equal standing (each report is its own month or phase of one
        system, and a report never restates another's cell): they tie, and each keeps its amounts.
        `documents`: the alias of core.dim_document (or a relation with its columns status,
        status_precedence, issued_date, period_start_year, period_end_year, document_id). Nulls
        last on every engine (Spark puts them first). -#}
    {{ documents }}.status_precedence asc nulls last,
    {{ documents }}.issued_date desc nulls last,
    {{ documents }}.period_end_year - {{ documents }}.period_start_year asc nulls last,
    case when {{ documents }}.status != 'reporting_system' then {{ documents }}.document_id end
    asc nulls last
{%- endmacro %}
