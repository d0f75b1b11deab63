-- Question: how much of each document's printed totals cannot be reconciled with their parts?
-- How to read: one row per document and phase (phases are never added together);
-- mismatch_amount = sum of |printed total - sum of printed parts| over totals whose parts are all
-- printed (arithmetic mismatches, acknowledged or not);
-- unitemised_amount = what printed totals exceed their printed parts where the document leaves
-- parts out, or prints no parts at all (n_unitemised_totals). Zero everywhere means every printed
-- total adds up.
with

reconciliation as (

    select * from {{ ref('document_reconciliation') }}

),

final as (

    select
        document_id,
        phase_code,
        status,
        n_printed_totals,
        n_comparisons,
        n_arithmetic_mismatches,
        n_acknowledged_mismatches,
        n_incomplete_breakdowns,
        n_unitemised_totals,
        mismatch_amount_million_vnd,
        unitemised_amount_million_vnd
    from reconciliation

)

select * from final
order by mismatch_amount_million_vnd desc, document_id asc, phase_code asc
