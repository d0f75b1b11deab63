-- Annual amounts (after precedence) rolled up to every level of the component tree: each
-- sub-project, each project (its own amounts and its sub-projects') and ALL, by funding source.
with

amounts as (

    select * from {{ ref('int_plan_amounts_preferred') }}

),

components as (

    select * from {{ ref('dim_program_component') }}

),

rolled_up as (

    -- the component itself
    select
        amounts.geography_code,
        amounts.fiscal_year,
        amounts.phase_code,
        amounts.document_id,
        amounts.funding_source_code,
        amounts.component_code,
        amounts.amount_million_vnd
    from amounts
    where amounts.component_code != 'ALL'

    union all

    -- a sub-project's amounts also count for its project
    select
        amounts.geography_code,
        amounts.fiscal_year,
        amounts.phase_code,
        amounts.document_id,
        amounts.funding_source_code,
        components.parent_component_code as component_code,
        amounts.amount_million_vnd
    from amounts
    inner join components
        on amounts.component_code = components.component_code
    where components.component_level = 'sub_project'

    union all

    -- everything counts for the program
    select
        amounts.geography_code,
        amounts.fiscal_year,
        amounts.phase_code,
        amounts.document_id,
        amounts.funding_source_code,
        'ALL' as component_code,
        amounts.amount_million_vnd
    from amounts

),

final as (

    select
        geography_code,
        fiscal_year,
        phase_code,
        component_code,
        funding_source_code,
        sum(amount_million_vnd) as amount_million_vnd,
        string_agg(distinct document_id, '|' order by document_id) as document_id
    from rolled_up
    group by all

)

select * from final
