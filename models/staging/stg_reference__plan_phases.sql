with

source as (

    select * from {{ ref('plan_phases') }}

),

final as (

    select
        -- ids
        phase_code,

        -- strings
        {{ nfc('name_vi') }} as name_vi,
        name_en,
        ofdp_budget_phase,
        description,

        -- numerics
        cast(sort_order as integer) as sort_order,

        -- booleans
        cast(allows_negative as boolean) as allows_negative

    from source

)

select * from final
