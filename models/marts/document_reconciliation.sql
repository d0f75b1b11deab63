-- Grain: one row per source document × phase that it prints amounts of: how many of its printed
-- totals were checked, how many do not add up, and by how much. Phases are never added together:
-- a document's requested and allocated amounts are two rows.
with

amounts as (

    select * from {{ ref('fct_plan_amount') }}

),

reported_totals as (

    select * from {{ ref('fct_reported_total') }}

),

checks as (

    select * from {{ ref('sum_checks') }}

),

findings as (

    select * from {{ ref('sum_check_findings') }}

),

documents as (

    select * from {{ ref('dim_document') }}

),

leaf_counts as (

    select
        document_id,
        phase_code,
        count(distinct amount_id) as n_leaf_amounts,
        sum(amount_million_vnd) as leaf_total_million_vnd,
        count(distinct amount_id) filter (where is_unitemised_total) as n_unitemised_totals,
        coalesce(sum(amount_million_vnd) filter (where is_unitemised_total), 0)
            as unitemised_total_million_vnd
    from amounts
    group by document_id, phase_code

),

total_counts as (

    select
        document_id,
        phase_code,
        count(*) as n_printed_totals
    from reported_totals
    group by document_id, phase_code

),

check_counts as (

    select
        document_id,
        phase_code,
        count(*) as n_comparisons
    from checks
    group by document_id, phase_code

),

finding_sums as (

    select
        document_id,
        phase_code,
        count(*) filter (where classification = 'arithmetic_mismatch') as n_arithmetic_mismatches,
        count(*) filter (
            where classification = 'arithmetic_mismatch' and is_acknowledged
        ) as n_acknowledged_mismatches,
        count(*) filter (where classification = 'incomplete_breakdown') as n_incomplete_breakdowns,
        coalesce(
            sum(abs(difference_million_vnd)) filter (where classification = 'arithmetic_mismatch'),
            0
        ) as mismatch_amount_million_vnd,
        coalesce(
            sum(difference_million_vnd) filter (where classification = 'incomplete_breakdown'), 0
        ) as unitemised_amount_million_vnd
    from findings
    group by document_id, phase_code

),

-- every phase the document prints an amount of, as a leaf or as a printed total
document_phases as (

    select
        document_id,
        phase_code
    from leaf_counts

    union distinct

    select
        document_id,
        phase_code
    from total_counts

),

final as (

    select
        -- ids
        documents.document_id,
        document_phases.phase_code,
        documents.geography_code,

        -- strings
        documents.title_vi as document_title_vi,
        documents.status,
        documents.total_funding_sources,

        -- numerics
        cast(coalesce(leaf_counts.n_leaf_amounts, 0) as integer) as n_leaf_amounts,
        cast(coalesce(total_counts.n_printed_totals, 0) as integer) as n_printed_totals,
        cast(coalesce(check_counts.n_comparisons, 0) as integer) as n_comparisons,
        cast(coalesce(finding_sums.n_arithmetic_mismatches, 0) as integer)
            as n_arithmetic_mismatches,
        cast(coalesce(finding_sums.n_acknowledged_mismatches, 0) as integer)
            as n_acknowledged_mismatches,
        cast(coalesce(finding_sums.n_incomplete_breakdowns, 0) as integer)
            as n_incomplete_breakdowns,
        cast(coalesce(leaf_counts.n_unitemised_totals, 0) as integer) as n_unitemised_totals,
        cast(coalesce(leaf_counts.leaf_total_million_vnd, 0) as decimal(18, 3))
            as leaf_total_million_vnd,
        cast(coalesce(finding_sums.mismatch_amount_million_vnd, 0) as decimal(18, 3))
            as mismatch_amount_million_vnd,
        cast(
            coalesce(finding_sums.unitemised_amount_million_vnd, 0)
            + coalesce(leaf_counts.unitemised_total_million_vnd, 0)
            as decimal(18, 3)
        ) as unitemised_amount_million_vnd

    from document_phases
    inner join documents
        on document_phases.document_id = documents.document_id
    left join leaf_counts
        on
            document_phases.document_id = leaf_counts.document_id
            and document_phases.phase_code = leaf_counts.phase_code
    left join total_counts
        on
            document_phases.document_id = total_counts.document_id
            and document_phases.phase_code = total_counts.phase_code
    left join check_counts
        on
            document_phases.document_id = check_counts.document_id
            and document_phases.phase_code = check_counts.phase_code
    left join finding_sums
        on
            document_phases.document_id = finding_sums.document_id
            and document_phases.phase_code = finding_sums.phase_code

)

select * from final
