-- Grain: geography × period (the plan period measured against) × as_of_date × phase × component ×
-- funding source × capital type: every amount to a date (giải ngân 6 tháng đầu năm, lũy kế đến
-- 30/6/2025, khả năng thực hiện 9 tháng), after precedence, beside the allocation of the same cell
-- for the same period, and the execution rate of the two. Like for like, never across phases: the
-- allocation is the allocated amount the documents print for the very cell the amount to a date
-- was printed for (component, funding source and capital type as printed, the sources a total
-- sums, the period), else the sum of the allocated annual leaves (after precedence) of the leaf's
-- cell over the period's years; with neither, the rate is null, not guessed.
with

to_date_leaves as (

    select * from {{ ref('fct_plan_amount') }}
    where is_to_date_amount

),

-- inlined where each reader reads it (macros/dialect/default__inline_cte.sql): each filters the
-- printings to dates in the scan; kept whole, every printing was copied first (11 s at 10M, 0.2 s
-- inlined)
printings as {{ inline_cte() }} (

    select * from {{ ref('int_plan_amounts_printings') }}
    where not is_repeat_printing

),

annual as (

    select * from {{ ref('int_plan_amounts_preferred') }}
    where phase_code = 'allocated'

),

documents as (

    select * from {{ ref('dim_document') }}

),

geographies as (

    select * from {{ ref('dim_geography') }}

),

-- the best-ranked document's amount of each cell
ranked_leaves as (

    select
        to_date_leaves.*,
        -- the best document of the cell's geography, period and date
        {{ best_in_cell([
            'to_date_leaves.geography_code', 'to_date_leaves.period_start_year',
            'to_date_leaves.period_end_year', 'to_date_leaves.as_of_date',
            'to_date_leaves.phase_code', 'to_date_leaves.component_code',
            'to_date_leaves.funding_source_code', 'to_date_leaves.capital_type_code'
        ]) }} as is_best_document
    from to_date_leaves
    inner join documents
        on to_date_leaves.document_id = documents.document_id

),

counted_leaves as (

    select * from ranked_leaves
    where is_best_document

),

-- the cell each amount to a date was printed for
printed_cells as (

    select
        counted_leaves.plan_amount_id,
        printings.component_code,
        printings.funding_source_code,
        printings.sums_funding_sources,
        printings.capital_type_code
    from counted_leaves
    inner join printings
        on counted_leaves.amount_id = printings.amount_id

),

-- allocations printed for a whole period
printed_allocations as (

    select * from printings
    where
        phase_code = 'allocated'
        and as_of_date is null
        and amount_basis = 'period_total'

),

printed_for_period as (

    select
        counted_leaves.plan_amount_id,
        printed_allocations.document_id,
        printed_allocations.amount_million_vnd,
        row_number() over (
            partition by counted_leaves.plan_amount_id
            order by allocation_documents.precedence_rank, printed_allocations.amount_id
        ) as allocation_order
    from counted_leaves
    inner join printed_cells
        on counted_leaves.plan_amount_id = printed_cells.plan_amount_id
    inner join printed_allocations
        on
            counted_leaves.geography_code = printed_allocations.geography_code
            and counted_leaves.period_start_year = printed_allocations.period_start_year
            and counted_leaves.period_end_year = printed_allocations.period_end_year
            and printed_cells.component_code = printed_allocations.component_code
            and printed_cells.funding_source_code = printed_allocations.funding_source_code
            and printed_cells.sums_funding_sources
            is not distinct from printed_allocations.sums_funding_sources
            and printed_cells.capital_type_code = printed_allocations.capital_type_code
    inner join documents as allocation_documents
        on printed_allocations.document_id = allocation_documents.document_id

),

sum_of_annual as (

    select
        counted_leaves.plan_amount_id,
        sum(annual.amount_million_vnd) as amount_million_vnd
    from counted_leaves
    inner join annual
        on
            counted_leaves.geography_code = annual.geography_code
            and counted_leaves.component_code = annual.component_code
            and counted_leaves.funding_source_code = annual.funding_source_code
            and counted_leaves.capital_type_code = annual.capital_type_code
            and annual.fiscal_year between counted_leaves.period_start_year
            and counted_leaves.period_end_year
    group by counted_leaves.plan_amount_id

),

final as (

    select
        -- ids
        counted_leaves.plan_amount_id,
        counted_leaves.geography_code,
        counted_leaves.phase_code,
        counted_leaves.component_code,
        counted_leaves.funding_source_code,
        counted_leaves.capital_type_code,
        counted_leaves.document_id,
        printed_for_period.document_id as allocation_document_id,

        -- strings
        geographies.name_vi as geography_name_vi,
        case
            when printed_for_period.plan_amount_id is not null then 'printed_for_period'
            when sum_of_annual.plan_amount_id is not null then 'sum_of_annual'
        end as allocation_origin,

        -- numerics
        counted_leaves.period_start_year,
        counted_leaves.period_end_year,
        counted_leaves.amount_million_vnd as amount_to_date_million_vnd,
        cast(
            coalesce(printed_for_period.amount_million_vnd, sum_of_annual.amount_million_vnd)
            as decimal(18, 3)
        ) as allocated_million_vnd,
        cast(
            {{ divide(
                'counted_leaves.amount_million_vnd',
                'nullif(coalesce(printed_for_period.amount_million_vnd, '
                ~ 'sum_of_annual.amount_million_vnd), 0)'
            ) }} as double
        ) as execution_rate,

        -- dates
        counted_leaves.as_of_date

    from counted_leaves
    inner join geographies
        on counted_leaves.geography_code = geographies.geography_code
    left join printed_for_period
        on
            counted_leaves.plan_amount_id = printed_for_period.plan_amount_id
            and printed_for_period.allocation_order = 1
    left join sum_of_annual
        on counted_leaves.plan_amount_id = sum_of_annual.plan_amount_id

)

select * from final
