with

source as (

    select * from {{ ref('numeral_classifications') }}

),

final as (

    select
        -- ids
        document_id,
        source_file,

        -- strings
        token,
        {{ nfc('source_text') }} as source_text,
        category,
        {{ nfc('reason') }} as reason,

        -- numerics
        cast(source_line as integer) as source_line,
        cast(occurrence as integer) as occurrence

    from source

)

select * from final
