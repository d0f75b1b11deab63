-- The feed's CSV line items, typed (rename and cast only):
-- see macros/stage_feed_line_items.sql.
{{ stage_feed_line_items(source('feeds', 'line_items_csv')) }}
