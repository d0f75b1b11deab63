-- Leaves spread over fiscal years: an amount per year becomes one row per year of its period;
-- an amount for one year stays one row; an amount for a period of several years that the document
-- does not split by year (Lạng Sơn's housing Đề án 2021-2025) stays one row with a null year, and
-- so does an amount to a date (as_of_date: giải ngân 6 tháng đầu năm), even within one year.
-- Each branch reads the leaves table itself: a CTE read three times would be computed once and held
-- whole (every column of every leaf), which at national scale spills gigabytes to disk.
with

per_year as (

    select
        leaves.*,
        {{ unnest_series('leaves.period_start_year', 'leaves.period_end_year') }} as fiscal_year,
        true as is_derived,
        'per_year amount applied to each year of its period '
        || leaves.period_start_year || '-' || leaves.period_end_year as derivation_rule
    from {{ ref('int_plan_amounts_leaf_selected') }} as leaves
    where leaves.amount_basis = 'per_year'

),

single_period as (

    select
        leaves.*,
        leaves.period_start_year as fiscal_year,
        false as is_derived,
        cast(null as {{ dbt.type_string() }}) as derivation_rule
    from {{ ref('int_plan_amounts_leaf_selected') }} as leaves
    where
        leaves.amount_basis = 'period_total'
        and leaves.period_start_year is not distinct from leaves.period_end_year
        and leaves.as_of_date is null

),

multi_year_period as (

    select
        leaves.*,
        cast(null as integer) as fiscal_year,
        false as is_derived,
        cast(null as {{ dbt.type_string() }}) as derivation_rule
    from {{ ref('int_plan_amounts_leaf_selected') }} as leaves
    where
        leaves.amount_basis = 'period_total'
        and (leaves.period_start_year < leaves.period_end_year or leaves.as_of_date is not null)

),

final as (

    select * from per_year
    union all
    select * from single_period
    union all
    select * from multi_year_period

)

select * from final
