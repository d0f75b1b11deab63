-- Acknowledged source errors of feed reports (optional acknowledged.csv of the feed), typed.
with

-- the optional file at the feed's root, by column name (no file, no rows)
read_by_name as (

    {{ feed_rows(
        source('feeds', 'acknowledged_source_errors'), 'acknowledged.csv',
        {'document_id': 'string', 'source_line': 'string', 'check_code': 'string',
         'what_is_wrong': 'string', 'evidence': 'string'},
        with_provenance=false
    ) }}

),

final as (

    select
        -- ids
        cast(document_id as {{ dbt.type_string() }}) as document_id,
        cast(check_code as {{ dbt.type_string() }}) as check_code,

        -- strings
        {{ nfc('cast(what_is_wrong as ' ~ dbt.type_string() ~ ')') }} as what_is_wrong,
        {{ nfc('cast(evidence as ' ~ dbt.type_string() ~ ')') }} as evidence,

        -- numerics
        cast(source_line as integer) as source_line

    from read_by_name

)

select * from final
