-- Family 3's parts decomposed by source, for the component totals their own column does not
-- decide (a listed component without a value there; a handful in a feed): each listed component
-- as the sum of its single-source values (its own, else its sub-projects'), of the total's capital
-- scope and with the parts of unstated capital type. Read by int_sum_checks_components. A table
-- incremental by feed partition (dbt_project.yml; root CTEs filter).
with

totals as (

    select * from {{ ref('int_sum_check_amounts') }}
    where {{ in_rebuilt_partitions() }} and is_printed_total

),

total_parts as (

    select * from {{ ref('int_component_total_parts') }}
    where {{ in_rebuilt_partitions() }}

),

component_source_values as (

    select * from {{ ref('int_component_source_values_summed') }}
    where {{ in_rebuilt_partitions() }}

),

-- the totals a listed component of which has no value in their own column
undecided_totals as (

    select distinct
        amount_id,
        source_partition
    from total_parts
    where has_part_sources = 1 and same_column_amount is null

),

undecided_total_rows as (

    select totals.*
    from totals
    inner join undecided_totals
        on
            totals.amount_id = undecided_totals.amount_id
            and totals.source_partition = undecided_totals.source_partition

),

-- each undecided total once per component it lists
component_totals as (

    {{ listed_component_totals('undecided_total_rows') }}

),

-- each listed component per source the total stands for (its listed sources, or itself) ...
component_total_sources as (

    select
        component_totals.*,
        {{ unnest_pipe_list(
            "case when component_totals.funding_source_code = 'total'
            then component_totals.sums_funding_sources
            else component_totals.funding_source_code end"
        ) }} as part_source
    from component_totals

),

-- ... and per capital scope its parts may have: its own, and for a total of one capital type also
-- `unspecified` (capital type not stated), so that the join below is on equalities only
component_total_scopes as (

    select
        component_total_sources.*,
        component_total_sources.capital_scope as part_capital_scope
    from component_total_sources

    union all

    select
        component_total_sources.*,
        'unspecified' as part_capital_scope
    from component_total_sources
    where component_total_sources.capital_scope not in ('all', 'unspecified')

),

-- a listed component as the sum of its single-source values (its own, else its sub-projects');
-- of the total's capital scope, and also with the parts of unstated capital type
final as (

    select
        component_total_scopes.amount_id,
        component_total_scopes.source_partition,
        component_total_scopes.part_component,
        coalesce(
            sum(case
                when
                    component_source_values.is_own_value
                    and component_total_scopes.part_capital_scope
                    = component_total_scopes.capital_scope
                    then component_source_values.amount_million_vnd
            end),
            sum(case
                when
                    not component_source_values.is_own_value
                    and component_total_scopes.part_capital_scope
                    = component_total_scopes.capital_scope
                    then component_source_values.amount_million_vnd
            end)
        ) as decomposed_amount,
        coalesce(
            sum(case
                when component_source_values.is_own_value
                    then component_source_values.amount_million_vnd
            end),
            sum(case
                when not component_source_values.is_own_value
                    then component_source_values.amount_million_vnd
            end)
        ) as decomposed_with_unstated_amount
    from component_total_scopes
    left join component_source_values
        on
            component_total_scopes.source_partition = component_source_values.source_partition
            and component_total_scopes.parts_block_key = component_source_values.block_key
            and component_total_scopes.part_component = component_source_values.part_component
            and component_total_scopes.part_source = component_source_values.funding_source_code
            and component_total_scopes.part_capital_scope = component_source_values.capital_scope
    group by
        component_total_scopes.amount_id,
        component_total_scopes.source_partition,
        component_total_scopes.part_component

)

select * from final
