-- Every printed amount that is not a leaf: printed subtotals and totals, and restatements of
-- amounts printed in more detail elsewhere in the same document (text vs appendix), of the
-- transcribed documents and of the feed reports (int_plan_amounts_printings holds both).
-- Incremental by feed partition (dbt_project.yml, macros/delete_rebuilt_partitions.sql): a refresh
-- recomputes only the partitions whose files changed (delete, then insert); other runs all rows.
with

amounts as (

    select * from {{ ref('int_plan_amounts_printings') }}
    where {{ in_rebuilt_partitions() }}

),

leaves as (

    select
        source_partition,
        amount_id
    from {{ ref('int_plan_amounts_leaf_selected') }}
    where {{ in_rebuilt_partitions() }}

),

documents as (

    select * from {{ ref('int_documents') }}

),

final as (

    select
        -- ids
        amounts.amount_id as reported_total_id,
        amounts.document_id,
        amounts.geography_code,
        amounts.component_code,
        amounts.funding_source_code,
        amounts.capital_type_code,
        amounts.phase_code,

        -- strings
        case when amounts.is_printed_total then 'printed_total' else 'restatement' end
            as total_kind,
        amounts.sums_components,
        amounts.sums_funding_sources,
        amounts.sums_capital_types,
        amounts.amount_basis,
        amounts.statement_group,
        documents.total_funding_sources as document_total_funding_sources,
        documents.total_definition_note as document_total_definition,
        amounts.source_file,
        amounts.source_partition,
        amounts.source_text,
        amounts.locator,
        amounts.period_printed,
        amounts.period_inferred,
        amounts.period_rule,
        amounts.component_label_printed,
        amounts.value_printed,
        amounts.unit_printed,
        amounts.qualifier_printed,
        amounts.budget_level,

        -- numerics
        amounts.period_start_year,
        amounts.period_end_year,
        amounts.period_month,
        amounts.as_of_date,
        amounts.amount_million_vnd as reported_amount_million_vnd,
        amounts.source_line

    from amounts
    inner join documents
        on amounts.document_id = documents.document_id
    left join leaves
        on
            amounts.source_partition = leaves.source_partition
            and amounts.amount_id = leaves.amount_id
    where
        leaves.amount_id is null
        and amounts.unit_printed != '%'

)

select * from final
