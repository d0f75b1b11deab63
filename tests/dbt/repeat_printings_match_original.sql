-- A row the transcription marks as a repeat (repeats_amount_id) must name a counted printing of the
-- same cell: same document, block, component, source, capital type, phase, basis, period and value.
-- Anything else would silently drop a number from every total.
-- In an incremental refresh's build only the rebuilt partitions' printings are checked
-- (macros/rebuilt_rows.sql): a repeat and its original share a document, and a document's rows lie
-- in one partition (a report is one file; the transcriptions are the partition `documents`), so the
-- verdict is the full check's; a repeat whose original lies elsewhere still fails, as missing.
{%- set rebuilt = rebuilt_rows('source_partition') %}
with

printings as (

    select * from {{ ref('int_plan_amounts_printings') }}
    {%- if rebuilt is not none %}
    where {{ rebuilt }}
    {%- endif %}

),

repeats as (

    select * from printings
    where is_repeat_printing

),

final as (

    select
        repeats.amount_id,
        repeats.repeats_amount_id,
        original.amount_id is null as is_original_missing
    from repeats
    left join printings as original
        on repeats.repeats_amount_id = original.amount_id
    where
        original.amount_id is null
        or original.is_repeat_printing
        or original.document_id != repeats.document_id
        or original.statement_group != repeats.statement_group
        or original.component_code != repeats.component_code
        or original.funding_source_code != repeats.funding_source_code
        or original.capital_type_code != repeats.capital_type_code
        or original.phase_code != repeats.phase_code
        or original.amount_basis != repeats.amount_basis
        or original.period_start_year is distinct from repeats.period_start_year
        or original.period_end_year is distinct from repeats.period_end_year
        or original.amount_million_vnd != repeats.amount_million_vnd

)

select * from final
