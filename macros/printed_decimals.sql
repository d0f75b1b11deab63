{% macro printed_decimals(value_printed) %}
    {#- The number of digits a printed Vietnamese number shows after its decimal comma ("74,80" 2,
        "2.300" 0): the precision of its printing. -#}
    case
        when instr({{ value_printed }}, ',') > 0
            then length({{ value_printed }}) - instr({{ value_printed }}, ',')
        else 0
    end
{%- endmacro %}
