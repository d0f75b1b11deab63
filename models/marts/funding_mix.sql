-- Grain: geography × fiscal_year × phase × project_code (DA1..DA7 and ALL).
-- Incremental by province (dbt_project.yml): a row sums one geography's amounts, so a refresh
-- computes again the geographies of the changed partitions' provinces.
with

amounts as (

    select * from {{ ref('int_plan_amounts_preferred') }}
    where {{ in_rebuilt_partitions('province_code', level='province') }}

),

geographies as (

    select * from {{ ref('dim_geography') }}

),

findings as (

    select * from {{ ref('sum_check_findings') }}

),

by_project as (

    select
        geography_code,
        fiscal_year,
        phase_code,
        project_code,
        funding_source_code,
        capital_type_code,
        document_id,
        amount_million_vnd
    from amounts
    where project_code != 'ALL'

    union all

    select
        geography_code,
        fiscal_year,
        phase_code,
        'ALL' as project_code,
        funding_source_code,
        capital_type_code,
        document_id,
        amount_million_vnd
    from amounts

),

summed as (

    select
        geography_code,
        fiscal_year,
        phase_code,
        project_code,
        sum(amount_million_vnd) filter (where funding_source_code = 'central_budget')
            as central_budget,
        sum(amount_million_vnd) filter (where funding_source_code = 'local_budget')
            as local_budget,
        sum(amount_million_vnd) filter (where funding_source_code = 'other_mobilized')
            as other_mobilized,
        sum(amount_million_vnd) filter (where funding_source_code = 'unspecified')
            as unspecified_source,
        sum(amount_million_vnd) filter (where funding_source_code = 'policy_credit')
            as policy_credit,
        sum(amount_million_vnd) filter (
            where funding_source_code != 'policy_credit'
            and capital_type_code = 'development_investment'
        ) as development_investment,
        sum(amount_million_vnd) filter (
            where funding_source_code != 'policy_credit' and capital_type_code = 'recurrent'
        ) as recurrent,
        sum(amount_million_vnd) filter (
            where funding_source_code != 'policy_credit' and capital_type_code = 'unspecified'
        ) as unspecified_capital,
        {{ ordered_listagg('document_id', "'|'", 'document_id', distinct=true) }} as document_id
    from by_project
    group by all

),

final as (

    select
        -- ids
        summed.geography_code,
        summed.phase_code,
        summed.project_code,
        summed.document_id,

        -- strings
        geographies.name_vi as geography_name_vi,
        geographies.admin_level,

        -- numerics
        summed.fiscal_year,
        cast(coalesce(summed.central_budget, 0) as decimal(18, 3)) as central_budget,
        cast(coalesce(summed.local_budget, 0) as decimal(18, 3)) as local_budget,
        cast(coalesce(summed.other_mobilized, 0) as decimal(18, 3)) as other_mobilized,
        cast(coalesce(summed.unspecified_source, 0) as decimal(18, 3)) as unspecified_source,
        cast(
            coalesce(summed.central_budget, 0)
            + coalesce(summed.local_budget, 0)
            + coalesce(summed.other_mobilized, 0)
            + coalesce(summed.unspecified_source, 0)
            as decimal(18, 3)
        ) as total_funding,
        cast(coalesce(summed.policy_credit, 0) as decimal(18, 3)) as policy_credit,
        cast(coalesce(summed.development_investment, 0) as decimal(18, 3))
            as development_investment,
        cast(coalesce(summed.recurrent, 0) as decimal(18, 3)) as recurrent,
        cast(coalesce(summed.unspecified_capital, 0) as decimal(18, 3)) as unspecified_capital

    from summed
    inner join geographies
        on summed.geography_code = geographies.geography_code

),

findings_per_row as (

    -- the audit's findings on the documents behind each row, so a reader of the mart sees them
    select
        final.geography_code,
        final.fiscal_year,
        final.phase_code,
        final.project_code,
        count(findings.sum_check_id) as n_source_findings
    from final
    left join findings
        on
            final.geography_code = findings.geography_code
            and {{ pipe_list_contains('final.document_id', 'findings.document_id') }}
    group by all

),

with_shares as (

    select
        final.*,
        cast(findings_per_row.n_source_findings as integer) as n_source_findings,
        cast({{ divide('final.central_budget', 'nullif(final.total_funding, 0)') }} as double)
            as share_central,
        cast({{ divide('final.local_budget', 'nullif(final.total_funding, 0)') }} as double)
            as share_local,
        cast({{ divide('final.other_mobilized', 'nullif(final.total_funding, 0)') }} as double)
            as share_other,
        cast({{ divide('final.unspecified_source', 'nullif(final.total_funding, 0)') }} as double)
            as share_unspecified,
        cast({{ divide('final.local_budget', 'nullif(final.central_budget, 0)') }} as double)
            as counterpart_ratio
    from final
    inner join findings_per_row
        on
            final.geography_code = findings_per_row.geography_code
            and final.fiscal_year = findings_per_row.fiscal_year
            and final.phase_code = findings_per_row.phase_code
            and final.project_code = findings_per_row.project_code

)

select * from with_shares
