with

final as (

    select * from {{ ref('stg_reference__capital_types') }}

)

select * from final
