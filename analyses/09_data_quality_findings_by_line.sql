-- Question: which printed lines do not add up, and by how much?
-- How to read: one row per failed check, with the document, the line as printed and the
-- difference (printed minus the sum of its parts); acknowledged = recorded with evidence in
-- seeds/reference/acknowledged_source_errors.csv (the printed value is never corrected).
with

findings as (

    select * from {{ ref('data_quality_findings') }}

),

final as (

    select
        document_id,
        source_line,
        check_code,
        classification,
        reported_amount_million_vnd,
        computed_amount_million_vnd,
        difference_million_vnd,
        is_acknowledged,
        source_text
    from findings

)

select * from final
order by document_id, source_line, check_code, reported_amount_million_vnd
