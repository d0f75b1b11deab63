with

source as (

    select * from {{ ref('capital_types') }}

),

final as (

    select
        -- ids
        capital_type_code,

        -- strings
        {{ nfc('name_vi') }} as name_vi,
        name_en,
        {{ nfc('abbreviation_vi') }} as abbreviation_vi,

        -- numerics
        cast(sort_order as integer) as sort_order

    from source

)

select * from final
