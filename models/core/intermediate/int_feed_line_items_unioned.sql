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

    select * from csv_line_items
    union all by name
    select * from parquet_line_items

),

final as (

    select
        *,
        {{ feed_partition_key('partition_province_code', 'partition_year') }} as source_partition
    from line_items

)

select * from final
