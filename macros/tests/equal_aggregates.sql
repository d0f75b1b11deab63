{% test equal_aggregates(model, expression, compare_model, compare_expression, where=none, compare_where=none) %}
{#- Fails when an aggregate over the model differs from an aggregate over another model
    (e.g. a mart's total funding vs the core fact it is built from). -#}
with

model_side as (

    select {{ expression }} as aggregate_value
    from {{ model }}
    {% if where %} where {{ where }} {% endif %}

),

compare_side as (

    select {{ compare_expression }} as aggregate_value
    from {{ compare_model }}
    {% if compare_where %} where {{ compare_where }} {% endif %}

)

select
    model_side.aggregate_value as model_value,
    compare_side.aggregate_value as compare_value
from model_side
cross join compare_side
where model_side.aggregate_value is distinct from compare_side.aggregate_value
{% endtest %}
