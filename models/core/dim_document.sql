-- The document registry (transcribed documents and feed reports) with the geography's name.
with

documents as (

    select * from {{ ref('int_documents') }}

),

geographies as (

    select * from {{ ref('stg_reference__geographies') }}

),

final as (

    select
        documents.*,
        geographies.name_vi as geography_name_vi
    from documents
    inner join geographies
        on documents.geography_code = geographies.geography_code

)

select * from final
