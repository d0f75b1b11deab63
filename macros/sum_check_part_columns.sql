{% macro sum_check_part_columns(relation) %}
    {#- The columns of a part of a sum check that same_block_and_period compares
        (block_and_period_columns), and its amount: the select list of a CTE of parts. -#}
    {%- for column, null_safe in block_and_period_columns() %}
    {{ relation }}.{{ column }},
    {%- endfor %}
    {{ relation }}.amount_million_vnd
{%- endmacro %}
