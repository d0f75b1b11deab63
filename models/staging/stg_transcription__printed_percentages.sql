with

source as (

    select * from {{ ref('printed_percentages') }}

),

final as (

    select
        -- ids
        percentage_amount_id,
        denominator_amount_id,
        numerator_amount_id,

        -- strings
        {{ nfc('note') }} as note

    from source

)

select * from final
