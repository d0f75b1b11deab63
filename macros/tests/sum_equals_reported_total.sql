{% test sum_equals_reported_total(model, amount_column, reported_model, reported_column, join_columns,
                                  reported_where='true', tolerance=0) %}
{#- For each selected printed total in reported_model, the parts in model that share its
    join_columns must sum to it within the tolerance; a total without parts fails too. -#}
with

parts as (

    select
        {{ join_columns | join(', ') }},
        sum({{ amount_column }}) as computed_amount
    from {{ model }}
    group by all

),

reported as (

    select
        {{ join_columns | join(', ') }},
        {{ reported_column }} as reported_amount
    from {{ reported_model }}
    where {{ reported_where }}

)

select
    reported.*,
    parts.computed_amount
from reported
left join parts
    using ({{ join_columns | join(', ') }})
where
    parts.computed_amount is null
    or abs(reported.reported_amount - parts.computed_amount) > {{ tolerance }}
{% endtest %}
