-- No two blocks of a partition share a key: int_sum_check_amounts hashes each amount's block and
-- period (block_key) and its parts' (parts_block_key) into one integer (row_hash), and family 3
-- joins a total to its parts on that integer; a collision would pair a total with another block's
-- parts, so a key that stands for two different blocks fails the build here. In an incremental
-- refresh's build, the rebuilt partitions are checked (macros/rebuilt_rows.sql).
{%- set rebuilt = rebuilt_rows('source_partition') %}
{%- set block_columns = block_key_columns('amounts') %}
{%- set parts_block_columns = block_key_columns('amounts', 'parts_statement_group') %}
with

amounts as (

    select * from {{ ref('int_sum_check_amounts') }}
    {%- if rebuilt is not none %}
    where {{ rebuilt }}
    {%- endif %}

),

-- every block a key stands for: the blocks of the amounts, and the blocks of their parts
keyed_blocks as (

    select distinct
        amounts.source_partition,
        amounts.block_key,
        {{ block_columns | join(',\n        ') }}
    from amounts

    union

    select distinct
        amounts.source_partition,
        amounts.parts_block_key as block_key,
        {{ parts_block_columns | join(',\n        ') }}
    from amounts

),

final as (

    select
        source_partition,
        block_key,
        count(*) as n_blocks
    from keyed_blocks
    group by source_partition, block_key
    having count(*) > 1

)

select * from final
