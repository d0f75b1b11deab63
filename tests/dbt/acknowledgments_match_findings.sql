-- Every acknowledged source error must still be a finding: a stale acknowledgment hides nothing
-- and would silently excuse a future error on the same line.
with

-- the seed's acknowledgments and the feed's (its optional acknowledged.csv)
acknowledged as (

    {{ union_all_by_name(
        ref('stg_reference__acknowledged_source_errors'),
        ref('stg_feeds__acknowledged_source_errors'),
        ['document_id', 'check_code', 'what_is_wrong', 'evidence', 'source_line']
    ) }}

),

findings as (

    select * from {{ ref('sum_check_findings') }}

),

final as (

    select acknowledged.*
    from acknowledged
    left join findings
        on
            acknowledged.document_id = findings.document_id
            and acknowledged.source_line = findings.source_line
            and acknowledged.check_code = findings.check_code
    where findings.sum_check_id is null

)

select * from final
