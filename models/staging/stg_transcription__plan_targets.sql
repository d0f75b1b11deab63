with

source as (

    select * from {{ ref('plan_targets') }}

),

final as (

    select
        -- ids
        target_id,
        document_id,
        geography_code,
        indicator_code,

        -- provenance
        source_file,
        cast(source_line as integer) as source_line,
        {{ nfc('source_text') }} as source_text,

        -- strings
        {{ nfc('value_printed') }} as value_printed,
        {{ nfc('value_high_printed') }} as value_high_printed,
        {{ nfc('indicator_printed') }} as indicator_printed,
        comparator,
        {{ nfc('unit_printed') }} as unit_printed,
        {{ nfc('note') }} as note,

        -- numerics
        cast(low_value as decimal(18, 3)) as low_value,
        cast(high_value as decimal(18, 3)) as high_value,
        cast(target_year_start as integer) as target_year_start,
        cast(target_year_end as integer) as target_year_end,

        -- booleans
        cast(is_per_year as boolean) as is_per_year

    from source

)

select * from final
