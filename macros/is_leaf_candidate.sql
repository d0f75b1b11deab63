{% macro is_leaf_candidate(printed) %}
    {#- Whether a printing (alias `printed`, joined to int_statement_groups as `statement_groups`) may
        be a leaf: its block provides leaves, it is no repeat of another printing, its basis is the
        block's leaf basis, and it is no total over sources or capital types. The leaf selection
        applies it twice, to the narrow cells it compares and to the full rows it keeps. -#}
    statement_groups.provides_leaves
    and not {{ printed }}.is_repeat_printing
    and {{ printed }}.amount_basis = statement_groups.leaf_amount_basis
    and {{ printed }}.funding_source_code != 'total'
    and {{ printed }}.capital_type_code != 'total'
{%- endmacro %}
