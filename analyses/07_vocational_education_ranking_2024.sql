-- Question: which provinces put the most into vocational education and sustainable employment
-- (Dự án 4, DA4) in 2024, absolutely and relative to their program?
-- How to read: rank and ratio to the mean compare provinces only (same admin level, phase and
-- year); share_of_geography_total is DA4's share of the province's program.
with

comparison as (

    select * from {{ ref('cross_province_comparison') }}

),

final as (

    select
        geography_code,
        geography_name_vi,
        phase_code,
        amount,
        round(share_of_geography_total, 4) as share_of_geography_total,
        rank_in_admin_level,
        round(ratio_to_mean, 4) as ratio_to_mean
    from comparison
    where fiscal_year = 2024 and component_code = 'DA4' and admin_level = 'province'

)

select * from final
order by rank_in_admin_level
