-- The feed's Parquet line items, typed (rename and cast only):
-- see macros/stage_feed_line_items.sql.
{{ stage_feed_line_items(source('feeds', 'line_items_parquet')) }}
