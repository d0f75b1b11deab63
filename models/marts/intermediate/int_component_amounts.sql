-- Annual amounts (after precedence) rolled up to every level of the component tree: each
-- sub-project, each project (its own amounts and its sub-projects') and ALL, by funding source.
-- A table although intermediate: two marts and a key test read it, and computing the roll-up once
-- instead of three times is a third of the marts' time at national scale. Incremental by province
-- like the amounts it rolls up (dbt_project.yml).
with

amounts as (

    select * from {{ ref('int_plan_amounts_preferred') }}
    where {{ in_rebuilt_partitions('province_code', level='province') }}

),

components as (

    select * from {{ ref('dim_program_component') }}

),

funding_sources as (

    select * from {{ ref('dim_funding_source') }}

),

component_levels as (

    -- every level an amount of a component counts for: itself, its project (for a
    -- sub-project) and the program
    select
        component_code,
        component_code as rollup_code
    from components
    where component_code != 'ALL'

    union all

    select
        component_code,
        parent_component_code as rollup_code
    from components
    where component_level = 'sub_project'

    union all

    select
        component_code,
        'ALL' as rollup_code
    from components

),

rolled_up as (

    select
        amounts.geography_code,
        amounts.province_code,
        amounts.fiscal_year,
        amounts.phase_code,
        amounts.document_id,
        amounts.funding_source_code,
        component_levels.rollup_code as component_code,
        amounts.amount_million_vnd
    from amounts
    inner join component_levels
        on amounts.component_code = component_levels.component_code

),

by_source as (

    select
        geography_code,
        province_code,
        fiscal_year,
        phase_code,
        component_code,
        funding_source_code,
        sum(amount_million_vnd) as amount_million_vnd,
        {{ ordered_listagg('document_id', "'|'", 'document_id', distinct=true) }} as document_id
    from rolled_up
    group by all

),

total_funding as (

    -- funding_source_code ALL: central + local + other mobilised (policy credit kept apart)
    select
        by_source.geography_code,
        by_source.province_code,
        by_source.fiscal_year,
        by_source.phase_code,
        by_source.component_code,
        'ALL' as funding_source_code,
        sum(by_source.amount_million_vnd) as amount_million_vnd,
        {{ ordered_listagg(
            'by_source.document_id', "'|'", 'by_source.document_id', distinct=true
        ) }} as document_id
    from by_source
    inner join funding_sources
        on by_source.funding_source_code = funding_sources.funding_source_code
    where funding_sources.is_in_total_funding
    group by all

),

final as (

    select * from by_source
    union all
    select * from total_funding

)

select * from final
