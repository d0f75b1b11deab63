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

with_status as (

    select
        documents.*,
        geographies.name_vi as geography_name_vi,
        statuses.precedence_order as status_precedence
    from documents
    inner join geographies
        on documents.geography_code = geographies.geography_code
    inner join statuses
        on documents.status = statuses.status

),

final as (

    -- the order of precedence, numbered once for every reader: its keys (status, issued date,
    -- period, id) do not depend on the geography or period, so the numbers order the documents
    -- of every cell the marts compare them in (macros/best_in_cell.sql)
    select
        *,
        cast(
            dense_rank() over (order by {{ precedence_order('with_status') }}) as integer
        ) as precedence_rank
    from with_status

)

select * from final
