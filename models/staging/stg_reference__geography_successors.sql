with

source as (

    select * from {{ ref('geography_successors') }}

),

final as (

    select
        -- ids
        geography_code,
        successor_geography_code,

        -- strings
        mapping_rule,

        -- booleans
        cast(is_default_successor as boolean) as is_default_successor

    from source

)

select * from final
