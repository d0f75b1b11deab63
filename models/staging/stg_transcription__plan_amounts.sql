with

source as (

    select * from {{ ref('plan_amounts') }}

),

final as (

    select
        -- ids
        amount_id,
        document_id,
        geography_code,
        component_code,
        funding_source_code,
        capital_type_code,
        phase_code,

        -- provenance
        source_file,
        cast(source_line as integer) as source_line,
        {{ nfc('source_text') }} as source_text,
        {{ nfc('locator') }} as locator,
        statement_group,

        -- strings
        {{ nfc('value_printed') }} as value_printed,
        {{ nfc('unit_printed') }} as unit_printed,
        {{ nfc('period_printed') }} as period_printed,
        {{ nfc('period_inferred') }} as period_inferred,
        {{ nfc('period_rule') }} as period_rule,
        {{ nfc('component_label_printed') }} as component_label_printed,
        amount_basis,
        capital_type_basis,
        sums_components,
        sums_funding_sources,
        sums_capital_types,
        repeats_amount_id,
        {{ nfc('note') }} as note,
        {{ nfc('qualifier_printed') }} as qualifier_printed,
        budget_level,

        -- numerics
        cast(value_numeric as decimal(18, 3)) as value_numeric,
        cast(amount_million_vnd as decimal(18, 3)) as amount_million_vnd,
        cast(period_start_year as integer) as period_start_year,
        cast(period_end_year as integer) as period_end_year,

        -- dates
        cast(as_of_date as date) as as_of_date,

        -- booleans
        cast(is_printed_total as boolean) as is_printed_total

    from source

)

select * from final
