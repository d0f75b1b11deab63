with

final as (

    select * from {{ ref('stg_reference__funding_sources') }}

)

select * from final
