-- Annual leaves after precedence: where several documents give amounts for the same geography ×
-- year × phase × component × funding source, only the highest-precedence document's rows stay
-- (decided within the cell's geography and year: macros/precedence_order.sql). Core keeps them all.
-- Incremental by province (dbt_project.yml): a precedence group lies within one geography, so the
-- provinces of the changed feed partitions are recomputed whole, with their documents' rows.
with

geographies as (

    select
        geography_code,
        province_code
    from {{ ref('dim_geography') }}

),

rebuilt_geographies as (

    select * from geographies
    where {{ in_rebuilt_partitions('province_code', level='province') }}

),

amounts as (

    select
        fct_plan_amount.*,
        rebuilt_geographies.province_code
    from {{ ref('fct_plan_amount') }} as fct_plan_amount
    inner join rebuilt_geographies
        on fct_plan_amount.geography_code = rebuilt_geographies.geography_code
    -- annual amounts only: not a period's (is_multi_year_amount) nor an amount to a date's
    where fct_plan_amount.fiscal_year is not null

),

documents as (

    select * from {{ ref('dim_document') }}

),

components as (

    select * from {{ ref('dim_program_component') }}

),

ranked as (

    -- only the columns the marts read: a narrow table, not a second copy of fct_plan_amount
    select
        amounts.plan_amount_id,
        amounts.document_id,
        amounts.geography_code,
        amounts.province_code,
        amounts.fiscal_year,
        amounts.phase_code,
        amounts.component_code,
        components.project_code,
        amounts.funding_source_code,
        amounts.capital_type_code,
        amounts.amount_million_vnd,
        -- every row of the cell's best document (its rows tie on every key)
        {{ best_in_cell([
            'amounts.geography_code', 'amounts.fiscal_year', 'amounts.phase_code',
            'amounts.component_code', 'amounts.funding_source_code'
        ]) }} as is_best_document
    from amounts
    inner join documents
        on amounts.document_id = documents.document_id
    inner join components
        on amounts.component_code = components.component_code

),

final as (

    select {{ star_exclude(['is_best_document']) }}
    from ranked
    where is_best_document

)

select * from final
