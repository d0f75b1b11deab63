{% macro spark__repeated_hashes(relation, hash_column) -%}
    {#- Grouped: Spark's aggregation spills by itself, and a window without a partition would move
        every row into one task. -#}
    select {{ hash_column }}
    from {{ relation }}
    group by {{ hash_column }}
    having count(*) > 1
{%- endmacro %}
