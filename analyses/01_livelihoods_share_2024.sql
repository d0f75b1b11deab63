-- Question: which province plans the largest share of its program for livelihoods (Dự án 2,
-- DA2: đa dạng hóa sinh kế) in 2024?
-- How to read: one row per geography with a 2024 plan; share_da2 = DA2 total funding / the
-- geography's total funding (central + local + other; policy credit excluded). Provinces are
-- ranked among provinces only; the district (Sông Mã) is shown apart with rank null.
with

funding as (

    select * from {{ ref('funding_mix') }}
    where fiscal_year = 2024

),

program as (

    select * from funding
    where project_code = 'ALL'

),

livelihoods as (

    select * from funding
    where project_code = 'DA2'

),

final as (

    select
        program.geography_code,
        program.geography_name_vi,
        program.admin_level,
        program.phase_code,
        livelihoods.total_funding as da2_total_funding,
        program.total_funding as program_total_funding,
        round(livelihoods.total_funding / program.total_funding, 4) as share_da2,
        case
            when program.admin_level = 'province'
                then rank() over (
                    partition by program.admin_level
                    order by livelihoods.total_funding / program.total_funding desc
                )
        end as rank_among_provinces
    from program
    inner join livelihoods
        on
            program.geography_code = livelihoods.geography_code
            and program.phase_code = livelihoods.phase_code

)

select * from final
order by admin_level desc, share_da2 desc
