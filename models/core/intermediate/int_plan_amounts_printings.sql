-- Every printed money amount, flagged when the transcription marks it as a repeat of a cell the
-- document prints again (Vĩnh Long's appendix prints per-year other funds in columns 8 and 15):
-- such a repeat is not counted again, neither as a leaf nor as a part of a total. The flag comes
-- from the seed (repeats_amount_id); tests on this model prove each repeat equals its original.
with

amounts as (

    select * from {{ ref('stg_transcription__plan_amounts') }}
    where unit_printed != '%'

),

final as (

    select
        *,
        repeats_amount_id is not null as is_repeat_printing
    from amounts

)

select * from final
