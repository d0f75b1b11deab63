-- Every printing of a document lies in one partition: a feed report in its one file's folder, the
-- transcribed documents in the partition `documents`. A report spread over two folders would be one
-- document with two provenances, and the key tests that read only the rebuilt partitions
-- (key_determines_partition) rely on this. In an incremental refresh's build, the documents of the
-- rebuilt partitions are checked, each over the whole table (macros/rebuilt_rows.sql).
{%- set rebuilt = rebuilt_rows('source_partition') %}
with

printings as (

    select * from {{ ref('int_plan_amounts_printings') }}

),

{%- if rebuilt is not none %}

rebuilt_documents as (

    select distinct document_id from {{ ref('int_plan_amounts_printings') }}
    where {{ rebuilt }}

),
{%- endif %}

final as (

    select
        document_id,
        count(distinct source_partition) as n_partitions,
        min(source_partition) as first_partition,
        max(source_partition) as last_partition
    from printings
    {%- if rebuilt is not none %}
    where document_id in (select rebuilt_documents.document_id from rebuilt_documents)
    {%- endif %}
    group by document_id
    having count(distinct source_partition) > 1

)

select * from final
