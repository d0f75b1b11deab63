-- Grain: geography × reference_year × value_kind (result, baseline, estimate, target): the
-- poverty rate, its reduction in percentage points and the count of poor households, each with
-- its provenance.
with

targets as (

    select * from {{ ref('int_target_years') }}

),

results as (

    select * from {{ ref('fct_result') }}

),

-- the documents with their place in the order of precedence (precedence_rank), compared below
-- only within an indicator, geography and year
documents as (

    select * from {{ ref('dim_document') }}

),

geographies as (

    select * from {{ ref('dim_geography') }}

),

series_indicators as (

    select listed.indicator_code
    from (
        values ('poverty_rate'), ('poverty_rate_reduction'), ('poor_households_count')
    ) as listed (indicator_code)

),

printed_values as (

    select
        results.geography_code,
        results.reference_year,
        results.measure_kind as value_kind,
        results.indicator_code,
        results.value_comparator as comparator,
        results.value_numeric as low_value,
        results.value_high_numeric as high_value,
        results.result_id as source_id,
        results.document_id,
        results.source_line
    from results
    inner join series_indicators
        on results.indicator_code = series_indicators.indicator_code

),

-- a target in the years it is due (int_target_years: each year when it is per year or for one
-- year, else the period's last year)
target_values as (

    select
        targets.geography_code,
        targets.target_year as reference_year,
        'target' as value_kind,
        targets.indicator_code,
        targets.comparator,
        targets.low_value,
        targets.high_value,
        targets.target_id as source_id,
        targets.document_id,
        targets.source_line
    from targets
    inner join series_indicators
        on targets.indicator_code = series_indicators.indicator_code
    where targets.is_due_in_year

),

all_values as (

    select * from printed_values
    union all
    select * from target_values

),

ranked as (

    select
        all_values.*,
        row_number() over (
            partition by
                all_values.geography_code,
                all_values.reference_year,
                all_values.value_kind,
                all_values.indicator_code
            order by documents.precedence_rank, all_values.source_id
        ) as precedence_order
    from all_values
    inner join documents
        on all_values.document_id = documents.document_id

),

winners as (

    select * from ranked
    where precedence_order = 1

),

counted as (

    select
        geography_code,
        reference_year,
        value_kind,
        cast(count(*) as integer) as n_values_printed,
        count(distinct concat_ws('|', indicator_code, comparator, low_value, high_value))
        > count(distinct indicator_code) as has_differing_values
    from ranked
    group by all

),

pivoted as (

    select
        winners.geography_code,
        winners.reference_year,
        winners.value_kind,
        counted.n_values_printed,
        counted.has_differing_values,
        max(winners.low_value) filter (where winners.indicator_code = 'poverty_rate')
            as poverty_rate,
        max(winners.high_value) filter (where winners.indicator_code = 'poverty_rate')
            as poverty_rate_high,
        max(winners.comparator) filter (where winners.indicator_code = 'poverty_rate')
            as poverty_rate_comparator,
        max(winners.source_id) filter (where winners.indicator_code = 'poverty_rate')
            as poverty_rate_source_id,
        max(winners.document_id) filter (where winners.indicator_code = 'poverty_rate')
            as poverty_rate_document_id,
        max(winners.source_line) filter (where winners.indicator_code = 'poverty_rate')
            as poverty_rate_source_line,
        max(winners.low_value) filter (where winners.indicator_code = 'poverty_rate_reduction')
            as poverty_rate_reduction_pp,
        max(winners.high_value) filter (where winners.indicator_code = 'poverty_rate_reduction')
            as poverty_rate_reduction_pp_high,
        max(winners.comparator) filter (where winners.indicator_code = 'poverty_rate_reduction')
            as poverty_rate_reduction_comparator,
        max(winners.source_id) filter (where winners.indicator_code = 'poverty_rate_reduction')
            as poverty_rate_reduction_source_id,
        max(winners.document_id) filter (where winners.indicator_code = 'poverty_rate_reduction')
            as poverty_rate_reduction_document_id,
        max(winners.source_line) filter (where winners.indicator_code = 'poverty_rate_reduction')
            as poverty_rate_reduction_source_line,
        max(winners.low_value) filter (where winners.indicator_code = 'poor_households_count')
            as poor_households_count,
        max(winners.source_id) filter (where winners.indicator_code = 'poor_households_count')
            as poor_households_source_id,
        max(winners.document_id) filter (where winners.indicator_code = 'poor_households_count')
            as poor_households_document_id,
        max(winners.source_line) filter (where winners.indicator_code = 'poor_households_count')
            as poor_households_source_line
    from winners
    inner join counted
        on
            winners.geography_code = counted.geography_code
            and winners.reference_year = counted.reference_year
            and winners.value_kind = counted.value_kind
    group by all

),

final as (

    select
        -- ids
        pivoted.geography_code,
        pivoted.poverty_rate_source_id,
        pivoted.poverty_rate_reduction_source_id,
        pivoted.poor_households_source_id,

        -- strings
        pivoted.value_kind,
        geographies.name_vi as geography_name_vi,
        geographies.admin_level,
        pivoted.poverty_rate_comparator,
        pivoted.poverty_rate_document_id,
        pivoted.poverty_rate_reduction_comparator,
        pivoted.poverty_rate_reduction_document_id,
        pivoted.poor_households_document_id,

        -- numerics
        pivoted.reference_year,
        pivoted.poverty_rate,
        pivoted.poverty_rate_high,
        pivoted.poverty_rate_source_line,
        pivoted.poverty_rate_reduction_pp,
        pivoted.poverty_rate_reduction_pp_high,
        pivoted.poverty_rate_reduction_source_line,
        pivoted.poor_households_count,
        pivoted.poor_households_source_line,
        pivoted.n_values_printed,

        -- booleans
        pivoted.has_differing_values

    from pivoted
    inner join geographies
        on pivoted.geography_code = geographies.geography_code

)

select * from final
