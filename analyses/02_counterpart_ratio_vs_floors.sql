-- Question: does each plan's local counterpart (vốn đối ứng ngân sách địa phương) reach the
-- floors of Decision 02/2022/QĐ-TTg: 3%, 10% or 15% of central support depending on the
-- province's budget-balance category?
-- How to read: counterpart_ratio = local budget / central budget per geography, year and phase
-- (project ALL). The category of each province is not in the source documents, so it is not
-- guessed: budget_balance_category says "not known" and the three floors are tested side by side.
with

funding as (

    select * from {{ ref('funding_mix') }}
    where project_code = 'ALL' and central_budget > 0

),

final as (

    select
        geography_code,
        geography_name_vi,
        admin_level,
        fiscal_year,
        phase_code,
        central_budget,
        local_budget,
        round(counterpart_ratio, 4) as counterpart_ratio,
        'not known (not stated in the documents)' as budget_balance_category,
        counterpart_ratio >= 0.03 as meets_3_percent_floor,
        counterpart_ratio >= 0.10 as meets_10_percent_floor,
        counterpart_ratio >= 0.15 as meets_15_percent_floor
    from funding

)

select * from final
order by geography_code, fiscal_year, phase_code
