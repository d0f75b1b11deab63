-- One row per printed quantitative target.
with

targets as (

    select * from {{ ref('stg_transcription__plan_targets') }}

),

indicators as (

    select * from {{ ref('stg_reference__indicators') }}

),

final as (

    select
        -- ids
        targets.target_id,
        targets.document_id,
        targets.geography_code,
        targets.indicator_code,

        -- strings
        targets.indicator_printed,
        targets.comparator,
        targets.unit_printed,
        indicators.measure_unit,
        targets.value_printed,
        targets.value_high_printed,
        targets.source_file,
        targets.source_text,
        targets.note,

        -- numerics
        targets.low_value,
        targets.high_value,
        targets.target_year_start,
        targets.target_year_end,
        targets.source_line,

        -- booleans
        targets.is_per_year

    from targets
    inner join indicators
        on targets.indicator_code = indicators.indicator_code

)

select * from final
