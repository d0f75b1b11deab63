-- Family 3 of the sum checks, its parts: for each printed component total (sub-projects -> project
-- -> programme) and each component it lists, that component's value in the same column (its own
-- cell, else its sub-projects' cells) and decomposed from single-source values (with and without
-- parts of unstated capital type), summed from int_sum_check_component_cell_parts and
-- int_sum_check_component_source_parts.
-- int_sum_checks_components decides which one the check uses.
-- A table incremental by feed partition (dbt_project.yml): a refresh computes only the changed
-- partitions' rows. A full build of a national feed computes it in slices of provinces
-- (src/ntp_poverty/build/slices.py).
with

valued_parts as (

    select
        amount_id,
        source_partition,
        part_component,
        true as is_same_column,
        is_own_value,
        amount_million_vnd,
        cast(null as boolean) as is_same_capital_scope
    from {{ ref('int_sum_check_component_cell_parts') }}
    where {{ in_rebuilt_partitions() }}

    union all

    select
        amount_id,
        source_partition,
        part_component,
        false as is_same_column,
        is_own_value,
        amount_million_vnd,
        is_same_capital_scope
    from {{ ref('int_sum_check_component_source_parts') }}
    where {{ in_rebuilt_partitions() }}

),

component_check_candidates as (

    -- each way: the own value, or else the sub-projects' sum (coalesce of the two sums)
    select
        amount_id,
        source_partition,
        part_component,
        coalesce(
            sum(case when is_same_column and is_own_value then amount_million_vnd end),
            sum(case when is_same_column and not is_own_value then amount_million_vnd end)
        ) as same_column_amount,
        coalesce(
            sum(case
                when not is_same_column and is_own_value and is_same_capital_scope
                    then amount_million_vnd
            end),
            sum(case
                when not is_same_column and not is_own_value and is_same_capital_scope
                    then amount_million_vnd
            end)
        ) as decomposed_amount,
        coalesce(
            sum(case when not is_same_column and is_own_value then amount_million_vnd end),
            sum(case when not is_same_column and not is_own_value then amount_million_vnd end)
        ) as decomposed_with_unstated_amount
    from valued_parts
    group by
        amount_id,
        source_partition,
        part_component
    -- listed components that both ways reached (a total over sources that lists none has no
    -- decomposition)
    having
        count(case when is_same_column then 1 end) > 0
        and count(case when not is_same_column then 1 end) > 0

),

final as (

    select * from component_check_candidates

)

select * from final
