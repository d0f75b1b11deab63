{% macro default__repeated_hashes(relation, hash_column) -%}
    {#- Sorted, not grouped: each hash beside the one before it in order. A group by of 50M distinct
        hashes asked DuckDB for one 1 GiB block beyond its 3 GB limit and failed; the sort spills and
        took 15 s within 1.8 GB. -#}
    select sorted_hashes.{{ hash_column }}
    from (
        select
            {{ hash_column }},
            lag({{ hash_column }}) over (order by {{ hash_column }}) as previous_hash
        from {{ relation }}
    ) as sorted_hashes
    where sorted_hashes.{{ hash_column }} = sorted_hashes.previous_hash
{%- endmacro %}
