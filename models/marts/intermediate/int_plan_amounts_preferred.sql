-- Annual leaves after precedence: where several documents give amounts for the same geography ×
-- year × phase × component × funding source, only the highest-precedence document's rows stay
-- (issued over draft, then the later date; dim_document.precedence_rank). Core keeps them all.
with

amounts as (

    select * from {{ ref('fct_plan_amount') }}
    where not is_multi_year_amount

),

documents as (

    select * from {{ ref('dim_document') }}

),

components as (

    select * from {{ ref('dim_program_component') }}

),

ranked as (

    select
        amounts.*,
        components.project_code,
        components.component_level,
        min(documents.precedence_rank) over (
            partition by
                amounts.geography_code, amounts.fiscal_year, amounts.phase_code,
                amounts.component_code, amounts.funding_source_code
        ) as best_precedence_rank,
        documents.precedence_rank
    from amounts
    inner join documents
        on amounts.document_id = documents.document_id
    inner join components
        on amounts.component_code = components.component_code

),

final as (

    select {{ star_exclude(['best_precedence_rank', 'precedence_rank']) }}
    from ranked
    where precedence_rank = best_precedence_rank

)

select * from final
