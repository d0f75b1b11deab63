-- The feed's Parquet line items, typed (rename and cast only):
-- see macros/stage_feed_line_items.sql. Incremental by feed partition (its folder; config in
-- _feeds__models.yml): a refresh reads again only the partitions whose files changed.
{{ stage_feed_line_items(source('feeds', 'line_items_parquet')) }}
