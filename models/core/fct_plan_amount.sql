-- Annual grain: document × geography × fiscal_year × period_month × component × funding source
-- × capital type × phase (period_month only for monthly feed line items); an amount for a period
-- of several years, or to a date (as_of_date), has no fiscal_year. Leaves only, so any
-- slice can be summed without double counting. Transcribed documents and feed reports alike.
-- Incremental by feed partition (dbt_project.yml, macros/delete_rebuilt_partitions.sql): a refresh
-- recomputes only the partitions whose files changed (delete, then insert); other runs all rows.
with

annualized as (

    select * from {{ ref('int_plan_amounts_annualized') }}
    where {{ in_rebuilt_partitions() }}

),

-- the development-investment leaves alone, read on their own: were `annualized` read twice, it
-- would be computed once and held whole (every column), which at national scale spills to disk
development_leaves as (

    select
        document_id,
        fiscal_year,
        phase_code,
        amount_million_vnd
    from {{ ref('int_plan_amounts_annualized') }}
    where
        {{ in_rebuilt_partitions() }}
        and capital_type_code = 'development_investment'

),

amounts as (

    select * from {{ ref('stg_transcription__plan_amounts') }}

),

printed_development_totals as (

    -- program-level printed totals of development investment, per document, year and phase
    select
        document_id,
        period_start_year as fiscal_year,
        phase_code,
        amount_id,
        amount_million_vnd
    from amounts
    where
        component_code = 'ALL'
        and funding_source_code = 'total'
        and capital_type_code = 'development_investment'
        and period_start_year = period_end_year
        and amount_basis = 'period_total'

),

leaf_development_sums as (

    select
        document_id,
        fiscal_year,
        phase_code,
        sum(amount_million_vnd) as amount_million_vnd
    from development_leaves
    group by all

),

development_fully_itemised as (

    -- the document's own development-investment total equals its itemised development amounts,
    -- so every state-budget amount it leaves unspecified is recurrent
    select
        printed_development_totals.document_id,
        printed_development_totals.fiscal_year,
        printed_development_totals.phase_code,
        printed_development_totals.amount_id as evidence_amount_id
    from printed_development_totals
    inner join leaf_development_sums
        on
            printed_development_totals.document_id = leaf_development_sums.document_id
            and printed_development_totals.fiscal_year = leaf_development_sums.fiscal_year
            and printed_development_totals.phase_code = leaf_development_sums.phase_code
    where
        printed_development_totals.amount_million_vnd
        = leaf_development_sums.amount_million_vnd

),

resolved as (

    select
        annualized.*,
        development_fully_itemised.evidence_amount_id,
        coalesce(
            annualized.capital_type_code = 'unspecified'
            and annualized.funding_source_code in ('central_budget', 'local_budget')
            and development_fully_itemised.evidence_amount_id is not null,
            false
        ) as is_capital_type_inferred
    from annualized
    left join development_fully_itemised
        on
            annualized.document_id = development_fully_itemised.document_id
            and annualized.fiscal_year = development_fully_itemised.fiscal_year
            and annualized.phase_code = development_fully_itemised.phase_code

),

final as (

    select
        -- ids
        -- concat_ws skips nulls on every engine (Spark's concat returns null for any null part)
        concat_ws(
            '', amount_id, ':',
            coalesce(
                cast(fiscal_year as {{ dbt.type_string() }}),
                concat_ws(
                    '',
                    cast(period_start_year as {{ dbt.type_string() }}),
                    '-',
                    cast(period_end_year as {{ dbt.type_string() }})
                )
            ),
            -- an amount to a date: its date
            '@' || cast(as_of_date as {{ dbt.type_string() }})
        ) as plan_amount_id,
        amount_id,
        document_id,
        geography_code,
        component_code,
        funding_source_code,
        case when is_capital_type_inferred then 'recurrent' else capital_type_code end
            as capital_type_code,
        phase_code,

        -- strings
        capital_type_code as capital_type_code_printed,
        case when is_capital_type_inferred then 'document_total' else capital_type_basis end
            as capital_type_basis,
        case
            when is_capital_type_inferred
                then concat_ws(
                    '', 'development investment total (', evidence_amount_id,
                    ') equals the itemised development amounts, so the rest is recurrent'
                )
        end as capital_type_rule,
        derivation_rule,
        statement_group,
        source_file,
        source_text,
        locator,
        source_partition,
        period_printed,
        period_inferred,
        period_rule,
        component_label_printed,
        qualifier_printed,
        budget_level,

        -- numerics
        fiscal_year,
        period_month,
        period_start_year,
        period_end_year,
        cast(amount_million_vnd as decimal(18, 3)) as amount_million_vnd,
        source_line,

        -- dates
        as_of_date,

        -- booleans
        is_derived,
        fiscal_year is null and as_of_date is null as is_multi_year_amount,
        as_of_date is not null as is_to_date_amount,
        is_unitemised_total

    from resolved

)

select * from final
