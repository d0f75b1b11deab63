-- Question: how much of each document's printed totals cannot be reconciled with their parts?
-- How to read: one row per document; mismatch_amount = sum of |printed total - sum of printed
-- parts| over totals whose parts are all printed (arithmetic mismatches, acknowledged or not);
-- unitemised_amount = what printed totals exceed their printed parts where the document leaves
-- parts out. Zero everywhere means every printed total adds up.
with

reconciliation as (

    select * from {{ ref('document_reconciliation') }}

),

final as (

    select
        document_id,
        status,
        n_printed_totals,
        n_comparisons,
        n_arithmetic_mismatches,
        n_acknowledged_mismatches,
        n_incomplete_breakdowns,
        mismatch_amount_million_vnd,
        unitemised_amount_million_vnd
    from reconciliation

)

select * from final
order by mismatch_amount_million_vnd desc, document_id asc
