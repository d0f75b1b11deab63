with

geographies as (

    select * from {{ ref('stg_reference__geographies') }}

),

with_province as (

    -- a legacy commune's province is its district's parent; a 2025 commune's is its parent
    select
        geographies.*,
        case geographies.admin_level
            when 'province' then geographies.geography_code
            when 'district' then geographies.parent_geography_code
            else coalesce(parent.parent_geography_code, geographies.parent_geography_code)
        end as province_code,
        case
            when geographies.admin_level = 'district' then geographies.geography_code
            when parent.admin_level = 'district' then parent.geography_code
        end as district_code

    from geographies
    left join geographies as parent
        on geographies.parent_geography_code = parent.geography_code

),

final as (

    select
        -- ids
        with_province.geography_code,
        with_province.gso_code,
        with_province.parent_geography_code,
        with_province.district_code,
        with_province.province_code,
        with_province.successor_geography_code as successor_province_code,

        -- strings
        with_province.name_vi,
        with_province.full_name_vi,
        with_province.name_en,
        with_province.unit_type_vi,
        with_province.admin_level,
        province.name_vi as province_name_vi,
        successor.name_vi as successor_province_name_vi,
        with_province.region_vi,
        with_province.region_en,
        with_province.successor_note,

        -- numerics
        with_province.latitude,
        with_province.longitude,

        -- dates
        with_province.valid_from,
        with_province.valid_to,
        with_province.successor_effective_date,

        -- booleans
        with_province.valid_to is null as is_current,
        coalesce(
            with_province.valid_from < with_province.successor_effective_date, true
        ) as is_in_legacy_structure

    from with_province
    left join geographies as province
        on with_province.province_code = province.geography_code
    left join geographies as successor
        on with_province.successor_geography_code = successor.geography_code

)

select * from final
