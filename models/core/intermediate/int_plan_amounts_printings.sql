-- Every printed money amount: the transcribed documents' (seed plan_amounts) and the feeds' line
-- items, in the same columns, so that leaves, facts and sum checks cover both.
-- A transcribed amount is flagged when the transcription marks it as a repeat of a cell the
-- document prints again (Vĩnh Long's appendix prints per-year other funds in columns 8 and 15):
-- such a repeat is not counted again, neither as a leaf nor as a part of a total. The flag comes
-- from the seed (repeats_amount_id); tests on this model prove each repeat equals its original.
-- A feed row is one report's line item: document = report, one block per report ('report'),
-- provenance = file (relative to the feed folder) + row number (no source_text: a feed prints no
-- text), and the month in period_month (null for documents and for annual feed figures).
-- A table although intermediate: several models and tests read it, and computing the union once
-- instead of once per reader keeps a feed of tens of millions of line items within time and memory.
-- Incremental by feed partition (dbt_project.yml, macros/delete_rebuilt_partitions.sql): a refresh
-- recomputes only the partitions whose files changed (delete, then insert); other runs all rows.
with

amounts as (

    select * from {{ ref('stg_transcription__plan_amounts') }}
    where unit_printed != '%' and {{ in_rebuilt_partitions("'documents'") }}

),

feed_line_items as (

    select * from {{ ref('int_feed_line_items_unioned') }}
    -- the province first: a filter on one stored column runs inside the scan, while
    -- source_partition is computed from two (macros/feed_partition_key.sql) and is checked on the
    -- rows it keeps
    where
        {{ in_rebuilt_partitions('partition_province_code', level='province') }}
        and {{ in_rebuilt_partitions() }}

),

transcribed as (

    select
        *,
        'documents' as source_partition,
        cast(null as integer) as period_month,
        {{ printed_half_unit('value_printed', 'unit_printed') }} as rounding_half_unit_million_vnd,
        repeats_amount_id is not null as is_repeat_printing
    from amounts

),

fed as (

    select
        -- ids
        report_id || ':' || file_row_number as amount_id,
        report_id as document_id,
        geography_code,
        component_code,
        funding_source_code,
        capital_type_code,
        phase_code,

        -- provenance
        source_partition,
        feed_file as source_file,
        file_row_number as source_line,
        -- a feed prints no text and numbers no sections: the row of its file is the record
        -- (source_file, source_line), and a rendering of its columns (1.5 GB of a 10M-row
        -- warehouse's 6.3 GB) or of its row number would only repeat them
        cast(null as {{ dbt.type_string() }}) as source_text,
        cast(null as {{ dbt.type_string() }}) as locator,
        'report' as statement_group,

        -- strings
        amount_printed as value_printed,
        'triệu đồng' as unit_printed,
        fiscal_year
        || coalesce('-' || lpad(cast(period_month as {{ dbt.type_string() }}), 2, '0'), '')
            as period_printed,
        cast(null as {{ dbt.type_string() }}) as period_inferred,
        cast(null as {{ dbt.type_string() }}) as period_rule,
        component_code as component_label_printed,
        'period_total' as amount_basis,
        'printed' as capital_type_basis,
        sums_components,
        sums_funding_sources,
        sums_capital_types,
        cast(null as {{ dbt.type_string() }}) as repeats_amount_id,
        cast(null as {{ dbt.type_string() }}) as note,
        cast(null as {{ dbt.type_string() }}) as qualifier_printed,
        cast(null as {{ dbt.type_string() }}) as budget_level,

        -- numerics
        amount_million_vnd as value_numeric,
        amount_million_vnd,
        -- a feed's amounts are exact
        cast(0 as decimal(18, 3)) as rounding_half_unit_million_vnd,
        fiscal_year as period_start_year,
        fiscal_year as period_end_year,
        period_month,

        -- dates
        cast(null as date) as as_of_date,

        -- booleans
        is_printed_total,
        false as is_repeat_printing

    from feed_line_items

),

final as (

    {{ union_all_by_name('transcribed', 'fed', [
        'amount_id', 'document_id', 'geography_code', 'component_code', 'funding_source_code',
        'capital_type_code', 'phase_code', 'source_file', 'source_partition', 'source_line',
        'source_text', 'locator', 'statement_group', 'value_printed', 'unit_printed',
        'period_printed', 'period_inferred',
        'period_rule', 'component_label_printed', 'amount_basis', 'capital_type_basis',
        'sums_components', 'sums_funding_sources', 'sums_capital_types', 'repeats_amount_id',
        'note', 'qualifier_printed', 'budget_level', 'value_numeric', 'amount_million_vnd',
        'rounding_half_unit_million_vnd', 'period_start_year', 'period_end_year',
        'is_printed_total', 'period_month', 'as_of_date', 'is_repeat_printing'
    ]) }}

)

select * from final
