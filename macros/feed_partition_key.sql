{% macro feed_partition_key(province_column, year_column) %}
    {#- The feed partition of a line item, `province=<code>/year=<yyyy>` (its folder in the feed);
        transcribed documents are the partition `documents`. -#}
    'province=' || {{ province_column }} || '/year=' || cast({{ year_column }} as {{ dbt.type_string() }})
{%- endmacro %}
