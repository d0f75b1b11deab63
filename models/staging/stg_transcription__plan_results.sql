with

source as (

    select * from {{ ref('plan_results') }}

),

final as (

    select
        -- ids
        result_id,
        document_id,
        geography_code,
        indicator_code,
        component_code,

        -- provenance
        source_file,
        cast(source_line as integer) as source_line,
        {{ nfc('source_text') }} as source_text,

        -- strings
        {{ nfc('value_printed') }} as value_printed,
        {{ nfc('value_high_printed') }} as value_high_printed,
        {{ nfc('indicator_printed') }} as indicator_printed,
        measure_kind,
        value_comparator,
        {{ nfc('unit_printed') }} as unit_printed,
        {{ nfc('reference_date_printed') }} as reference_date_printed,
        {{ nfc('note') }} as note,

        -- numerics
        cast(value_numeric as decimal(18, 3)) as value_numeric,
        cast(value_high_numeric as decimal(18, 3)) as value_high_numeric,
        cast(reference_year as integer) as reference_year,
        cast(cumulative_from_year as integer) as cumulative_from_year,

        -- booleans
        cast(is_year_to_date as boolean) as is_year_to_date

    from source

)

select * from final
