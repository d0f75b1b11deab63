{% macro delete_rebuilt_partitions(column='source_partition', level='partition', province_column=none) %}
    {#- Pre-hook of an incremental model (delete+insert by partition): delete the rows of the
        partitions (level `province`: provinces; level `geography`: the geographies of those
        provinces, for tables keyed by geography alone) about to be computed again, including
        partitions whose files were removed; without `changed_partitions` every row, so that a plain
        `dbt build` recomputes the whole table and can never leave stale rows behind.
        `province_column`: a stored column with the row's province, for a table whose partition is
        computed from two columns (the feed staging tables): the rows of the changed provinces are
        found inside the scan first, then the partition checked on those alone. -#}
    {%- if is_incremental() -%}
        {%- if target.type != 'duckdb' -%}
            {{ exceptions.raise_compiler_error(
                "An incremental build by feed partition deletes rows, which Parquet tables on "
                ~ target.type ~ " cannot: build with --full-refresh (Delta or Iceberg tables would allow it).") }}
        {%- endif -%}
        {%- set changed = rebuilt_partitions('province' if level == 'geography' else level) -%}
        {%- if changed is none -%}
            delete from {{ this }}
        {%- elif changed | length > 0 and level == 'geography' -%}
            delete from {{ this }} where {{ column }} in (
                select geography_code from {{ ref('dim_geography') }}
                where province_code in ({{ sql_string_list(changed) }})
            )
        {%- elif changed | length > 0 -%}
            delete from {{ this }} where
            {%- if province_column is not none %}
                {{ partition_filter(province_column, rebuilt_partitions('province')) }} and
            {%- endif %}
                {{ partition_filter(column, changed) }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
