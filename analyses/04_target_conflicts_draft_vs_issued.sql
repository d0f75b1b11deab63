-- Question: where do targets differ between a draft plan and the issued plan for the same
-- province and year?
-- How to read: one row per indicator × geography × year with a conflict; the winning value comes
-- from the higher-precedence document (the issued plan, here via the news item on plan
-- 35/KH-UBND), conflicting_values lists what the other documents say.
with

targets as (

    select * from {{ ref('target_comparison') }}

),

final as (

    select
        indicator_code,
        geography_code,
        target_year,
        comparator,
        low,
        high,
        unit,
        document_id as winning_document_id,
        conflicting_values,
        conflicting_document_ids
    from targets
    where has_conflict

)

select * from final
order by geography_code, target_year, indicator_code
