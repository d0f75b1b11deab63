with

source as (

    select * from {{ ref('program_components') }}

),

final as (

    select
        -- ids
        component_code,
        parent_component_code,

        -- strings
        component_level,
        {{ nfc('name_vi') }} as name_vi,
        name_en,

        -- numerics
        cast(project_number as integer) as project_number,
        cast(sub_project_number as integer) as sub_project_number,
        cast(sort_order as integer) as sort_order

    from source

)

select * from final
