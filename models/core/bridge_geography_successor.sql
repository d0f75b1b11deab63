-- Grain: legacy unit × 2025 successor unit (province → province, district → province, commune →
-- commune). A legacy unit is divided when it has several successors of the same level.
with

successors as (

    select * from {{ ref('stg_reference__geography_successors') }}

),

geographies as (

    select * from {{ ref('stg_reference__geographies') }}

),

joined as (

    select
        successors.geography_code,
        successors.successor_geography_code,
        successor.successor_geography_code as successor_province_code,
        legacy.name_vi,
        successor.name_vi as successor_name_vi,
        legacy.admin_level,
        successor.admin_level as successor_admin_level,
        successors.mapping_rule,
        successors.is_default_successor,
        legacy.valid_to,
        legacy.successor_effective_date as effective_date

    from successors
    inner join geographies as legacy
        on successors.geography_code = legacy.geography_code
    inner join geographies as successor
        on successors.successor_geography_code = successor.geography_code

),

counted as (

    select
        *,
        count(*) over (
            partition by geography_code, successor_admin_level
        ) as n_successors

    from joined

),

final as (

    select
        -- ids
        geography_code,
        successor_geography_code,
        successor_province_code,

        -- strings
        name_vi,
        successor_name_vi,
        admin_level,
        successor_admin_level,
        mapping_rule,

        -- numerics
        cast(n_successors as integer) as n_successors,

        -- booleans
        n_successors > 1 as is_divided,
        is_default_successor,

        -- dates
        valid_to,
        effective_date

    from counted

)

select * from final
