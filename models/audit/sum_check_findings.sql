-- One row per failed comparison of a printed total with its parts.
with

checks as (

    select * from {{ ref('sum_checks') }}

),

acknowledged as (

    select * from {{ ref('int_acknowledged_source_errors') }}

),

-- a match or a difference within the printings' rounding is not a finding
failed as (

    select *
    from checks
    where outcome in ('mismatch', 'incomplete_breakdown')

),

final as (

    select
        -- ids
        failed.sum_check_id,
        failed.check_code,
        failed.reported_total_id,
        failed.document_id,
        failed.geography_code,
        failed.component_code,
        failed.funding_source_code,
        failed.capital_type_code,
        failed.phase_code,

        -- strings
        case
            when failed.outcome = 'mismatch' then 'arithmetic_mismatch'
            else 'incomplete_breakdown'
        end as classification,
        failed.sums_components,
        failed.sums_funding_sources,
        failed.sums_capital_types,
        failed.parts_detail,
        acknowledged.what_is_wrong as acknowledgment_note,
        acknowledged.evidence as acknowledgment_evidence,
        failed.statement_group,
        failed.locator,
        failed.source_file,
        failed.source_text,

        -- numerics
        failed.period_start_year,
        failed.period_end_year,
        failed.fiscal_year,
        failed.source_line,
        failed.reported_amount_million_vnd,
        failed.computed_amount_million_vnd,
        failed.difference_million_vnd,

        -- booleans
        acknowledged.document_id is not null as is_acknowledged

    from failed
    left join acknowledged
        on
            failed.document_id = acknowledged.document_id
            and failed.source_line = acknowledged.source_line
            and failed.check_code = acknowledged.check_code

)

select * from final
