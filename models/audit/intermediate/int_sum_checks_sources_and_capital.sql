-- Families 1 and 2 of the sum checks: a total over funding sources = its sources (the
-- document's own definition of total), and a total over capital types = its development and
-- recurrent parts.
-- A table incremental by feed partition (dbt_project.yml): a refresh computes only the changed
-- partitions' rows, reading only their printings (the filter in the root CTEs).
with

-- inlined where each reader reads it: kept whole, every column of every printing spilled at
-- 10M (95 s against 60 s replayed on a busy machine)
checked_amounts as {{ inline_cte() }} (

    select * from {{ ref('int_sum_check_amounts') }}
    where {{ in_rebuilt_partitions() }}

),

source_values as (

    select * from {{ ref('int_sum_check_source_values') }}
    where {{ in_rebuilt_partitions() }}

),

cells as (

    select * from checked_amounts

),

totals as (

    select * from checked_amounts
    where is_printed_total

),

-- family 1: funding sources -> a total over sources (the document's own definition of total)
source_totals as (

    select
        *,
        {{ unnest_pipe_list('sums_funding_sources') }} as part_source
    from totals
    where funding_source_code = 'total'

),

source_parts as (

    select
        totals.amount_id,
        totals.source_partition,
        totals.part_source,
        totals.amount_million_vnd as reported_amount_million_vnd,
        source_values.amount_million_vnd
    from source_totals as totals
    left join source_values
        on
            -- the same partition and block and period (block_key: int_sum_check_amounts)
            totals.source_partition = source_values.source_partition
            and totals.block_key = source_values.block_key
            and totals.component_code = source_values.component_code
            and totals.part_source = source_values.funding_source_code
            and totals.capital_scope = source_values.capital_scope

),

source_sums as (

    select
        amount_id,
        source_partition,
        'funding_sources_to_total' as check_code,
        sum(amount_million_vnd) as computed_amount_million_vnd,
        max(reported_amount_million_vnd) as reported_amount_million_vnd,
        count(amount_million_vnd) as n_parts_found,
        count(*) as n_parts_expected
    from source_parts
    group by amount_id, source_partition
    -- sources are all printed, or the total has another breakdown (checked by another family)
    having count(amount_million_vnd) = count(*)

),

-- with the parts as text where they do not add up (macros/checks_with_parts_detail.sql)
source_checks as (

    {{ checks_with_parts_detail(
        'source_sums', 'source_parts',
        "part_source || '=' || cast(amount_million_vnd as " ~ dbt.type_string() ~ ")",
        'part_source'
    ) }}

),

-- family 2: capital types -> a total over capital types; each total once per capital type it
-- lists, so that its parts are found by equalities (no list is split per pair of rows)
capital_totals as (

    select
        *,
        {{ unnest_pipe_list('sums_capital_types') }} as part_capital
    from totals
    where capital_type_code = 'total'

),

capital_parts as (

    select
        totals.amount_id,
        totals.source_partition,
        totals.part_capital,
        totals.amount_million_vnd as reported_amount_million_vnd,
        cells.amount_million_vnd
    from capital_totals as totals
    inner join cells
        on
            totals.source_partition = cells.source_partition
            and totals.block_key = cells.block_key
            and totals.component_code = cells.component_code
            and totals.funding_source_code = cells.funding_source_code
            and totals.sums_funding_sources is not distinct from cells.sums_funding_sources
            and totals.part_capital = cells.capital_type_code

),

capital_sums as (

    select
        amount_id,
        source_partition,
        'capital_types_to_total' as check_code,
        sum(amount_million_vnd) as computed_amount_million_vnd,
        max(reported_amount_million_vnd) as reported_amount_million_vnd,
        count(*) as n_parts_found,
        count(*) as n_parts_expected
    from capital_parts
    group by amount_id, source_partition

),

capital_checks as (

    {{ checks_with_parts_detail(
        'capital_sums', 'capital_parts', "part_capital || '=' || amount_million_vnd", 'part_capital'
    ) }}

),

final as (

    select * from source_checks
    union all
    select * from capital_checks

)

select * from final
