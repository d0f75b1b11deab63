{{ config(materialized='table') }}
-- The document registry: the transcribed documents (seed documents) and every feed report as a
-- document of status reporting_system (seed document_statuses ranks it below every transcribed
-- document, so a document's figure wins where both give one).
with

documents as (

    select * from {{ ref('stg_reference__documents') }}

),

feed_line_items as (

    select * from {{ ref('int_feed_line_items_unioned') }}

),

feed_reports as (

    select
        report_id,
        min(partition_province_code) as geography_code,
        min(feed_file) as source_file,
        {{ ordered_listagg('phase_code', "', '", 'phase_code', distinct=true) }} as phases,
        max(case when funding_source_code = 'total' then sums_funding_sources end)
            as total_funding_sources,
        min(fiscal_year) as period_start_year,
        max(fiscal_year) as period_end_year
    from feed_line_items
    group by report_id

),

feed_documents as (

    select
        -- ids
        feed_reports.report_id as document_id,
        feed_reports.geography_code,

        -- strings
        feed_reports.source_file,
        'Hệ thống báo cáo Chương trình (dữ liệu xuất)' as issuer_vi,
        'Báo cáo (dữ liệu xuất từ hệ thống báo cáo)' as document_type_vi,
        'Báo cáo ' || feed_reports.report_id || ' (' || feed_reports.phases || ')' as title_vi,
        feed_reports.report_id as number_printed,
        cast(null as {{ dbt.type_string() }}) as date_printed,
        'reporting_system' as status,
        feed_reports.total_funding_sources,
        'Feed report: each printed total names what it sums (sums_components, '
        || 'sums_funding_sources, sums_capital_types); see feeds/README.md.'
            as total_definition_note,
        'feed file ' || feed_reports.source_file as source_address,
        cast(null as {{ dbt.type_string() }}) as text_sha256,

        -- numerics
        feed_reports.period_start_year,
        feed_reports.period_end_year,

        -- dates
        cast(null as date) as issued_date,
        cast(null as date) as retrieved_date

    from feed_reports

),

final as (

    {{ union_all_by_name('documents', 'feed_documents', [
        'document_id', 'geography_code', 'source_file', 'issuer_vi', 'document_type_vi',
        'title_vi', 'number_printed', 'date_printed', 'status', 'total_funding_sources',
        'total_definition_note', 'source_address', 'text_sha256', 'period_start_year',
        'period_end_year', 'issued_date', 'retrieved_date'
    ]) }}

)

select * from final
