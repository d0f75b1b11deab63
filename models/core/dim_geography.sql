with

geographies as (

    select * from {{ ref('stg_reference__geographies') }}

),

final as (

    select
        -- ids
        geographies.geography_code,
        coalesce(geographies.parent_geography_code, geographies.geography_code) as province_code,
        geographies.successor_geography_code as successor_province_code,

        -- strings
        geographies.name_vi,
        geographies.name_en,
        geographies.admin_level,
        province.name_vi as province_name_vi,
        successor.name_vi as successor_province_name_vi,
        geographies.region_vi,
        geographies.region_en,
        geographies.successor_note,

        -- dates
        geographies.valid_from,
        geographies.valid_to,
        geographies.successor_effective_date,

        -- booleans
        geographies.valid_to is null as is_current

    from geographies
    left join geographies as province
        on
            coalesce(geographies.parent_geography_code, geographies.geography_code)
            = province.geography_code
    left join geographies as successor
        on geographies.successor_geography_code = successor.geography_code

)

select * from final
