-- Question: which sub-projects (Tiểu dự án) change the most from one year to the next?
-- How to read: like-for-like changes only (both years in the same phase), total funding
-- (funding_source_code = ALL), sub-projects only (codes DA<n>.<m>), largest absolute change first.
with

changes as (

    select * from {{ ref('yoy_change') }}

),

final as (

    select
        geography_code,
        component_code,
        fiscal_year,
        phase_code,
        prior_year_amount,
        amount,
        abs_change,
        round(pct_change, 4) as pct_change
    from changes
    where
        funding_source_code = 'ALL'
        and component_code like 'DA%.%'
        and is_like_for_like
        and abs_change != 0

)

select * from final
order by abs(abs_change) desc, geography_code asc, component_code asc
limit 10
