with

final as (

    select * from {{ ref('stg_reference__plan_phases') }}

)

select * from final
