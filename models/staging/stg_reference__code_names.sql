with

source as (

    select * from {{ ref('code_names') }}

),

final as (

    select
        -- ids
        code_set,
        code,

        -- strings
        {{ nfc('name_vi') }} as name_vi,
        name_en,

        -- numerics
        cast(sort_order as integer) as sort_order

    from source

)

select * from final
