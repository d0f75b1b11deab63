{% test unique_combination_of_columns(model, combination_of_columns, partition_column=none,
                                      partition_level='partition', key_determines_partition=false) %}
{#- Fails with each combination of the given columns that occurs more than once (nulls compare equal).
    With `partition_column`, an incremental refresh's build (macros/rebuilt_rows.sql) checks only
    the combinations that occur in the rebuilt partitions, each counted over the whole table: the
    same verdict, as every other combination was unique in the published build and none of its rows
    changed; a full build checks every combination. When the combination determines the partition
    (the partition is one of its columns, or `key_determines_partition`: a column of it is proven by
    another test to lie in one partition), equal combinations lie in one partition: only the rebuilt
    partitions' rows are read. There the repeated hashes of the combination are found first
    (macros/dialect/row_hash.sql, repeated_hashes.sql), and only the rows of a repeated hash are
    grouped by their values: the same verdict (equal combinations hash alike), in a fraction of the
    memory (at 50M leaf rows grouping int_plan_amounts_annualized by its text key, and then by its
    hash, ran out of memory). -#}
{%- set rebuilt = rebuilt_rows(partition_column, partition_level) if partition_column else none -%}
{%- if rebuilt is none or key_determines_partition or partition_column in combination_of_columns %}
with tested_rows as {{ inline_cte() }} (
    select {{ combination_of_columns | join(', ') }}
    from {{ model }}
    {%- if rebuilt is not none %}
    where {{ rebuilt }}
    {%- endif %}
),

hashed_rows as (
    select {{ row_hash(combination_of_columns) }} as combination_hash
    from tested_rows
),

repeated_hashes as (
    {{ repeated_hashes('hashed_rows', 'combination_hash') }}
)

select
    {{ combination_of_columns | join(', ') }},
    count(*) as n_rows
from tested_rows
where {{ row_hash(combination_of_columns) }} in (select repeated_hashes.combination_hash from repeated_hashes)
group by all
having count(*) > 1
{%- else %}
with tested_rows as (
    -- the model, or its subquery when the test has a `where` config
    select * from {{ model }}
),

rebuilt_combinations as (
    select distinct {{ combination_of_columns | join(', ') }}
    from tested_rows
    where {{ rebuilt }}
),

checked as (
    select {{ combination_of_columns | join(', ') }}
    from tested_rows as checked_rows
    where exists (
        select 1
        from rebuilt_combinations
        where
            {%- for column in combination_of_columns %}
            {{ 'and ' if not loop.first }}rebuilt_combinations.{{ column }}
            is not distinct from checked_rows.{{ column }}
            {%- endfor %}
    )
)

select
    {{ combination_of_columns | join(', ') }},
    count(*) as n_rows
from checked
group by all
having count(*) > 1
{%- endif %}
{% endtest %}
