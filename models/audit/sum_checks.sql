-- Every comparison of a printed total with the sum of what it claims to sum, passing or not:
-- the five families (intermediate models, one per family) with the printed total's provenance.
-- Transcribed documents and feed reports alike; a per-year amount is compared in each year it
-- claims.
-- Incremental by feed partition (dbt_project.yml, macros/delete_rebuilt_partitions.sql): a refresh
-- recomputes only the partitions whose files changed (delete, then insert); other runs all rows.
with

checked_amounts as (

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

final as (

    select
        -- ids
        -- concat_ws skips nulls on every engine (Spark's concat returns null for any null part)
        concat_ws(
            '', all_checks.check_code, ':', checked_amount.amount_id,
            case when all_checks.fiscal_year is not null then ':' || all_checks.fiscal_year end
        ) as sum_check_id,
        all_checks.check_code,
        checked_amount.amount_id as reported_total_id,
        checked_amount.document_id,
        checked_amount.geography_code,
        checked_amount.component_code,
        checked_amount.funding_source_code,
        checked_amount.capital_type_code,
        checked_amount.phase_code,

        -- strings
        checked_amount.statement_group,
        checked_amount.parts_statement_group,
        checked_amount.sums_components,
        checked_amount.sums_funding_sources,
        checked_amount.sums_capital_types,
        all_checks.parts_detail,
        checked_amount.locator,
        checked_amount.source_file,
        checked_amount.source_text,
        checked_amount.source_partition,

        -- numerics
        checked_amount.period_start_year,
        checked_amount.period_end_year,
        checked_amount.period_month,
        all_checks.fiscal_year,
        checked_amount.source_line,
        all_checks.n_parts_found,
        all_checks.n_parts_expected,
        cast(checked_amount.amount_million_vnd as decimal(18, 3)) as reported_amount_million_vnd,
        cast(all_checks.computed_amount_million_vnd as decimal(18, 3))
            as computed_amount_million_vnd,
        cast(
            checked_amount.amount_million_vnd - all_checks.computed_amount_million_vnd
            as decimal(18, 3)
        ) as difference_million_vnd,
        -- tolerance 0 when both sides are whole million VND, 0.001 otherwise
        cast(
            case
                when
                    checked_amount.amount_million_vnd = round(checked_amount.amount_million_vnd)
                    and all_checks.computed_amount_million_vnd
                    = round(all_checks.computed_amount_million_vnd)
                    then 0
                else 0.001
            end as decimal(18, 3)
        ) as tolerance_million_vnd

    from all_checks
    inner join checked_amounts as checked_amount
        on
            all_checks.source_partition = checked_amount.source_partition
            and all_checks.amount_id = checked_amount.amount_id

)

select * from final
