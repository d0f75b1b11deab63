-- The document registry (transcribed documents and feed reports) with the geography's name and
-- the place of its status in precedence.
with

documents as (

    select * from {{ ref('int_documents') }}

),

geographies as (

    select * from {{ ref('stg_reference__geographies') }}

),

statuses as (

    select * from {{ ref('stg_reference__document_statuses') }}

),

final as (

    select
        documents.*,
        geographies.name_vi as geography_name_vi,
        statuses.precedence_order as status_precedence
    from documents
    inner join geographies
        on documents.geography_code = geographies.geography_code
    inner join statuses
        on documents.status = statuses.status

)

select * from final
