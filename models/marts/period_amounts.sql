-- Grain: geography × period (first and last year) × phase × component × funding source × capital
-- type × amount_origin. A plan for a period is what most provincial documents print: its amounts
-- as printed (printed_for_period: a leaf for several years that the document does not split by
-- year, e.g. Lạng Sơn's housing scheme), and, for the period of each document that prints annual
-- amounts, their sums over the period after precedence (sum_of_annual). Where two documents print
-- the same period amount, the better precedence rank of that geography and period is kept.
-- Phases are never added: requested and allocated are separate rows.
with

cells as (

    select * from {{ ref('int_period_amount_cells') }}

),

funding_sources as (

    select * from {{ ref('dim_funding_source') }}

),

geographies as (

    select * from {{ ref('dim_geography') }}

),

-- each geography's total funding per period, phase and origin: the denominator of the shares
period_totals as (

    select
        cells.geography_code,
        cells.period_start_year,
        cells.period_end_year,
        cells.phase_code,
        cells.amount_origin,
        sum(cells.amount_million_vnd) as total_funding
    from cells
    inner join funding_sources
        on cells.funding_source_code = funding_sources.funding_source_code
    where funding_sources.is_in_total_funding
    group by all

),

final as (

    select
        -- ids
        cells.geography_code,
        cells.phase_code,
        cells.component_code,
        cells.funding_source_code,
        cells.capital_type_code,
        cells.document_id,

        -- strings
        cells.amount_origin,
        geographies.name_vi as geography_name_vi,

        -- numerics
        cells.period_start_year,
        cells.period_end_year,
        cast(cells.n_years_with_amounts as integer) as n_years_with_amounts,
        cast(cells.amount_million_vnd as decimal(18, 3)) as amount_million_vnd,
        cast(
            case
                when funding_sources.is_in_total_funding
                    then {{ divide(
                        'cells.amount_million_vnd', 'nullif(period_totals.total_funding, 0)'
                    ) }}
            end as double
        ) as share_of_period_total

    from cells
    inner join geographies
        on cells.geography_code = geographies.geography_code
    inner join funding_sources
        on cells.funding_source_code = funding_sources.funding_source_code
    left join period_totals
        on
            cells.geography_code = period_totals.geography_code
            and cells.period_start_year = period_totals.period_start_year
            and cells.period_end_year = period_totals.period_end_year
            and cells.phase_code = period_totals.phase_code
            and cells.amount_origin = period_totals.amount_origin

)

select * from final
