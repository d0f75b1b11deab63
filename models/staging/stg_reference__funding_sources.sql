with

source as (

    select * from {{ ref('funding_sources') }}

),

final as (

    select
        -- ids
        funding_source_code,

        -- strings
        {{ nfc('name_vi') }} as name_vi,
        name_en,
        {{ nfc('abbreviation_vi') }} as abbreviation_vi,

        -- numerics
        cast(sort_order as integer) as sort_order,

        -- booleans
        cast(is_state_budget as boolean) as is_state_budget,
        cast(is_in_total_funding as boolean) as is_in_total_funding

    from source

)

select * from final
