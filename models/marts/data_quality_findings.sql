-- Grain: one row per failed sum check (audit.sum_check_findings), with its document and source
-- line, for analysts and the report.
with

findings as (

    select * from {{ ref('sum_check_findings') }}

),

documents as (

    select * from {{ ref('dim_document') }}

),

final as (

    select
        -- ids
        findings.sum_check_id,
        findings.check_code,
        findings.document_id,
        findings.geography_code,
        findings.component_code,
        findings.phase_code,

        -- strings
        findings.classification,
        documents.title_vi as document_title_vi,
        documents.geography_name_vi,
        findings.locator,
        findings.source_file,
        findings.source_text,
        findings.parts_detail,
        findings.acknowledgment_note,

        -- numerics
        findings.source_line,
        findings.period_start_year,
        findings.period_end_year,
        findings.reported_amount_million_vnd,
        findings.computed_amount_million_vnd,
        findings.difference_million_vnd,

        -- booleans
        findings.is_acknowledged

    from findings
    inner join documents
        on findings.document_id = documents.document_id

)

select * from final
