-- One row per data file of the feed the warehouse was built from: exactly the files the preflight
-- listed and validated (src/ntp_poverty/validate/feed_files.py), which dbt read, with their hashes.
with

files as (

    select * from {{ ref('stg_feeds__files') }}

),

final as (

    select
        cast(feed_file as {{ dbt.type_string() }}) as feed_file,
        cast(source_partition as {{ dbt.type_string() }}) as source_partition,
        cast(content_md5 as {{ dbt.type_string() }}) as content_md5,
        cast(file_bytes as bigint) as file_bytes

    from files

)

select * from final
