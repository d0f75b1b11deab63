-- Family 3 of the sum checks: a component total (sub-projects -> project -> programme) = its
-- listed components, in the same column when every one prints it, else from single-source values.
-- Aggregate, then join: each listed component is one lookup in the values summed per block, column
-- and component (int_component_total_parts, with its own column's value; and for the totals their
-- own column does not decide, int_component_total_parts_decomposed), summed per total here. A
-- table incremental by feed partition (dbt_project.yml; root CTEs filter).
with

totals as (

    select * from {{ ref('int_sum_check_amounts') }}
    where {{ in_rebuilt_partitions() }} and is_printed_total

),

same_column_values as (

    select * from {{ ref('int_component_total_parts') }}
    where {{ in_rebuilt_partitions() }}

),

decomposed_values as (

    select * from {{ ref('int_component_total_parts_decomposed') }}
    where {{ in_rebuilt_partitions() }}

),

-- per total: its listed components, and how many its own column has
same_column_sums as (

    select
        amount_id,
        source_partition,
        count(*) as n_parts,
        count(same_column_amount) as n_same_column,
        sum(same_column_amount) as same_column_sum
    from same_column_values
    where has_part_sources = 1
    group by amount_id, source_partition

),

-- the totals whose own column lacks a listed component, as int_component_total_parts_decomposed
-- decided (one rule, one place): only they are decomposed by source
undecided_totals as (

    select distinct
        amount_id,
        source_partition
    from decomposed_values

),

-- the listed components of the undecided totals, both ways
undecided_parts as (

    select
        same_column_values.amount_id,
        same_column_values.source_partition,
        same_column_values.part_component,
        same_column_values.same_column_amount,
        decomposed_values.decomposed_amount,
        decomposed_values.decomposed_with_unstated_amount
    from same_column_values
    inner join decomposed_values
        on
            same_column_values.amount_id = decomposed_values.amount_id
            and same_column_values.source_partition = decomposed_values.source_partition
            and same_column_values.part_component = decomposed_values.part_component

),

-- every listed component checked: a decided total's in its own column (no decomposition), an
-- undecided total's both ways; read for the text of the checks that do not add up
component_check_candidates as (

    select
        same_column_values.amount_id,
        same_column_values.source_partition,
        same_column_values.part_component,
        same_column_values.same_column_amount,
        cast(null as decimal(18, 3)) as decomposed_amount,
        cast(null as decimal(18, 3)) as decomposed_with_unstated_amount
    from same_column_values
    left join undecided_totals
        on
            same_column_values.amount_id = undecided_totals.amount_id
            and same_column_values.source_partition = undecided_totals.source_partition
    where same_column_values.has_part_sources = 1 and undecided_totals.amount_id is null

    union all

    select * from undecided_parts

),

-- per total: the decided ones from their own column's sums, the undecided ones from their parts
component_check_sums as (

    select
        amount_id,
        source_partition,
        n_same_column,
        n_parts as n_parts_expected,
        same_column_sum,
        cast(0 as bigint) as n_decomposed,
        cast(null as decimal(38, 3)) as decomposed_sum,
        cast(0 as bigint) as n_decomposed_with_unstated,
        cast(null as decimal(38, 3)) as decomposed_with_unstated_sum
    from same_column_sums
    where n_same_column = n_parts

    union all

    select
        amount_id,
        source_partition,
        count(same_column_amount) as n_same_column,
        count(*) as n_parts_expected,
        sum(same_column_amount) as same_column_sum,
        count(decomposed_amount) as n_decomposed,
        sum(decomposed_amount) as decomposed_sum,
        count(decomposed_with_unstated_amount) as n_decomposed_with_unstated,
        sum(decomposed_with_unstated_amount) as decomposed_with_unstated_sum
    from undecided_parts
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
        totals.amount_million_vnd as reported_amount_million_vnd
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

-- with the listed components as text where they do not add up (macros/checks_with_parts_detail.sql)
final as (

    {{ checks_with_parts_detail(
        'component_checks', 'component_check_candidates',
        "part_component || '=' || coalesce(cast(coalesce(same_column_amount,
        decomposed_with_unstated_amount) as " ~ dbt.type_string() ~ "), 'not printed')",
        'part_component'
    ) }}

)

select * from final
