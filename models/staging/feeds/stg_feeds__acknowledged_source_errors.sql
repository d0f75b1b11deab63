-- Acknowledged source errors of feed reports (optional acknowledged.csv of the feed), typed.
with

source as (

    select * from {{ source('feeds', 'acknowledged_source_errors') }}

),

contract_columns as (

    select
        null as document_id,
        null as source_line,
        null as check_code,
        null as what_is_wrong,
        null as evidence
    where false

),

read_by_name as (

    select * from contract_columns
    union all by name
    select * from source

),

final as (

    select
        -- ids
        cast(document_id as varchar) as document_id,
        cast(check_code as varchar) as check_code,

        -- strings
        nfc_normalize(cast(what_is_wrong as varchar)) as what_is_wrong,
        nfc_normalize(cast(evidence as varchar)) as evidence,

        -- numerics
        cast(source_line as integer) as source_line

    from read_by_name

)

select * from final
