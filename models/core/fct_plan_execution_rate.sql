-- Printed execution rates: "đạt X% kế hoạch vốn giao" (a share of the plan, not an amount).
with

amounts as (

    select * from {{ ref('stg_transcription__plan_amounts') }}

),

final as (

    select
        -- ids
        amount_id as execution_rate_id,
        document_id,
        geography_code,
        component_code,
        funding_source_code,
        phase_code,

        -- strings
        source_file,
        source_text,
        locator,
        period_printed,
        period_inferred,
        period_rule,
        note,

        -- numerics
        period_start_year as fiscal_year,
        cast({{ divide('value_numeric', '100') }} as double) as share_of_plan,
        source_line

    from amounts
    where unit_printed = '%'

)

select * from final
