with

source as (

    select * from {{ ref('indicators') }}

),

final as (

    select
        -- ids
        indicator_code,

        -- strings
        {{ nfc('name_vi') }} as name_vi,
        name_en,
        measure_unit,
        reduces_indicator_code,
        decree_07_dimension_code,
        {{ nfc('decree_07_indicator_vi') }} as decree_07_indicator_vi,

        -- booleans
        cast(is_lower_better as boolean) as is_lower_better

    from source

)

select * from final
