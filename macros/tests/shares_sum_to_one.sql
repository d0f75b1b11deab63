{% test shares_sum_to_one(model, share_columns, denominator_column, tolerance=0.000001) %}
{#- Fails with every row whose shares do not add up to 1 while the denominator is positive. -#}
select *
from {{ model }}
where
    {{ denominator_column }} > 0
    and abs(({{ share_columns | map('string') | join(' + ') }}) - 1) > {{ tolerance }}
{% endtest %}
