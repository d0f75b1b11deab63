with

components as (

    select * from {{ ref('stg_reference__program_components') }}

),

final as (

    select
        -- ids
        component_code,
        parent_component_code,
        case component_level
            when 'sub_project' then parent_component_code
            else component_code
        end as project_code,

        -- strings
        component_level,
        name_vi,
        name_en,

        -- numerics
        project_number,
        sub_project_number,
        sort_order

    from components

)

select * from final
