-- Grain: one row per amount of core.fct_plan_amount (a leaf in a fiscal year, or over a period) and
-- per row of core.fct_reported_total (a printed total or restatement): where it is counted, or
-- why it is not (seed accounting_reasons). An amount no reason describes is `unaccounted`, which
-- the accounting's tests refuse: nothing leaves the marts silently.
with

leaves as (

    select * from {{ ref('fct_plan_amount') }}

),

reported_totals as (

    select * from {{ ref('fct_reported_total') }}

),

preferred as (

    select * from {{ ref('int_plan_amounts_preferred') }}

),

funding_sources as (

    select * from {{ ref('dim_funding_source') }}

),

component_ancestry as (

    select * from {{ ref('int_component_ancestry') }}

),

-- the years whose phase is the one year-over-year change reads (its phase of record)
years_of_record as (

    select distinct
        geography_code,
        fiscal_year,
        phase_code
    from {{ ref('yoy_change') }}

),

period_rows as (

    select * from {{ ref('period_amounts') }}

),

-- the leaves each row of period_amounts counts: printed period amounts of the documents it names,
-- and the annual amounts (after precedence) of the years of its period
in_period_amounts as (

    select distinct leaves.plan_amount_id
    from leaves
    inner join period_rows
        on
            leaves.geography_code = period_rows.geography_code
            and leaves.phase_code = period_rows.phase_code
            and leaves.component_code = period_rows.component_code
            and leaves.funding_source_code = period_rows.funding_source_code
            and leaves.capital_type_code = period_rows.capital_type_code
    left join preferred
        on leaves.plan_amount_id = preferred.plan_amount_id
    where
        (
            period_rows.amount_origin = 'printed_for_period'
            and leaves.is_multi_year_amount
            and leaves.period_start_year = period_rows.period_start_year
            and leaves.period_end_year = period_rows.period_end_year
            and {{ pipe_list_contains('period_rows.document_id', 'leaves.document_id') }}
        )
        or (
            period_rows.amount_origin = 'sum_of_annual'
            and preferred.plan_amount_id is not null
            and leaves.fiscal_year between period_rows.period_start_year
            and period_rows.period_end_year
        )

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
        leaves.period_month
    from leaves
    inner join component_ancestry
        on leaves.component_code = component_ancestry.descendant_code

),

-- a leaf that lost precedence: another document's amount for its cell is the one counted (for a
-- year: in the annual marts; for a period: in period_amounts)
superseded as (

    select leaves.plan_amount_id
    from leaves
    inner join preferred as counted
        on
            leaves.geography_code = counted.geography_code
            and leaves.fiscal_year = counted.fiscal_year
            and leaves.phase_code = counted.phase_code
            and leaves.component_code = counted.component_code
            and leaves.funding_source_code = counted.funding_source_code
            and leaves.document_id != counted.document_id

    union distinct

    select leaves.plan_amount_id
    from leaves
    inner join period_rows as counted
        on
            leaves.geography_code = counted.geography_code
            and leaves.period_start_year = counted.period_start_year
            and leaves.period_end_year = counted.period_end_year
            and leaves.phase_code = counted.phase_code
            and leaves.component_code = counted.component_code
            and leaves.funding_source_code = counted.funding_source_code
            and leaves.capital_type_code = counted.capital_type_code
    where
        leaves.is_multi_year_amount
        and counted.amount_origin = 'printed_for_period'
        and not {{ pipe_list_contains('counted.document_id', 'leaves.document_id') }}

),

leaf_accounting as (

    select
        leaves.plan_amount_id as amount_key,
        'leaf' as amount_kind,
        leaves.document_id,
        leaves.geography_code,
        leaves.component_code,
        leaves.funding_source_code,
        leaves.phase_code,
        leaves.source_file,
        leaves.fiscal_year,
        leaves.period_start_year,
        leaves.period_end_year,
        leaves.amount_million_vnd,
        leaves.source_line,
        case
            when leaves.is_multi_year_amount and in_period_amounts.plan_amount_id is not null
                then 'multi_year_leaf'
            when preferred.plan_amount_id is not null and leaves.is_unitemised_total
                then 'unitemised_total'
            when preferred.plan_amount_id is not null then 'annual_leaf'
            when superseded.plan_amount_id is not null then 'superseded_leaf'
            else 'unaccounted'
        end as reason_code,
        nullif(
            concat_ws(
                '|',
                case when preferred.plan_amount_id is not null then 'funding_mix' end,
                case
                    when
                        preferred.plan_amount_id is not null
                        and funding_sources.is_in_total_funding
                        then 'cross_province_comparison'
                end,
                case
                    when
                        preferred.plan_amount_id is not null
                        and years_of_record.fiscal_year is not null
                        then 'yoy_change'
                end,
                case when in_period_amounts.plan_amount_id is not null then 'period_amounts' end
            ),
            ''
        ) as counted_in
    from leaves
    left join preferred
        on leaves.plan_amount_id = preferred.plan_amount_id
    left join superseded
        on leaves.plan_amount_id = superseded.plan_amount_id
    left join in_period_amounts
        on leaves.plan_amount_id = in_period_amounts.plan_amount_id
    left join funding_sources
        on leaves.funding_source_code = funding_sources.funding_source_code
    left join years_of_record
        on
            leaves.geography_code = years_of_record.geography_code
            and leaves.fiscal_year = years_of_record.fiscal_year
            and leaves.phase_code = years_of_record.phase_code

),

-- a printed total whose money is counted through leaves: one of them lies below it
counted_through_leaves as (

    select total.reported_total_id
    from reported_totals as total
    where
        exists (
            select 1
            from leaf_parts as part
            where {{ overlaps_below('total', 'part', same_cell=true) }}
        )

),

total_accounting as (

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

),

reasons as (

    select * from {{ ref('stg_reference__accounting_reasons') }}

),

accounted as (

    select * from leaf_accounting
    union all
    select * from total_accounting

),

final as (

    select
        accounted.*,
        coalesce(reasons.is_in_marts, false) as is_in_marts
    from accounted
    left join reasons
        on accounted.reason_code = reasons.reason_code

)

select * from final
