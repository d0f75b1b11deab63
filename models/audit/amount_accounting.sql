-- Grain: one row per amount of core.fct_plan_amount (a leaf in a fiscal year, or over a period) and
-- per row of core.fct_reported_total (a printed total or restatement): where it is counted, or
-- why it is not (seed accounting_reasons). An amount no reason describes is `unaccounted`, which
-- the accounting's tests refuse: nothing leaves the marts silently.
with

leaf_accounting as (

    select * from {{ ref('int_amount_accounting_leaves') }}

),

total_accounting as (

    select * from {{ ref('int_amount_accounting_totals') }}

),

reasons as (

    select * from {{ ref('stg_reference__accounting_reasons') }}

),

accounted as (

    select * from leaf_accounting
    union all
    select * from total_accounting

),

final as (

    select
        accounted.*,
        coalesce(reasons.is_in_marts, false) as is_in_marts
    from accounted
    left join reasons
        on accounted.reason_code = reasons.reason_code

)

select * from final
