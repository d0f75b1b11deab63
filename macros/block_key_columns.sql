{% macro block_key_columns(relation, block='statement_group') %}
    {#- The columns of block_and_period_columns but the partition, qualified by `relation`, with
        `block` for the block (parts_statement_group: the block of a total's parts): what
        int_sum_check_amounts hashes into block_key and parts_block_key. -#}
    {%- set columns = [] %}
    {%- for column, null_safe in block_and_period_columns() if column != 'source_partition' %}
        {%- do columns.append(relation ~ '.' ~ (block if column == 'statement_group' else column)) %}
    {%- endfor %}
    {{- return(columns) }}
{%- endmacro %}
