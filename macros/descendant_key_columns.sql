{% macro descendant_key_columns(relation, component) %}
    {#- The columns, qualified by `relation`, that say which printed amounts a descendant breaks
        down: the component (`component`: its own, or the ancestor a descendant stands for), the
        block and period (block_and_period_columns), the source and the capital type. What
        int_plan_amounts_leaf_selected hashes on both sides before comparing them exactly. -#}
    {%- set columns = [relation ~ '.' ~ component] %}
    {%- for column, null_safe in block_and_period_columns() %}
        {%- do columns.append(relation ~ '.' ~ column) %}
    {%- endfor %}
    {%- do columns.extend([relation ~ '.funding_source_code', relation ~ '.capital_type_code']) %}
    {{- return(columns) }}
{%- endmacro %}
