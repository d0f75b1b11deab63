-- Grain: one row per failed check of a printed figure, with its document and source line, for
-- analysts and the report: a printed total that does not equal its parts (audit.sum_check_findings)
-- or a printed percentage that its printed amounts do not give (audit.percentage_checks).
with

findings as (

    select * from {{ ref('sum_check_findings') }}

),

percentage_checks as (

    select * from {{ ref('percentage_checks') }}

),

documents as (

    select * from {{ ref('dim_document') }}

),

percentage_findings as (

    -- a percentage is no amount: the money columns stay null and parts_detail says what differs
    select
        percentage_amount_id as sum_check_id,
        check_code,
        document_id,
        geography_code,
        component_code,
        phase_code,
        'percentage_mismatch' as classification,
        locator,
        source_file,
        source_text,
        'printed ' || percentage_printed || ' %; the printed amounts give '
        || cast(cast(computed_percent as decimal(18, 3)) as {{ dbt.type_string() }}) || ' % ('
        || cast(cast(computed_percent_low as decimal(18, 3)) as {{ dbt.type_string() }}) || ' to '
        || cast(cast(computed_percent_high as decimal(18, 3)) as {{ dbt.type_string() }})
        || ' % within their printed precision): '
        || numerator_amount_id || ' of ' || denominator_amount_id as parts_detail,
        acknowledgment_note,
        source_line,
        period_start_year,
        period_end_year,
        cast(null as decimal(18, 3)) as reported_amount_million_vnd,
        cast(null as decimal(18, 3)) as computed_amount_million_vnd,
        cast(null as decimal(18, 3)) as difference_million_vnd,
        is_acknowledged
    from percentage_checks
    where outcome = 'mismatch'

),

sum_findings as (

    select
        sum_check_id,
        check_code,
        document_id,
        geography_code,
        component_code,
        phase_code,
        classification,
        locator,
        source_file,
        source_text,
        parts_detail,
        acknowledgment_note,
        source_line,
        period_start_year,
        period_end_year,
        reported_amount_million_vnd,
        computed_amount_million_vnd,
        difference_million_vnd,
        is_acknowledged
    from findings

),

all_findings as (

    select * from sum_findings
    union all
    select * from percentage_findings

),

final as (

    select
        -- ids
        all_findings.sum_check_id,
        all_findings.check_code,
        all_findings.document_id,
        all_findings.geography_code,
        all_findings.component_code,
        all_findings.phase_code,

        -- strings
        all_findings.classification,
        documents.title_vi as document_title_vi,
        documents.geography_name_vi,
        all_findings.locator,
        all_findings.source_file,
        all_findings.source_text,
        all_findings.parts_detail,
        all_findings.acknowledgment_note,

        -- numerics
        all_findings.source_line,
        all_findings.period_start_year,
        all_findings.period_end_year,
        all_findings.reported_amount_million_vnd,
        all_findings.computed_amount_million_vnd,
        all_findings.difference_million_vnd,

        -- booleans
        all_findings.is_acknowledged

    from all_findings
    inner join documents
        on all_findings.document_id = documents.document_id

)

select * from final
