-- Question: how large is policy credit (vốn tín dụng chính sách) next to budget funding?
-- How to read: rows where a plan prints policy credit; credit_to_budget = policy credit / total
-- funding of the same project (credit is kept out of total funding and shares everywhere).
with

funding as (

    select * from {{ ref('funding_mix') }}
    where policy_credit > 0

),

final as (

    select
        geography_code,
        geography_name_vi,
        fiscal_year,
        phase_code,
        project_code,
        total_funding,
        policy_credit,
        round(policy_credit / total_funding, 2) as credit_to_budget
    from funding

)

select * from final
order by geography_code, fiscal_year, project_code
