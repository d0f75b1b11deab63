{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook={
            'sql': "{{ delete_rebuilt_partitions(feed_partition_key('partition_province_code', 'partition_year')) }}",
            'transaction': false
        }
    )
}}
-- The feed's Parquet line items, typed (rename and cast only):
-- see macros/stage_feed_line_items.sql. Incremental by feed partition (its folder): a refresh
-- reads again only the partitions whose files changed (macros/incremental_partitions.sql).
{{ stage_feed_line_items(source('feeds', 'line_items_parquet')) }}
