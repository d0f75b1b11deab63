with

source as (

    select * from {{ ref('documents') }}

),

final as (

    select
        -- ids
        document_id,
        geography_code,

        -- strings
        source_file,
        {{ nfc('issuer_vi') }} as issuer_vi,
        {{ nfc('document_type_vi') }} as document_type_vi,
        {{ nfc('title_vi') }} as title_vi,
        {{ nfc('number_printed') }} as number_printed,
        {{ nfc('date_printed') }} as date_printed,
        status,
        total_funding_sources,
        {{ nfc('total_definition_note') }} as total_definition_note,
        source_address,
        sha256 as text_sha256,

        -- numerics
        cast(period_start_year as integer) as period_start_year,
        cast(period_end_year as integer) as period_end_year,

        -- dates
        cast(issued_date as date) as issued_date,
        cast(retrieved_date as date) as retrieved_date

    from source

)

select * from final
