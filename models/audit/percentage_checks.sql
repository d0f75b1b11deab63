-- Grain: one row per printed percentage of printed amounts (seed printed_percentages). With its
-- numerator printed, the percentage is compared with numerator / denominator: match when the
-- printed amounts give it at its printed precision, within_rounding when amounts printed in rounded
-- units ("1.720 tỷ", "2.300 tỷ") allow it, mismatch otherwise (a finding, failing the build unless
-- acknowledged with evidence).
with

links as (

    select * from {{ ref('stg_transcription__printed_percentages') }}

),

amounts as (

    select * from {{ ref('stg_transcription__plan_amounts') }}

),

acknowledged as (

    select * from {{ ref('int_acknowledged_source_errors') }}

),

printings as (

    select
        links.percentage_amount_id,
        links.denominator_amount_id,
        links.numerator_amount_id,
        percentage.document_id,
        percentage.geography_code,
        percentage.component_code,
        percentage.funding_source_code,
        percentage.phase_code,
        percentage.locator,
        percentage.source_file,
        percentage.source_text,
        percentage.value_printed as percentage_printed,
        percentage.unit_printed as percentage_unit_printed,
        denominator.unit_printed as denominator_unit_printed,
        numerator.unit_printed as numerator_unit_printed,
        percentage.source_line,
        percentage.period_start_year,
        percentage.period_end_year,
        cast(percentage.value_numeric as double) as printed_percent,
        cast(
            0.5 / power(10, {{ printed_decimals('percentage.value_printed') }}) as double
        ) as printed_percent_half_unit,
        denominator.amount_million_vnd as denominator_million_vnd,
        numerator.amount_million_vnd as numerator_million_vnd,
        cast({{ printed_half_unit(
            'denominator.value_printed', 'denominator.unit_printed'
        ) }} as double) as denominator_half_unit,
        cast(
            {{ printed_half_unit('numerator.value_printed', 'numerator.unit_printed') }} as double
        ) as numerator_half_unit
    from links
    inner join amounts as percentage
        on links.percentage_amount_id = percentage.amount_id
    inner join amounts as denominator
        on links.denominator_amount_id = denominator.amount_id
    left join amounts as numerator
        on links.numerator_amount_id = numerator.amount_id

),

computed as (

    -- the percentage the printed amounts give, and the range their rounded printings allow
    select
        printings.*,
        cast({{ divide(
            '100 * cast(numerator_million_vnd as double)',
            'nullif(cast(denominator_million_vnd as double), 0)'
        ) }} as double) as computed_percent,
        cast({{ divide(
            '100 * (cast(numerator_million_vnd as double) - numerator_half_unit)',
            'nullif(cast(denominator_million_vnd as double) + denominator_half_unit, 0)'
        ) }} as double) as computed_percent_low,
        cast({{ divide(
            '100 * (cast(numerator_million_vnd as double) + numerator_half_unit)',
            'nullif(cast(denominator_million_vnd as double) - denominator_half_unit, 0)'
        ) }} as double) as computed_percent_high
    from printings

),

final as (

    select
        -- ids
        computed.percentage_amount_id,
        computed.denominator_amount_id,
        computed.numerator_amount_id,
        computed.document_id,
        computed.geography_code,
        computed.component_code,
        computed.funding_source_code,
        computed.phase_code,
        'percentage_of_amounts' as check_code,

        -- strings
        case
            when computed.numerator_amount_id is null then 'numerator_not_printed'
            when computed.computed_percent is null then 'mismatch'
            -- the exact amounts give the printed percentage at its printed precision
            when
                abs(computed.computed_percent - computed.printed_percent)
                <= computed.printed_percent_half_unit + 1e-9
                then 'match'
            -- the ranges of the rounded printings overlap
            when
                computed.computed_percent_low
                <= computed.printed_percent + computed.printed_percent_half_unit + 1e-9
                and computed.computed_percent_high
                >= computed.printed_percent - computed.printed_percent_half_unit - 1e-9
                then 'within_rounding'
            else 'mismatch'
        end as outcome,
        computed.percentage_printed,
        computed.percentage_unit_printed,
        computed.denominator_unit_printed,
        computed.numerator_unit_printed,
        computed.locator,
        computed.source_file,
        computed.source_text,
        acknowledged.what_is_wrong as acknowledgment_note,

        -- numerics
        computed.source_line,
        computed.period_start_year,
        computed.period_end_year,
        computed.printed_percent,
        computed.printed_percent_half_unit,
        cast(computed.numerator_million_vnd as decimal(18, 3)) as numerator_million_vnd,
        cast(computed.denominator_million_vnd as decimal(18, 3)) as denominator_million_vnd,
        computed.computed_percent,
        computed.computed_percent_low,
        computed.computed_percent_high,

        -- booleans
        acknowledged.document_id is not null as is_acknowledged

    from computed
    left join acknowledged
        on
            computed.document_id = acknowledged.document_id
            and computed.source_line = acknowledged.source_line
            and acknowledged.check_code = 'percentage_of_amounts'

)

select * from final
