-- The cells of marts.period_amounts: geography × period × phase × component × source × capital
-- type × amount_origin, with the amount, the documents and (for sum_of_annual) how many years of
-- the period have an amount. See period_amounts for the rules.
with

leaves as (

    select * from {{ ref('fct_plan_amount') }}

),

annual as (

    select * from {{ ref('int_plan_amounts_preferred') }}

),

documents as (

    select * from {{ ref('dim_document') }}

),

-- printed period amounts; the best-ranked document per geography, period and cell
printed_for_period as (

    select
        leaves.geography_code,
        leaves.period_start_year,
        leaves.period_end_year,
        leaves.phase_code,
        leaves.component_code,
        leaves.funding_source_code,
        leaves.capital_type_code,
        leaves.document_id,
        leaves.amount_million_vnd,
        -- the best document of the cell's geography and period
        {{ best_in_cell([
            'leaves.geography_code', 'leaves.period_start_year', 'leaves.period_end_year',
            'leaves.phase_code', 'leaves.component_code', 'leaves.funding_source_code',
            'leaves.capital_type_code'
        ]) }} as is_best_document
    from leaves
    inner join documents
        on leaves.document_id = documents.document_id
    where leaves.is_multi_year_amount

),

-- the period of every document that prints annual amounts for more than one year
document_periods as (

    select distinct
        geography_code,
        period_start_year,
        period_end_year
    from documents
    where period_start_year < period_end_year

),

-- the rows of each cell: printed period amounts of the best-ranked document, and the annual
-- amounts (after precedence) of each document period's years
cell_rows as (

    select
        geography_code,
        period_start_year,
        period_end_year,
        phase_code,
        component_code,
        funding_source_code,
        capital_type_code,
        'printed_for_period' as amount_origin,
        document_id,
        cast(null as integer) as fiscal_year,
        amount_million_vnd
    from printed_for_period
    where is_best_document

    union all

    select
        document_periods.geography_code,
        document_periods.period_start_year,
        document_periods.period_end_year,
        annual.phase_code,
        annual.component_code,
        annual.funding_source_code,
        annual.capital_type_code,
        'sum_of_annual' as amount_origin,
        annual.document_id,
        annual.fiscal_year,
        annual.amount_million_vnd
    from document_periods
    inner join annual
        on
            document_periods.geography_code = annual.geography_code
            and annual.fiscal_year between document_periods.period_start_year
            and document_periods.period_end_year

),

summed as (

    select
        geography_code,
        period_start_year,
        period_end_year,
        phase_code,
        component_code,
        funding_source_code,
        capital_type_code,
        amount_origin,
        sum(amount_million_vnd) as amount_million_vnd,
        count(distinct fiscal_year) as n_years
    from cell_rows
    group by all

),

-- the documents of each cell, listed from distinct rows (Spark's listagg(distinct ...) fails
-- under this model's projection)
cell_documents as (

    select
        geography_code,
        period_start_year,
        period_end_year,
        phase_code,
        component_code,
        funding_source_code,
        capital_type_code,
        amount_origin,
        {{ ordered_listagg('document_id', "'|'", 'document_id') }} as document_id
    from (
        select distinct
            geography_code,
            period_start_year,
            period_end_year,
            phase_code,
            component_code,
            funding_source_code,
            capital_type_code,
            amount_origin,
            document_id
        from cell_rows
    ) as distinct_documents
    group by all

),

final as (

    select
        summed.geography_code,
        summed.period_start_year,
        summed.period_end_year,
        summed.phase_code,
        summed.component_code,
        summed.funding_source_code,
        summed.capital_type_code,
        summed.amount_origin,
        cell_documents.document_id,
        summed.amount_million_vnd,
        case when summed.amount_origin = 'sum_of_annual' then summed.n_years end
            as n_years_with_amounts
    from summed
    inner join cell_documents
        on
            summed.geography_code = cell_documents.geography_code
            and summed.period_start_year = cell_documents.period_start_year
            and summed.period_end_year = cell_documents.period_end_year
            and summed.phase_code = cell_documents.phase_code
            and summed.component_code = cell_documents.component_code
            and summed.funding_source_code = cell_documents.funding_source_code
            and summed.capital_type_code = cell_documents.capital_type_code
            and summed.amount_origin = cell_documents.amount_origin

)

select * from final
