-- Question: how is each plan split between development investment (vốn đầu tư phát triển, ĐTPT)
-- and recurrent spending (vốn sự nghiệp)?
-- How to read: project ALL per geography, year and phase; the shares divide by total funding;
-- unspecified is funding whose capital type the document does not state (never guessed).
with

funding as (

    select * from {{ ref('funding_mix') }}
    where project_code = 'ALL' and total_funding > 0

),

final as (

    select
        geography_code,
        geography_name_vi,
        fiscal_year,
        phase_code,
        development_investment,
        recurrent,
        unspecified_capital,
        round(development_investment / total_funding, 4) as share_development_investment,
        round(recurrent / total_funding, 4) as share_recurrent,
        round(unspecified_capital / total_funding, 4) as share_unspecified
    from funding

)

select * from final
order by geography_code, fiscal_year, phase_code
