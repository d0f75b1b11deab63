-- Grain: indicator_code × geography × target_year. The value of the highest-precedence document
-- wins; values of other documents that differ are listed as conflicts.
with

targets as (

    select * from {{ ref('int_target_years') }}

),

-- the documents with their place in the order of precedence (precedence_rank), compared below
-- only within an indicator, geography and year
documents as (

    select * from {{ ref('dim_document') }}

),

target_years as (

    select
        targets.*,
        documents.precedence_rank
    from targets
    inner join documents
        on targets.document_id = documents.document_id

),

ranked as (

    select
        *,
        row_number() over (
            partition by indicator_code, geography_code, target_year
            order by precedence_rank, target_id
        ) as precedence_order
    from target_years

),

conflicts as (

    select
        winner.target_id,
        {{ ordered_listagg(
            "other.comparator || ' ' || " ~ plain_number('other.low_value')
            ~ " || case when other.comparator = 'range' then '-' || "
            ~ plain_number('other.high_value') ~ " else '' end",
            "'; '", 'other.precedence_rank'
        ) }} as conflicting_values,
        {{ ordered_listagg('other.document_id', "'; '", 'other.precedence_rank') }}
            as conflicting_document_ids
    from ranked as winner
    inner join ranked as other
        on
            winner.indicator_code = other.indicator_code
            and winner.geography_code = other.geography_code
            and winner.target_year = other.target_year
            and winner.document_id != other.document_id
            and (
                winner.comparator != other.comparator
                or winner.low_value != other.low_value
                or winner.high_value != other.high_value
            )
    where winner.precedence_order = 1 and other.precedence_order > 1
    group by winner.target_id

),

final as (

    select
        -- ids
        ranked.indicator_code,
        ranked.geography_code,
        ranked.document_id,
        ranked.target_id,

        -- strings
        ranked.comparator,
        ranked.unit_printed as unit,
        conflicts.conflicting_values,
        conflicts.conflicting_document_ids,

        -- numerics
        ranked.target_year,
        ranked.low_value as low,
        ranked.high_value as high,

        -- booleans
        conflicts.target_id is not null as has_conflict

    from ranked
    left join conflicts
        on ranked.target_id = conflicts.target_id
    where ranked.precedence_order = 1

)

select * from final
