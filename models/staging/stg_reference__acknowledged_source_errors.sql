with

source as (

    select * from {{ ref('acknowledged_source_errors') }}

),

final as (

    select
        -- ids
        document_id,
        check_code,

        -- strings
        {{ nfc('what_is_wrong') }} as what_is_wrong,
        {{ nfc('evidence') }} as evidence,

        -- numerics
        cast(source_line as integer) as source_line

    from source

)

select * from final
