with

phases as (

    select
        'phase' as code_set,
        phase_code as code,
        name_vi,
        name_en,
        sort_order
    from {{ ref('dim_plan_phase') }}

),

funding_sources as (

    select
        'funding_source' as code_set,
        funding_source_code as code,
        name_vi,
        name_en,
        sort_order
    from {{ ref('dim_funding_source') }}

),

capital_types as (

    select
        'capital_type' as code_set,
        capital_type_code as code,
        name_vi,
        name_en,
        sort_order
    from {{ ref('dim_capital_type') }}

),

components as (

    select
        'component' as code_set,
        component_code as code,
        name_vi,
        name_en,
        sort_order
    from {{ ref('dim_program_component') }}

),

indicators as (

    select
        'indicator' as code_set,
        indicator_code as code,
        name_vi,
        name_en,
        cast(null as integer) as sort_order
    from {{ ref('dim_indicator') }}

),

geographies as (

    select
        'geography' as code_set,
        geography_code as code,
        name_vi,
        name_en,
        cast(null as integer) as sort_order
    from {{ ref('dim_geography') }}

),

document_statuses as (

    select
        'document_status' as code_set,
        status as code,
        name_vi,
        name_en,
        precedence_order as sort_order
    from {{ ref('stg_reference__document_statuses') }}

),

other_code_sets as (

    select
        code_set,
        code,
        name_vi,
        name_en,
        sort_order
    from {{ ref('stg_reference__code_names') }}

),

final as (

    select * from phases
    union all
    select * from funding_sources
    union all
    select * from capital_types
    union all
    select * from components
    union all
    select * from indicators
    union all
    select * from geographies
    union all
    select * from document_statuses
    union all
    select * from other_code_sets

)

select * from final
