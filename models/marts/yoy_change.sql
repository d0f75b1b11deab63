-- Grain: geography × component_code (incl. ALL) × funding_source_code (incl. ALL) × fiscal_year.
-- One phase per year: the plan figure of record (allocated, else requested, else forecast, else
-- disbursed); a change between different phases is shown and flagged, never silently mixed.
with

component_amounts as (

    select * from {{ ref('int_component_amounts') }}

),

funding_sources as (

    select * from {{ ref('dim_funding_source') }}

),

by_source as (

    select
        geography_code,
        fiscal_year,
        phase_code,
        component_code,
        funding_source_code,
        amount_million_vnd,
        document_id
    from component_amounts

    union all

    select
        component_amounts.geography_code,
        component_amounts.fiscal_year,
        component_amounts.phase_code,
        component_amounts.component_code,
        'ALL' as funding_source_code,
        sum(component_amounts.amount_million_vnd) as amount_million_vnd,
        string_agg(distinct component_amounts.document_id, '|') as document_id
    from component_amounts
    inner join funding_sources
        on component_amounts.funding_source_code = funding_sources.funding_source_code
    where funding_sources.is_in_total_funding
    group by all

),

phase_of_record as (

    -- per geography and year, the phase whose figures represent the year
    select
        by_source.geography_code,
        by_source.fiscal_year,
        arg_min(
            by_source.phase_code,
            case by_source.phase_code
                when 'allocated' then 1 when 'requested' then 2 when 'forecast' then 3 else 4
            end
        ) as phase_code
    from by_source
    group by all

),

yearly as (

    select by_source.*
    from by_source
    inner join phase_of_record
        on
            by_source.geography_code = phase_of_record.geography_code
            and by_source.fiscal_year = phase_of_record.fiscal_year
            and by_source.phase_code = phase_of_record.phase_code

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
        cast(current_year.amount_million_vnd - prior_year.amount_million_vnd as decimal(18, 3))
            as abs_change,
        cast(
            (current_year.amount_million_vnd - prior_year.amount_million_vnd)
            / nullif(prior_year.amount_million_vnd, 0) as double
        ) as pct_change,

        -- booleans
        coalesce(current_year.phase_code = prior_year.phase_code, false) as is_like_for_like

    from yearly as current_year
    left join yearly as prior_year
        on
            current_year.geography_code = prior_year.geography_code
            and current_year.component_code = prior_year.component_code
            and current_year.funding_source_code = prior_year.funding_source_code
            and current_year.fiscal_year = prior_year.fiscal_year + 1

)

select * from final
