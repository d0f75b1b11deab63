with

source as (

    select * from {{ ref('geographies') }}

),

final as (

    select
        -- ids
        geography_code,
        gso_code,
        parent_geography_code,
        successor_geography_code,

        -- strings
        {{ nfc('name_vi') }} as name_vi,
        {{ nfc('full_name_vi') }} as full_name_vi,
        name_en,
        {{ nfc('unit_type_vi') }} as unit_type_vi,
        admin_level,
        {{ nfc('region_vi') }} as region_vi,
        region_en,
        {{ nfc('successor_note') }} as successor_note,

        -- numerics
        cast(latitude as double) as latitude,
        cast(longitude as double) as longitude,

        -- dates
        cast(valid_from as date) as valid_from,
        cast(valid_to as date) as valid_to,
        cast(successor_effective_date as date) as successor_effective_date

    from source

)

select * from final
