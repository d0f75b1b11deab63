-- One row per printed result, baseline or estimate.
with

results as (

    select * from {{ ref('stg_transcription__plan_results') }}

),

indicators as (

    select * from {{ ref('stg_reference__indicators') }}

),

final as (

    select
        -- ids
        results.result_id,
        results.document_id,
        results.geography_code,
        results.indicator_code,
        results.component_code,

        -- strings
        results.measure_kind,
        results.indicator_printed,
        results.value_comparator,
        results.unit_printed,
        indicators.measure_unit,
        results.value_printed,
        results.value_high_printed,
        results.reference_date_printed,
        results.source_file,
        results.source_text,
        results.note,

        -- numerics
        results.value_numeric,
        results.value_high_numeric,
        results.reference_year,
        results.cumulative_from_year,
        results.source_line,

        -- booleans
        results.is_year_to_date

    from results
    inner join indicators
        on results.indicator_code = indicators.indicator_code

)

select * from final
