-- The feed's data files, one row each: the path relative to the feed folder and the file's bytes
-- reduced to their MD5 digest (so that the bytes themselves are not stored).
with

source as (

    {{ feed_file_bytes() }}

),

final as (

    select
        -- ids
        regexp_extract(
            cast(filename as {{ dbt.type_string() }}), '(province=[^/]+/year=[^/]+/[^/]+)$', 1
        ) as feed_file,

        -- strings
        regexp_extract(
            cast(filename as {{ dbt.type_string() }}), '(province=[^/]+/year=[^/]+)/[^/]+$', 1
        ) as source_partition,
        md5(content) as content_md5,

        -- numerics
        cast(size as bigint) as file_bytes

    from source

)

select * from final
