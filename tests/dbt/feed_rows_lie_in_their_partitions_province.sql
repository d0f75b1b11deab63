-- A feed line item lies in the province of its folder (province=<code>/year=<yyyy>): an incremental
-- refresh recomputes the precedence and roll-up tables by province (int_plan_amounts_preferred,
-- int_component_amounts), so a row of one folder whose geography belonged to another province
-- would be left stale there. The feed preflight refuses such a row; this test states it in dbt.
with

amounts as (

    select * from {{ ref('fct_plan_amount') }}

),

geographies as (

    select * from {{ ref('dim_geography') }}

),

final as (

    select
        amounts.plan_amount_id,
        amounts.source_partition,
        amounts.geography_code,
        geographies.province_code
    from amounts
    inner join geographies
        on amounts.geography_code = geographies.geography_code
    where
        amounts.source_partition != 'documents'
        and (
            geographies.province_code is null
            or amounts.source_partition not like 'province=' || geographies.province_code || '/%'
        )

)

select * from final
