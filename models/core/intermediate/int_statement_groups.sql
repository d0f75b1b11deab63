{{ config(materialized='table') }}
-- The registry of blocks: the transcribed documents' (seed statement_groups) and one block per feed
-- report, which provides leaves (annual or monthly amounts, each for its own period).
with

statement_groups as (

    select * from {{ ref('stg_reference__statement_groups') }}

),

feed_line_items as (

    select * from {{ ref('int_feed_line_items_unioned') }}

),

feed_reports as (

    select distinct report_id from feed_line_items

),

feed_report_groups as (

    select
        -- ids
        report_id as document_id,
        'report' as statement_group,

        -- strings
        'period_total' as leaf_amount_basis,
        cast(null as {{ dbt.type_string() }}) as parts_statement_group,
        'Feed report ' || report_id
        || ': line items of the reporting system, each for its own year or month.'
            as description,

        -- booleans
        true as provides_leaves,
        false as restates_leaves

    from feed_reports

),

final as (

    {{ union_all_by_name('statement_groups', 'feed_report_groups', [
        'document_id', 'statement_group', 'leaf_amount_basis', 'parts_statement_group',
        'description', 'provides_leaves', 'restates_leaves'
    ]) }}

)

select * from final
