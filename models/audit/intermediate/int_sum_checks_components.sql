-- Family 3 of the sum checks: a component total (sub-projects -> project -> programme) = its
-- listed components, in the same column when every one prints it, else from single-source values
-- (the parts: int_sum_check_component_parts).
-- A table incremental by feed partition (dbt_project.yml): a refresh computes only the changed
-- partitions' rows, reading only their printings (the filter in the root CTEs).
with

checked_amounts as (

    select * from {{ ref('int_sum_check_amounts') }}
    where {{ in_rebuilt_partitions() }}

),

component_check_candidates as (

    select * from {{ ref('int_sum_check_component_parts') }}
    where {{ in_rebuilt_partitions() }}

),

totals as (

    select * from checked_amounts
    where is_printed_total

),

component_check_sums as (

    select
        amount_id,
        source_partition,
        count(same_column_amount) as n_same_column,
        count(*) as n_parts_expected,
        sum(same_column_amount) as same_column_sum,
        count(decomposed_amount) as n_decomposed,
        sum(decomposed_amount) as decomposed_sum,
        count(decomposed_with_unstated_amount) as n_decomposed_with_unstated,
        sum(decomposed_with_unstated_amount) as decomposed_with_unstated_sum,
        {{ ordered_listagg(
            "part_component || '=' || coalesce(cast(coalesce(same_column_amount,
            decomposed_with_unstated_amount) as " ~ dbt.type_string() ~ "), 'not printed')",
            "'; '", 'part_component'
        ) }} as parts_detail
    from component_check_candidates
    group by amount_id, source_partition

),

component_checks as (

    -- the same column when every listed component has it; otherwise the source decomposition,
    -- counting parts of unstated capital type when that is what makes the total agree
    select
        component_check_sums.amount_id,
        component_check_sums.source_partition,
        'components_to_total' as check_code,
        case
            when
                component_check_sums.n_same_column = component_check_sums.n_parts_expected
                then component_check_sums.same_column_sum
            when
                component_check_sums.decomposed_sum = totals.amount_million_vnd
                then component_check_sums.decomposed_sum
            when
                component_check_sums.decomposed_with_unstated_sum is not null
                then component_check_sums.decomposed_with_unstated_sum
            else component_check_sums.decomposed_sum
        end as computed_amount_million_vnd,
        case
            when
                component_check_sums.n_same_column = component_check_sums.n_parts_expected
                then component_check_sums.n_same_column
            else
                greatest(
                    component_check_sums.n_decomposed,
                    component_check_sums.n_decomposed_with_unstated
                )
        end as n_parts_found,
        component_check_sums.n_parts_expected,
        component_check_sums.parts_detail
    from component_check_sums
    inner join totals
        on component_check_sums.amount_id = totals.amount_id
    where
        greatest(
            component_check_sums.n_same_column,
            component_check_sums.n_decomposed,
            component_check_sums.n_decomposed_with_unstated
        )
        > 0

),

final as (

    select * from component_checks

)

select * from final
