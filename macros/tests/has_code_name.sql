{% test has_code_name(model, column_name, code_set) %}
{#- Fails with every distinct code of the column that core.dim_code_name does not name in code_set
    (nulls pass). The workbook reads code_set from this test to put the name beside the code. -#}
with

codes as (

    select distinct {{ column_name }} as code
    from {{ model }}
    where {{ column_name }} is not null

),

names as (

    select code
    from {{ ref('dim_code_name') }}
    where code_set = '{{ code_set }}'

),

final as (

    select codes.code
    from codes
    left join names on codes.code = names.code
    where names.code is null

)

select * from final
{% endtest %}
