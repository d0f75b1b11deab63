-- Grain: one row per target × year it applies to. The one rule of a target's years, read by
-- target_comparison, target_attainment and poverty_rate_series: a target applies in every year of
-- its period (target_year_start..target_year_end) and is due (the year whose result meets it or
-- not) in each of them when it is per year ("mỗi năm", "/năm") or for one year, else in the
-- period's last year only ("đến năm 2025").
with

targets as (

    select * from {{ ref('fct_target') }}

),

target_years as (

    select
        targets.*,
        {{ unnest_series('targets.target_year_start', 'targets.target_year_end') }} as target_year
    from targets

),

final as (

    select
        *,
        is_per_year
        or target_year_start = target_year_end
        or target_year = target_year_end as is_due_in_year
    from target_years

)

select * from final
