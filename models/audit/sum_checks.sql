-- Every comparison of a printed total with the sum of what it claims to sum, passing or not:
-- the five families (intermediate models, one per family) with the printed total's provenance.
-- Transcribed documents and feed reports alike; a per-year amount is compared in each year it
-- claims.
-- Incremental by feed partition (dbt_project.yml, macros/delete_rebuilt_partitions.sql): a refresh
-- recomputes only the partitions whose files changed (delete, then insert); other runs all rows.
with

-- inlined where each reader reads it: each reads only its columns
checked_amounts as {{ inline_cte() }} (

    select * from {{ ref('int_sum_check_amounts') }}
    where {{ in_rebuilt_partitions() }}

),

source_and_capital_checks as (

    select * from {{ ref('int_sum_checks_sources_and_capital') }}
    where {{ in_rebuilt_partitions() }}

),

component_checks as (

    select * from {{ ref('int_sum_checks_components') }}
    where {{ in_rebuilt_partitions() }}

),

leaf_checks as (

    select * from {{ ref('int_sum_checks_leaves') }}
    where {{ in_rebuilt_partitions() }}

),

-- the coarsest printing of each block and period: what one part of a total may be off by when it
-- is printed in rounded units (n parts: n times this, a bound that is exact when the block prints
-- its amounts to one precision, as a news item in tỷ does)
block_precisions as (

    -- per block and period as its integer key (int_sum_check_amounts.block_key)
    select
        source_partition,
        block_key,
        max(rounding_half_unit_million_vnd) as part_half_unit_million_vnd
    from checked_amounts
    -- printings in rounded units only (a few; every other block's parts are exact: 0)
    where rounding_half_unit_million_vnd > 0
    group by source_partition, block_key

),

single_period_checks as (

    select * from source_and_capital_checks
    union all
    select * from component_checks

),

all_checks as (

    select
        amount_id,
        source_partition,
        check_code,
        cast(null as integer) as fiscal_year,
        computed_amount_million_vnd,
        n_parts_found,
        n_parts_expected,
        parts_detail
    from single_period_checks

    union all

    select
        amount_id,
        source_partition,
        check_code,
        fiscal_year,
        computed_amount_million_vnd,
        n_parts_found,
        n_parts_expected,
        parts_detail
    from leaf_checks

),

-- each comparison with its total's columns and its three numbers: the difference, the tolerance
-- and the rounding the printings allow
compared as (

    select
        all_checks.*,
        checked_amount.document_id,
        checked_amount.geography_code,
        checked_amount.component_code,
        checked_amount.funding_source_code,
        checked_amount.capital_type_code,
        checked_amount.phase_code,
        checked_amount.statement_group,
        checked_amount.parts_statement_group,
        checked_amount.sums_components,
        checked_amount.sums_funding_sources,
        checked_amount.sums_capital_types,
        checked_amount.locator,
        checked_amount.source_file,
        checked_amount.source_text,
        checked_amount.period_start_year,
        checked_amount.period_end_year,
        checked_amount.period_month,
        checked_amount.as_of_date,
        checked_amount.source_line,
        checked_amount.amount_million_vnd as reported_amount,
        checked_amount.amount_million_vnd - all_checks.computed_amount_million_vnd as difference,
        -- tolerance 0 when both sides are whole million VND, 0.001 otherwise
        case
            when
                checked_amount.amount_million_vnd = round(checked_amount.amount_million_vnd)
                and all_checks.computed_amount_million_vnd
                = round(all_checks.computed_amount_million_vnd)
                then 0
            else 0.001
        end as tolerance,
        -- half a unit of the total's last printed digit and of each part's (printed_half_unit)
        checked_amount.rounding_half_unit_million_vnd
        + all_checks.n_parts_found
        * coalesce(block_precisions.part_half_unit_million_vnd, 0) as rounding_allowance
    from all_checks
    inner join checked_amounts as checked_amount
        on
            all_checks.source_partition = checked_amount.source_partition
            and all_checks.amount_id = checked_amount.amount_id
    left join block_precisions
        on
            checked_amount.source_partition = block_precisions.source_partition
            and checked_amount.parts_block_key = block_precisions.block_key

),

final as (

    select
        -- ids
        -- concat_ws skips nulls on every engine (Spark's concat returns null for any null part)
        concat_ws(
            '', check_code, ':', amount_id,
            case when fiscal_year is not null then ':' || fiscal_year end
        ) as sum_check_id,
        check_code,
        amount_id as reported_total_id,
        document_id,
        geography_code,
        component_code,
        funding_source_code,
        capital_type_code,
        phase_code,

        -- strings
        statement_group,
        parts_statement_group,
        sums_components,
        sums_funding_sources,
        sums_capital_types,
        parts_detail,
        locator,
        source_file,
        source_text,
        source_partition,

        -- numerics
        period_start_year,
        period_end_year,
        period_month,
        as_of_date,
        fiscal_year,
        source_line,
        n_parts_found,
        n_parts_expected,
        cast(reported_amount as decimal(18, 3)) as reported_amount_million_vnd,
        cast(computed_amount_million_vnd as decimal(18, 3)) as computed_amount_million_vnd,
        cast(difference as decimal(18, 3)) as difference_million_vnd,
        cast(tolerance as decimal(18, 3)) as tolerance_million_vnd,
        cast(rounding_allowance as decimal(18, 3)) as rounding_allowance_million_vnd,

        -- outcome
        case
            when abs(difference) <= tolerance then 'match'
            when n_parts_found < n_parts_expected then 'incomplete_breakdown'
            when rounding_allowance > 0 and abs(difference) <= tolerance + rounding_allowance
                then 'within_rounding'
            else 'mismatch'
        end as outcome

    from compared

)

select * from final
