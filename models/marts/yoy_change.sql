-- Grain: geography × component_code (incl. ALL) × funding_source_code (incl. ALL) × fiscal_year.
-- One phase per year: the plan figure of record (allocated, else requested, else forecast, else
-- disbursed); the prior year's amount of another phase is shown and flagged, and no change is
-- computed across phases (abs_change and pct_change are null). A territory formed on 1 July 2025
-- (e.g. Cần Thơ 92@2025) has no prior year of its own: its predecessors' are other territories,
-- never compared unsaid (is_new_territory_version).
-- Incremental by province (dbt_project.yml): a row compares two years of one geography, so a
-- refresh computes again the geographies of the changed partitions' provinces (its delete maps
-- geographies to provinces through dim_geography).
with

-- inlined where each reader reads it: each reads only its columns
component_amounts as {{ inline_cte() }} (

    select * from {{ ref('int_component_amounts') }}
    where {{ in_rebuilt_partitions('province_code', level='province') }}

),

geographies as (

    select * from {{ ref('dim_geography') }}

),

phase_of_record as (

    -- per geography and year, the phase whose figures represent the year
    select
        component_amounts.geography_code,
        component_amounts.fiscal_year,
        min_by(
            component_amounts.phase_code,
            case component_amounts.phase_code
                when 'allocated' then 1 when 'requested' then 2 when 'forecast' then 3 else 4
            end
        ) as phase_code
    from component_amounts
    group by all

),

yearly as (

    select component_amounts.*
    from component_amounts
    inner join phase_of_record
        on
            component_amounts.geography_code = phase_of_record.geography_code
            and component_amounts.fiscal_year = phase_of_record.fiscal_year
            and component_amounts.phase_code = phase_of_record.phase_code

),

final as (

    select
        -- ids
        current_year.geography_code,
        current_year.component_code,
        current_year.funding_source_code,
        current_year.phase_code,
        prior_year.phase_code as prior_phase_code,
        current_year.document_id,

        -- numerics
        current_year.fiscal_year,
        cast(current_year.amount_million_vnd as decimal(18, 3)) as amount,
        cast(prior_year.amount_million_vnd as decimal(18, 3)) as prior_year_amount,
        -- a change only between amounts of one phase: across phases it would add two phases
        cast(
            case
                when current_year.phase_code = prior_year.phase_code
                    then current_year.amount_million_vnd - prior_year.amount_million_vnd
            end as decimal(18, 3)
        ) as abs_change,
        cast(
            case
                when current_year.phase_code = prior_year.phase_code
                    then {{ divide(
                        '(current_year.amount_million_vnd - prior_year.amount_million_vnd)',
                        'nullif(prior_year.amount_million_vnd, 0)'
                    ) }}
            end as double
        ) as pct_change,

        -- booleans
        coalesce(current_year.phase_code = prior_year.phase_code, false) as is_like_for_like,
        -- the prior year lies before the territory existed: its figures are its predecessors'
        -- (core.bridge_geography_successor), other territories, and no change is computed
        coalesce(
            current_year.fiscal_year - 1 < year(geographies.valid_from), false
        ) as is_new_territory_version

    from yearly as current_year
    inner join geographies
        on current_year.geography_code = geographies.geography_code
    left join yearly as prior_year
        on
            current_year.geography_code = prior_year.geography_code
            and current_year.component_code = prior_year.component_code
            and current_year.funding_source_code = prior_year.funding_source_code
            and current_year.fiscal_year = prior_year.fiscal_year + 1

)

select * from final
