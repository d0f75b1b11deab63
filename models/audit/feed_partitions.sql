-- One row per partition of the feed the warehouse was built from, with the content hash an
-- incremental refresh compares (src/ntp_poverty/build/increments.py computes the same hash from the
-- files: MD5 of the sorted lines `<relative path>:<md5 of the file>` joined by newlines).
with

files as (

    select * from {{ ref('stg_feeds__files') }}

),

partitions as (

    select
        source_partition,
        count(*) as n_files,
        sum(file_bytes) as n_bytes,
        md5(
            {{ ordered_listagg("feed_file || ':' || content_md5", 'chr(10)',
                               "feed_file || ':' || content_md5") }}
        ) as content_hash
    from files
    group by source_partition

),

final as (

    select
        -- ids
        cast(source_partition as {{ dbt.type_string() }}) as source_partition,
        cast(regexp_extract(source_partition, '^province=([^/]+)', 1) as {{ dbt.type_string() }})
            as partition_province_code,

        -- strings
        cast(content_hash as {{ dbt.type_string() }}) as content_hash,

        -- numerics
        cast(regexp_extract(source_partition, '/year=([0-9]{4})$', 1) as integer) as partition_year,
        cast(n_files as integer) as n_files,
        cast(n_bytes as bigint) as n_bytes

    from partitions

)

select * from final
