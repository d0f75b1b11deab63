-- Every line item of the feed, CSV and Parquet files together (the staging models type them the
-- same way), with the partition each came from (its folder); intermediate, read by the printings,
-- the document and the statement-group registries.
with

csv_line_items as (

    select * from {{ ref('stg_feeds__line_items_csv') }}

),

parquet_line_items as (

    select * from {{ ref('stg_feeds__line_items_parquet') }}

),

line_items as (

    {{ union_all_by_name('csv_line_items', 'parquet_line_items', [
        'report_id', 'geography_code', 'component_code', 'funding_source_code',
        'capital_type_code', 'phase_code', 'feed_file', 'file_row_number',
        'partition_province_code', 'partition_year', 'geography_level', 'sums_components',
        'sums_funding_sources', 'sums_capital_types', 'amount_printed', 'fiscal_year',
        'period_month', 'amount_million_vnd', 'is_printed_total'
    ]) }}

),

final as (

    select
        *,
        {{ feed_partition_key('partition_province_code', 'partition_year') }} as source_partition
    from line_items

)

select * from final
