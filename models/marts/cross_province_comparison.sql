-- Grain: fiscal_year × phase × component_code (projects, sub-projects and ALL) × geography.
with

component_amounts as (

    select * from {{ ref('int_component_amounts') }}

),

geographies as (

    select * from {{ ref('dim_geography') }}

),

totals as (

    select
        geography_code,
        fiscal_year,
        phase_code,
        component_code,
        amount_million_vnd as amount,
        document_id
    from component_amounts
    where funding_source_code = 'ALL'

),

with_geography as (

    select
        totals.*,
        geographies.name_vi as geography_name_vi,
        geographies.admin_level,
        -- a territory of before 1 July 2025 that changed then (a legacy unit with a successor), and
        -- a territory formed then (a 2025 version): the two must not be compared unsaid
        geographies.valid_to is not null as is_legacy_territory,
        geographies.valid_from is not null as is_2025_territory,
        program_totals.amount as geography_total
    from totals
    inner join geographies
        on totals.geography_code = geographies.geography_code
    left join totals as program_totals
        on
            totals.geography_code = program_totals.geography_code
            and totals.fiscal_year = program_totals.fiscal_year
            and totals.phase_code = program_totals.phase_code
            and program_totals.component_code = 'ALL'

),

final as (

    select
        -- ids
        fiscal_year,
        phase_code,
        component_code,
        geography_code,
        document_id,

        -- strings
        geography_name_vi,
        admin_level,

        -- numerics
        cast(amount as decimal(18, 3)) as amount,
        cast({{ divide('amount', 'nullif(geography_total, 0)') }} as double)
            as share_of_geography_total,
        cast(
            rank() over (
                partition by fiscal_year, phase_code, component_code, admin_level
                order by amount desc
            ) as integer
        ) as rank_in_admin_level,
        cast(
            count(*) over (partition by fiscal_year, phase_code, component_code, admin_level)
            as integer
        ) as n_geographies_compared,
        cast(
            {{ divide(
                'amount',
                'nullif(' ~ mean('amount') ~ ' over (partition by fiscal_year, phase_code,
                component_code, admin_level), 0)'
            ) }} as double
        ) as ratio_to_mean,

        -- booleans
        -- the geographies this row is ranked among mix territories before and after 1 July 2025
        -- (a legacy province beside a merged 2025 province): say so
        coalesce(
            max(case when is_legacy_territory then 1 else 0 end) over (
                partition by fiscal_year, phase_code, component_code, admin_level
            ) = 1
            and max(case when is_2025_territory then 1 else 0 end) over (
                partition by fiscal_year, phase_code, component_code, admin_level
            ) = 1,
            false
        ) as mixes_territory_versions

    from with_geography

)

select * from final
