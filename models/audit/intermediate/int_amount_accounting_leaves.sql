-- Every leaf of core.fct_plan_amount with the marts that count it (counted_in) or, when none
-- does, why (reason_code): the leaf half of audit.amount_accounting, which documents the reasons.
with

-- inlined where each reader reads it (macros/dialect/default__inline_cte.sql): kept whole, the
-- facts' every column spilled at 10M (65 s against 31 s replayed)
leaves as {{ inline_cte() }} (

    select * from {{ ref('fct_plan_amount') }}

),

-- inlined where each reader reads it, likewise (50 s -> 25 s replayed with the leaves)
preferred as {{ inline_cte() }} (

    select * from {{ ref('int_plan_amounts_preferred') }}

),

funding_sources as (

    select * from {{ ref('dim_funding_source') }}

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

-- amounts to a date, counted in execution_progress (by their id)
execution_rows as (

    select * from {{ ref('execution_progress') }}

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

-- the leaves the annual marts do not count: only they can have lost precedence (nearly none of a
-- feed's, whose reports tie), so only they are compared with the cells' counted amounts below
uncounted_leaves as (

    select leaves.*
    from leaves
    left join preferred
        on leaves.plan_amount_id = preferred.plan_amount_id
    where preferred.plan_amount_id is null

),

-- a leaf that lost precedence: another document's amount for its cell is the one counted (for a
-- year: in the annual marts; for a period: in period_amounts)
superseded as (

    select leaves.plan_amount_id
    from uncounted_leaves as leaves
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
    from uncounted_leaves as leaves
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

    union distinct

    select leaves.plan_amount_id
    from uncounted_leaves as leaves
    inner join execution_rows as counted
        on
            leaves.geography_code = counted.geography_code
            and leaves.period_start_year = counted.period_start_year
            and leaves.period_end_year = counted.period_end_year
            and leaves.as_of_date = counted.as_of_date
            and leaves.phase_code = counted.phase_code
            and leaves.component_code = counted.component_code
            and leaves.funding_source_code = counted.funding_source_code
            and leaves.capital_type_code = counted.capital_type_code
    where
        leaves.is_to_date_amount
        and leaves.document_id != counted.document_id

),

final as (

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
            when in_execution_progress.plan_amount_id is not null then 'to_date_leaf'
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
                case when in_period_amounts.plan_amount_id is not null then 'period_amounts' end,
                case
                    when in_execution_progress.plan_amount_id is not null
                        then 'execution_progress'
                end
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
    left join execution_rows as in_execution_progress
        on leaves.plan_amount_id = in_execution_progress.plan_amount_id
    left join funding_sources
        on leaves.funding_source_code = funding_sources.funding_source_code
    left join years_of_record
        on
            leaves.geography_code = years_of_record.geography_code
            and leaves.fiscal_year = years_of_record.fiscal_year
            and leaves.phase_code = years_of_record.phase_code

)

select * from final
