-- Every printed total and restatement of core.fct_reported_total with the reason its money is,
-- or is not, counted (reason_code): the total half of audit.amount_accounting. A total is counted
-- through the leaves below it (macros/overlaps_below.sql), and checked when a sum check compares
-- it.
with

leaves as (

    select * from {{ ref('fct_plan_amount') }}

),

-- inlined where each reader reads it: each reads only its columns
reported_totals as {{ inline_cte() }} (

    select * from {{ ref('fct_reported_total') }}

),

component_ancestry as (

    select * from {{ ref('int_component_ancestry') }}

),

checked_totals as (

    select distinct reported_total_id from {{ ref('sum_checks') }}

),

-- the leaves as parts of the printed totals above them: the component itself and its ancestors
leaf_parts as (

    select
        component_ancestry.ancestor_code as covered_code,
        leaves.source_partition,
        leaves.document_id,
        leaves.geography_code,
        leaves.phase_code,
        leaves.component_code,
        leaves.funding_source_code,
        leaves.capital_type_code_printed as capital_type_code,
        leaves.period_start_year,
        leaves.period_end_year,
        leaves.period_month,
        leaves.as_of_date
    from leaves
    inner join component_ancestry
        on leaves.component_code = component_ancestry.descendant_code

),

-- the totals no sum check compares: only their reason needs the leaves below them (nearly every
-- total of a feed is checked)
unchecked_totals as (

    select reported_totals.*
    from reported_totals
    left join checked_totals
        on reported_totals.reported_total_id = checked_totals.reported_total_id
    where checked_totals.reported_total_id is null

),

-- an unchecked total whose money is counted through leaves: one of them lies below it
counted_through_leaves as (

    select total.reported_total_id
    from unchecked_totals as total
    where
        exists (
            select 1
            from leaf_parts as part
            where {{ overlaps_below('total', 'part', same_cell=true) }}
        )

),

final as (

    select
        total.reported_total_id as amount_key,
        total.total_kind as amount_kind,
        total.document_id,
        total.geography_code,
        total.component_code,
        total.funding_source_code,
        total.phase_code,
        total.source_file,
        cast(null as integer) as fiscal_year,
        total.period_start_year,
        total.period_end_year,
        total.reported_amount_million_vnd as amount_million_vnd,
        total.source_line,
        case
            when checked_totals.reported_total_id is not null and total.total_kind = 'restatement'
                then 'checked_restatement'
            when checked_totals.reported_total_id is not null then 'checked_total'
            when
                counted_through_leaves.reported_total_id is null
                and total.reported_amount_million_vnd = 0
                then 'zero_total'
            when counted_through_leaves.reported_total_id is null then 'unaccounted'
            when total.total_kind = 'restatement' then 'unchecked_restatement'
            else 'unchecked_total'
        end as reason_code,
        cast(null as {{ dbt.type_string() }}) as counted_in
    from reported_totals as total
    left join checked_totals
        on total.reported_total_id = checked_totals.reported_total_id
    left join counted_through_leaves
        on total.reported_total_id = counted_through_leaves.reported_total_id

)

select * from final
