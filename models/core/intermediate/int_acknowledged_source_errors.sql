-- Every acknowledged source error: the transcribed documents' (seed acknowledged_source_errors) and
-- the feed's (its optional acknowledged.csv, e.g. the synthetic generator's deliberate errors).
with

seed_acknowledgments as (

    select * from {{ ref('stg_reference__acknowledged_source_errors') }}

),

feed_acknowledgments as (

    select * from {{ ref('stg_feeds__acknowledged_source_errors') }}

),

final as (

    {{ union_all_by_name(
        'seed_acknowledgments', 'feed_acknowledgments',
        ['document_id', 'check_code', 'what_is_wrong', 'evidence', 'source_line']
    ) }}

)

select * from final
