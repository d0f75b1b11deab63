{% macro printed_half_unit(value_printed, unit_printed) %}
    {#- Half a unit of the last digit a printed amount shows, in million VND: the most its printing
        may differ from the amount it rounds. An amount printed in tỷ đồng (billion VND: "2.300 tỷ",
        "62,5 tỷ") is rounded to its last printed digit: 500 million for a whole number of tỷ, 50
        for one decimal, and so on; an amount printed in triệu đồng or đồng (the tables of a plan)
        is exact: 0. -#}
    cast(
        case
            when {{ unit_printed }} = 'tỷ đồng'
                then 500 / power(10, {{ printed_decimals(value_printed) }})
            else 0
        end as decimal(18, 3)
    )
{%- endmacro %}
