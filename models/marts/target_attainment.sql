-- Grain: one row per target × year it applies to (the years of target_comparison), beside the
-- reported result for the same indicator, geography and year and whether the target was met.
with

target_years as (

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

indicators as (

    select * from {{ ref('dim_indicator') }}

),

-- A reduction target in percentage points is met by the printed reduction of its year or, when
-- none is printed, by the fall of the level from the year before.
reduction_levels as (

    select
        indicator_code as reduction_indicator_code,
        reduces_indicator_code as level_indicator_code
    from indicators
    where reduces_indicator_code is not null

),

-- Estimates ("dự ước") are not reported results; results and baselines are.
reported as (

    select
        results.*,
        documents.precedence_rank
    from results
    inner join documents
        on results.document_id = documents.document_id
    where results.measure_kind in ('result', 'baseline')

),

ranked_reported as (

    select
        *,
        row_number() over (
            partition by indicator_code, geography_code, reference_year
            order by
                is_year_to_date asc nulls last,
                measure_kind = 'result' desc,
                precedence_rank asc,
                result_id asc
        ) as preference_order,
        count(*) over (partition by indicator_code, geography_code, reference_year)
            as n_candidate_results
    from reported

),

preferred as (

    select * from ranked_reported
    where preference_order = 1

),

derived_reductions as (

    select
        reduction_levels.reduction_indicator_code as indicator_code,
        current_level.geography_code,
        current_level.reference_year,
        current_level.result_id,
        current_level.measure_kind,
        current_level.value_comparator,
        current_level.document_id,
        current_level.source_line,
        cast(prior_level.value_numeric - current_level.value_numeric as decimal(18, 3))
            as value_numeric,
        current_level.is_year_to_date or prior_level.is_year_to_date as is_year_to_date
    from reduction_levels
    inner join preferred as current_level
        on reduction_levels.level_indicator_code = current_level.indicator_code
    inner join preferred as prior_level
        on
            current_level.indicator_code = prior_level.indicator_code
            and current_level.geography_code = prior_level.geography_code
            and current_level.reference_year = prior_level.reference_year + 1

),

matched as (

    select
        target_years.*,
        coalesce(printed.result_id, derived.result_id) as result_id,
        coalesce(printed.measure_kind, derived.measure_kind) as result_kind,
        coalesce(printed.value_comparator, derived.value_comparator) as result_comparator,
        coalesce(printed.document_id, derived.document_id) as result_document_id,
        coalesce(printed.value_numeric, derived.value_numeric) as result_value,
        coalesce(printed.source_line, derived.source_line) as result_source_line,
        coalesce(printed.is_year_to_date, derived.is_year_to_date) as result_is_year_to_date,
        case
            when printed.result_id is not null then 'printed'
            when derived.result_id is not null then 'derived_from_levels'
        end as result_basis,
        cast(coalesce(printed.n_candidate_results, 0) as integer) as n_candidate_results,
        coalesce(indicators.is_lower_better, false) as is_lower_better
    from target_years
    left join preferred as printed
        on
            target_years.indicator_code = printed.indicator_code
            and target_years.geography_code = printed.geography_code
            and target_years.target_year = printed.reference_year
    left join derived_reductions as derived
        on
            target_years.indicator_code = derived.indicator_code
            and target_years.geography_code = derived.geography_code
            and target_years.target_year = derived.reference_year
    left join indicators
        on target_years.indicator_code = indicators.indicator_code

),

assessed as (

    select
        *,
        case
            when comparator = '≥' then result_value >= low_value
            when comparator = '>'
                then
                    result_value > low_value
                    or (result_value = low_value and result_comparator = '>')
            when comparator = '≤' then result_value <= low_value
            when comparator = '<'
                then
                    result_value < low_value
                    or (result_value = low_value and result_comparator = '<')
            when comparator = '=' and is_lower_better then result_value <= low_value
            when comparator = '=' then result_value >= low_value
            when comparator = 'range' and is_lower_better then result_value <= high_value
            when comparator = 'range' then result_value >= low_value
            when comparator = 'approximately' and is_lower_better
                then result_value <= low_value * 1.1
            when comparator = 'approximately' then result_value >= low_value * 0.9
        end as reaches_target
    from matched

),

final as (

    select
        -- ids
        target_id,
        indicator_code,
        geography_code,
        document_id,
        result_id,

        -- strings
        comparator,
        unit_printed as target_unit,
        measure_unit,
        result_kind,
        result_comparator,
        result_document_id,
        result_basis,
        case
            when not is_due_in_year then 'not_due'
            when result_value is null then 'no_result'
            when not result_is_year_to_date and reaches_target then 'met'
            when not result_is_year_to_date then 'not_met'
            when reaches_target and measure_unit = 'count' and not is_lower_better then 'met'
            else 'not_yet_met'
        end as attainment_status,

        -- numerics
        target_year,
        target_year_start,
        target_year_end,
        low_value as target_low,
        high_value as target_high,
        result_value,
        cast(
            case
                when is_lower_better then {{ divide('result_value', 'nullif(high_value, 0)') }}
                else {{ divide('result_value', 'nullif(low_value, 0)') }}
            end as double
        ) as attainment_ratio,
        n_candidate_results,
        source_line as target_source_line,
        result_source_line,

        -- booleans
        is_per_year,
        is_due_in_year,
        is_lower_better,
        result_is_year_to_date,
        case
            when not is_due_in_year or result_value is null then null
            when not result_is_year_to_date then reaches_target
            when reaches_target and measure_unit = 'count' and not is_lower_better then true
        end as is_met

    from assessed

)

select * from final
