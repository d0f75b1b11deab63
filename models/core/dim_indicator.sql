with

final as (

    select * from {{ ref('stg_reference__indicators') }}

)

select * from final
