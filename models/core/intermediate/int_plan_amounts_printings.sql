-- Every printed money amount, flagged when it repeats a cell printed later in the same block
-- (Vĩnh Long's appendix prints per-year other funds twice, in columns 8 and 15): such a repeat
-- is not counted again, neither as a leaf nor as a part of a total.
with

amounts as (

    select * from {{ ref('stg_transcription__plan_amounts') }}
    where unit_printed != '%'

),

ranked as (

    select
        *,
        row_number() over (
            partition by
                document_id, statement_group, component_code, funding_source_code,
                sums_funding_sources, capital_type_code, phase_code, amount_basis,
                period_start_year, period_end_year
            order by source_line desc
        ) as printing_rank
    from amounts

),

final as (

    select
        * exclude (printing_rank),
        printing_rank > 1 as is_repeat_printing
    from ranked

)

select * from final
