-- Every component with itself and each of its ancestors (sub-project → project → program): the
-- component tree as pairs, for the rules that ask whether one printing lies below another
-- (int_plan_amounts_leaf_selected, audit.amount_accounting).
with

components as (

    select * from {{ ref('stg_reference__program_components') }}

),

ancestors as (

    select
        child.component_code as descendant_code,
        child.parent_component_code as ancestor_code
    from components as child
    where child.parent_component_code is not null

    union all

    select
        child.component_code as descendant_code,
        parent.parent_component_code as ancestor_code
    from components as child
    inner join components as parent
        on child.parent_component_code = parent.component_code
    where parent.parent_component_code is not null

),

final as (

    select
        descendant_code,
        ancestor_code,
        false as is_self
    from ancestors

    union all

    select
        component_code as descendant_code,
        component_code as ancestor_code,
        true as is_self
    from components

)

select * from final
