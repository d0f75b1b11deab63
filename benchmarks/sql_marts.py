"""What an analyst would write instead of the warehouse, in plain SQL: funding_mix, yoy_change and the
source-to-total sum check as a script of ``create table ... as select`` statements in one in-memory
DuckDB connection (DuckDB's defaults: every core, 80 % of the memory; it spills to a temporary folder).

It reads the same inputs as the warehouse and as :mod:`benchmarks.pandas_marts`: the feed's partition
files (``read_parquet``, ``read_csv``) and the seed CSVs (``read_csv``, every column as text, typed where
used), and follows the same rules step by step (pandas_marts' docstring says them in full):

- ``printings``: the transcribed amounts (not '%') and every feed line item (``int_plan_amounts_printings``);
- ``leaves``: printings of a block that provides leaves, in its leaf basis, not totals, not repeats, not
  broken down further by a descendant component in the same block, period, source and capital type;
  and the printed totals nothing else of their document breaks down or overlaps, as leaves of the
  source (capital type) unspecified (``int_plan_amounts_leaf_selected``, macros/overlaps_below.sql);
- ``annual_amounts``: per-year amounts repeated in each year, single-year amounts kept, multi-year
  amounts without a year, the capital type inferred as recurrent where the document's printed
  development total equals its itemised development amounts (``fct_plan_amount``);
- ``plan_amounts``: per geography × year × phase × component × source only the best-ranked document's
  rows (``int_plan_amounts_preferred``, macros/precedence_order.sql);
- ``funding_mix`` (all columns but ``n_source_findings``), ``yoy_change`` and ``source_sum_checks`` (the
  family ``funding_sources_to_total`` of ``audit.sum_checks``).

Amounts are DOUBLE (what ``read_csv`` of the text gives); the comparison allows 0.001.

``python -m benchmarks.sql_marts --feed DIR [--seeds seeds] --out DIR`` writes ``funding_mix.parquet``,
``yoy_change.parquet`` and ``source_sum_checks.parquet`` and its timings; ``--compare WAREHOUSE`` then
compares them with the warehouse's marts (outside the timing).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb

from benchmarks.common import BLOCK, FEED_COLUMNS, OUTPUTS, TOLERANCE, compare_outputs, reference_main


def _csv(path: Path) -> str:
    """A seed or feed CSV, every column as text (empty fields are null)."""
    return f"read_csv({_quote(path)}, header = true, all_varchar = true, delim = ',', quote = '\"')"


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _files(paths: list[Path]) -> str:
    return "[" + ", ".join(_quote(p) for p in paths) + "]"


def read_statements(feed: Path, seeds: Path) -> list[str]:
    """The seeds and the feed's line items as tables, typed where the marts use them."""
    parquet = sorted(feed.glob("province=*/year=*/*.parquet"))
    csv = sorted(feed.glob("province=*/year=*/*.csv"))
    columns = ", ".join(FEED_COLUMNS)
    parts = []
    if parquet:
        parts.append(
            f"select {columns} from read_parquet({_files(parquet)}, union_by_name = true, hive_partitioning = false)"
        )
    if csv:
        parts.append(
            f"select {columns} from read_csv({_files(csv)}, header = true, all_varchar = true, "
            "union_by_name = true, hive_partitioning = false)"
        )
    if not parts:  # an empty feed: no line items
        parts.append("select " + ", ".join(f"null::varchar as {c}" for c in FEED_COLUMNS) + " where false")
    line_items = "\n    union all by name\n    ".join(parts)
    return [
        f"""
create table seed_plan_amounts as
select
    * replace (
        cast(period_start_year as double) as period_start_year,
        cast(period_end_year as double) as period_end_year,
        cast(amount_million_vnd as double) as amount_million_vnd,
        coalesce(lower(is_printed_total) = 'true', false) as is_printed_total
    )
from {_csv(seeds / "transcription" / "plan_amounts.csv")}
""",
        f"""
create table seed_statement_groups as
select * replace (coalesce(lower(provides_leaves) = 'true', false) as provides_leaves)
from {_csv(seeds / "reference" / "statement_groups.csv")}
""",
        f"""
create table seed_document_statuses as
select status, cast(precedence_order as integer) as precedence_order
from {_csv(seeds / "reference" / "document_statuses.csv")}
""",
        f"""
create table seed_documents as
select
    document_id,
    status,
    cast(issued_date as date) as issued_date,
    cast(period_start_year as double) as period_start_year,
    cast(period_end_year as double) as period_end_year
from {_csv(seeds / "reference" / "documents.csv")}
""",
        f"""
create table seed_components as
select component_code, component_level, parent_component_code
from {_csv(seeds / "reference" / "program_components.csv")}
""",
        f"""
create table seed_funding_sources as
select funding_source_code, coalesce(lower(is_in_total_funding) = 'true', false) as is_in_total_funding
from {_csv(seeds / "reference" / "funding_sources.csv")}
""",
        f"""
create table seed_geographies as
select geography_code, nfc_normalize(name_vi) as geography_name_vi, admin_level
from {_csv(seeds / "reference" / "geographies.csv")}
""",
        f"""
create table line_items as
select
    report_id,
    cast(row_number as bigint) as row_number,
    geography_code,
    cast(fiscal_year as double) as fiscal_year,
    cast(period_month as double) as period_month,
    component_code,
    funding_source_code,
    capital_type_code,
    phase_code,
    cast(amount_million_vnd as double) as amount_million_vnd,
    coalesce(lower(cast(is_printed_total as varchar)) = 'true', false) as is_printed_total,
    sums_funding_sources
from (
    {line_items}
)
""",
    ]


def _same_block(left: str, right: str, *more: str) -> str:
    """``left`` and ``right`` in the same block (and the same ``more`` columns); the period columns may
    be null on both sides (a transcribed amount has no month, a feed amount no date)."""
    return "\n        and ".join(f"{left}.{c} is not distinct from {right}.{c}" for c in (*BLOCK, *more))


LEAVES = [
    """
create table statement_groups as
select document_id, statement_group, leaf_amount_basis, provides_leaves
from seed_statement_groups
union all
-- each feed report is one block of leaves
select distinct report_id, 'report', 'period_total', true
from line_items
""",
    """
create table printings as
select
    amount_id,
    document_id,
    statement_group,
    geography_code,
    component_code,
    funding_source_code,
    capital_type_code,
    phase_code,
    amount_basis,
    period_start_year,
    period_end_year,
    cast(null as double) as period_month,
    as_of_date,
    amount_million_vnd,
    is_printed_total,
    sums_funding_sources,
    repeats_amount_id is not null as is_repeat_printing
from seed_plan_amounts
where unit_printed != '%'
union all
select
    report_id || ':' || row_number,
    report_id,
    'report',
    geography_code,
    component_code,
    funding_source_code,
    capital_type_code,
    phase_code,
    'period_total',
    fiscal_year,
    fiscal_year,
    period_month,
    null,
    amount_million_vnd,
    is_printed_total,
    sums_funding_sources,
    false
from line_items
""",
    """
-- a component's parent and grandparent
create table component_ancestry as
select component_code, parent_component_code as ancestor_code
from seed_components
where parent_component_code is not null
union
select child.component_code, parent.parent_component_code
from seed_components as child
inner join seed_components as parent on child.parent_component_code = parent.component_code
where parent.parent_component_code is not null
""",
    """
-- printings of blocks that provide leaves, in the block's leaf basis, not repeats
create table block_printings as
select printings.*
from printings
inner join statement_groups
    on printings.document_id = statement_groups.document_id
    and printings.statement_group = statement_groups.statement_group
where statement_groups.provides_leaves
    and not printings.is_repeat_printing
    and printings.amount_basis = statement_groups.leaf_amount_basis
""",
    f"""
create table leaves as
with candidates as (
    select * from block_printings
    where funding_source_code != 'total' and capital_type_code != 'total'
),

broken_down as (
    -- the ancestors of every candidate: broken down in the same block, source and capital type
    select distinct
        {", ".join(f"child.{c}" for c in BLOCK)},
        child.funding_source_code,
        child.capital_type_code,
        component_ancestry.ancestor_code as component_code
    from candidates as child
    inner join component_ancestry on child.component_code = component_ancestry.component_code
),

totals as (
    select * from block_printings
    where funding_source_code = 'total' or capital_type_code = 'total'
),

covering as (
    -- the components a component's amount lies within: itself and its ancestors
    select component_code, ancestor_code as covered_code from component_ancestry
    union
    select component_code, component_code from seed_components
),

overlapped as (
    -- totals that another printing of their document breaks down or overlaps
    select distinct totals.amount_id
    from totals
    inner join covering on totals.component_code = covering.covered_code
    inner join printings as part
        on part.component_code = covering.component_code
        and part.document_id = totals.document_id
        and part.geography_code = totals.geography_code
        and part.phase_code = totals.phase_code
    where (totals.period_start_year is null or part.period_start_year >= totals.period_start_year)
        and (totals.period_end_year is null or part.period_end_year <= totals.period_end_year)
        and (totals.period_month is null or part.period_month = totals.period_month)
        -- an amount to a date and one for a whole period are different grains
        and part.as_of_date is not distinct from totals.as_of_date
        and (
            totals.funding_source_code in ('total', 'unspecified')
            or part.funding_source_code in ('total', 'unspecified')
            or part.funding_source_code = totals.funding_source_code
        )
        and (
            totals.capital_type_code in ('total', 'unspecified')
            or part.capital_type_code in ('total', 'unspecified')
            or part.capital_type_code = totals.capital_type_code
        )
        and not (
            part.component_code = totals.component_code
            and part.funding_source_code = totals.funding_source_code
            and part.capital_type_code = totals.capital_type_code
        )
)

select candidates.*
from candidates
where not exists (
    select 1 from broken_down
    where {_same_block("broken_down", "candidates", "funding_source_code", "capital_type_code", "component_code")}
)
union all
select
    * replace (
        case when funding_source_code = 'total' then 'unspecified' else funding_source_code end
            as funding_source_code,
        case when capital_type_code = 'total' then 'unspecified' else capital_type_code end as capital_type_code
    )
from totals
where amount_id not in (select amount_id from overlapped)
""",
]

PLAN_AMOUNTS = [
    """
create table annual_amounts as
with annual as (
    -- an amount per year, repeated in each year of its period
    select
        * exclude (year),
        cast(year as double) as fiscal_year
    from (
        select
            *,
            unnest(generate_series(cast(period_start_year as bigint), cast(period_end_year as bigint))) as year
        from leaves
        where amount_basis = 'per_year'
    )
    union all
    -- a period total of one year is that year's
    select *, period_start_year as fiscal_year
    from leaves
    where amount_basis = 'period_total'
        and as_of_date is null
        and (period_start_year = period_end_year or (period_start_year is null and period_end_year is null))
    union all
    -- a total over several years, or to a date, has no fiscal year
    select *, null as fiscal_year
    from leaves
    where amount_basis = 'period_total'
        and (period_start_year < period_end_year or as_of_date is not null)
),

development_totals as (
    -- the document's printed development investment total of a year
    select document_id, period_start_year as fiscal_year, phase_code, amount_million_vnd as printed_total
    from seed_plan_amounts
    where component_code = 'ALL'
        and funding_source_code = 'total'
        and capital_type_code = 'development_investment'
        and period_start_year = period_end_year
        and amount_basis = 'period_total'
),

itemised_development as (
    select document_id, fiscal_year, phase_code, sum(amount_million_vnd) as itemised
    from annual
    where capital_type_code = 'development_investment'
    group by document_id, fiscal_year, phase_code
),

all_development_itemised as (
    -- where the printed development total equals the itemised development amounts, the rest is recurrent
    select distinct development_totals.document_id, development_totals.fiscal_year, development_totals.phase_code
    from development_totals
    inner join itemised_development
        on development_totals.document_id = itemised_development.document_id
        and development_totals.fiscal_year = itemised_development.fiscal_year
        and development_totals.phase_code = itemised_development.phase_code
    where abs(development_totals.printed_total - itemised_development.itemised) < 0.0005
)

select
    annual.* replace (
        case
            when annual.capital_type_code = 'unspecified'
                and annual.funding_source_code in ('central_budget', 'local_budget')
                and all_development_itemised.document_id is not null
                then 'recurrent'
            else annual.capital_type_code
        end as capital_type_code
    )
from annual
left join all_development_itemised
    on annual.document_id = all_development_itemised.document_id
    and annual.fiscal_year = all_development_itemised.fiscal_year
    and annual.phase_code = all_development_itemised.phase_code
""",
    """
create table plan_amounts as
with documents as (
    select document_id, status, issued_date, period_start_year, period_end_year
    from seed_documents
    union all
    -- each feed report is a document of the reporting system, over the years it reports
    select report_id, 'reporting_system', null, min(fiscal_year), max(fiscal_year)
    from line_items
    group by report_id
),

ranked_documents as (
    -- the better status, the later issued date, the shorter period, the id; the feed's reports tie
    select
        documents.document_id,
        dense_rank() over (
            order by
                seed_document_statuses.precedence_order asc nulls last,
                documents.issued_date desc nulls last,
                documents.period_end_year - documents.period_start_year asc nulls last,
                case when documents.status != 'reporting_system' then documents.document_id end asc nulls last
        ) as precedence_rank
    from documents
    left join seed_document_statuses on documents.status = seed_document_statuses.status
),

projects as (
    select
        component_code,
        case when component_level = 'sub_project' then parent_component_code else component_code end
            as project_code
    from seed_components
)

select annual_amounts.*, projects.project_code, ranked_documents.precedence_rank
from annual_amounts
inner join ranked_documents on annual_amounts.document_id = ranked_documents.document_id
inner join projects on annual_amounts.component_code = projects.component_code
where annual_amounts.fiscal_year is not null
qualify precedence_rank = min(precedence_rank) over (
    partition by geography_code, fiscal_year, phase_code, annual_amounts.component_code, funding_source_code
)
""",
]

FUNDING_MIX = """
create table funding_mix as
with by_project as (
    select geography_code, fiscal_year, phase_code, project_code, funding_source_code, capital_type_code,
        document_id, amount_million_vnd
    from plan_amounts
    where project_code != 'ALL'
    union all
    select geography_code, fiscal_year, phase_code, 'ALL', funding_source_code, capital_type_code,
        document_id, amount_million_vnd
    from plan_amounts
),

summed as (
    select
        geography_code,
        fiscal_year,
        phase_code,
        project_code,
        coalesce(sum(amount_million_vnd) filter (where funding_source_code = 'central_budget'), 0)
            as central_budget,
        coalesce(sum(amount_million_vnd) filter (where funding_source_code = 'local_budget'), 0)
            as local_budget,
        coalesce(sum(amount_million_vnd) filter (where funding_source_code = 'other_mobilized'), 0)
            as other_mobilized,
        coalesce(sum(amount_million_vnd) filter (where funding_source_code = 'unspecified'), 0)
            as unspecified_source,
        coalesce(sum(amount_million_vnd) filter (where funding_source_code = 'policy_credit'), 0)
            as policy_credit,
        coalesce(sum(amount_million_vnd) filter (
            where funding_source_code != 'policy_credit' and capital_type_code = 'development_investment'
        ), 0) as development_investment,
        coalesce(sum(amount_million_vnd) filter (
            where funding_source_code != 'policy_credit' and capital_type_code = 'recurrent'
        ), 0) as recurrent,
        coalesce(sum(amount_million_vnd) filter (
            where funding_source_code != 'policy_credit' and capital_type_code = 'unspecified'
        ), 0) as unspecified_capital,
        string_agg(distinct document_id, '|' order by document_id) as document_id
    from by_project
    group by geography_code, fiscal_year, phase_code, project_code
),

with_total as (
    select
        summed.*,
        seed_geographies.geography_name_vi,
        seed_geographies.admin_level,
        central_budget + local_budget + other_mobilized + unspecified_source as total_funding
    from summed
    inner join seed_geographies on summed.geography_code = seed_geographies.geography_code
)

select
    *,
    central_budget / nullif(total_funding, 0) as share_central,
    local_budget / nullif(total_funding, 0) as share_local,
    other_mobilized / nullif(total_funding, 0) as share_other,
    unspecified_source / nullif(total_funding, 0) as share_unspecified,
    local_budget / nullif(central_budget, 0) as counterpart_ratio
from with_total
"""

YOY_CHANGE = [
    """
-- amounts rolled up the component tree (itself, its project, ALL), per source and for ALL sources
create table component_amounts as
with component_levels as (
    select component_code, component_code as rollup_code from seed_components where component_code != 'ALL'
    union all
    select component_code, parent_component_code from seed_components where component_level = 'sub_project'
    union all
    select component_code, 'ALL' from seed_components
),

by_source as (
    select
        plan_amounts.geography_code,
        plan_amounts.fiscal_year,
        plan_amounts.phase_code,
        component_levels.rollup_code as component_code,
        plan_amounts.funding_source_code,
        sum(plan_amounts.amount_million_vnd) as amount_million_vnd,
        string_agg(distinct plan_amounts.document_id, '|' order by plan_amounts.document_id) as document_id
    from plan_amounts
    inner join component_levels on plan_amounts.component_code = component_levels.component_code
    group by all
)

select * from by_source
union all
select
    geography_code,
    fiscal_year,
    phase_code,
    component_code,
    'ALL',
    sum(amount_million_vnd),
    string_agg(distinct document_id, '|' order by document_id)
from by_source
where funding_source_code in (select funding_source_code from seed_funding_sources where is_in_total_funding)
group by geography_code, fiscal_year, phase_code, component_code
""",
    """
create table yoy_change as
with yearly as (
    -- one phase of record per geography and year: allocated, else requested, else forecast, else any
    select *
    from component_amounts
    qualify
        case phase_code when 'allocated' then 1 when 'requested' then 2 when 'forecast' then 3 else 4 end
        = min(case phase_code when 'allocated' then 1 when 'requested' then 2 when 'forecast' then 3 else 4 end)
            over (partition by geography_code, fiscal_year)
)

select
    this_year.geography_code,
    this_year.fiscal_year,
    this_year.phase_code,
    this_year.component_code,
    this_year.funding_source_code,
    this_year.amount_million_vnd as amount,
    this_year.document_id,
    prior_year.phase_code as prior_phase_code,
    prior_year.amount_million_vnd as prior_year_amount,
    coalesce(this_year.phase_code = prior_year.phase_code, false) as is_like_for_like,
    -- no change across phases: the prior year of another phase is shown, never subtracted
    case
        when this_year.phase_code = prior_year.phase_code
            then this_year.amount_million_vnd - prior_year.amount_million_vnd
    end as abs_change,
    case
        when this_year.phase_code = prior_year.phase_code
            then (this_year.amount_million_vnd - prior_year.amount_million_vnd)
                / nullif(prior_year.amount_million_vnd, 0)
    end as pct_change
from yearly as this_year
left join yearly as prior_year
    on this_year.geography_code = prior_year.geography_code
    and this_year.component_code = prior_year.component_code
    and this_year.funding_source_code = prior_year.funding_source_code
    and this_year.fiscal_year = prior_year.fiscal_year + 1
""",
]

SOURCE_SUM_CHECKS = f"""
create table source_sum_checks as
with cells as (
    select
        *,
        case when capital_type_code in ('total', 'unspecified') then 'all' else capital_type_code end
            as capital_scope
    from printings
    where not is_repeat_printing
        and exists (
            select 1 from statement_groups
            where statement_groups.document_id = printings.document_id
                and statement_groups.statement_group = printings.statement_group
        )
),

source_parts as (
    select * from cells where funding_source_code != 'total'
),

part_values as (
    -- a source's amount over all capital: its printed total over capital types, else their sum
    select
        {", ".join(BLOCK)},
        component_code,
        funding_source_code as part_source,
        'all' as capital_scope,
        coalesce(
            max(amount_million_vnd) filter (where capital_type_code = 'total'),
            sum(amount_million_vnd) filter (where capital_type_code != 'total')
        ) as part_amount
    from source_parts
    group by all
    union all
    -- and per capital type
    select
        {", ".join(BLOCK)},
        component_code,
        funding_source_code,
        capital_type_code,
        sum(amount_million_vnd)
    from source_parts
    where capital_type_code != 'total'
    group by all
),

totals as (
    -- every printed total over funding sources, one row per source it names
    select
        {", ".join(BLOCK)},
        amount_id,
        component_code,
        capital_scope,
        amount_million_vnd as reported_amount_million_vnd,
        unnest(string_split(sums_funding_sources, '|')) as part_source
    from cells
    where is_printed_total and funding_source_code = 'total'
),

checked as (
    select
        totals.amount_id as reported_total_id,
        any_value(totals.reported_amount_million_vnd) as reported_amount_million_vnd,
        sum(part_values.part_amount) as computed_amount_million_vnd,
        count(part_values.part_amount) as n_parts_found,
        count(*) as n_parts_expected
    from totals
    left join part_values
        on {_same_block("totals", "part_values", "component_code", "part_source", "capital_scope")}
    group by totals.amount_id
    -- only totals whose every named source is printed
    having count(part_values.part_amount) = count(*)
)

select
    *,
    reported_amount_million_vnd - computed_amount_million_vnd as difference_million_vnd,
    abs(reported_amount_million_vnd - computed_amount_million_vnd) <= {TOLERANCE} as adds_up
from checked
"""

#: The script, step by step (each step's seconds are timed, as pandas_marts times its steps).
STEPS = (
    ("leaves", LEAVES),
    ("plan_amounts", PLAN_AMOUNTS),
    ("funding_mix", [FUNDING_MIX]),
    ("yoy_change", YOY_CHANGE),
    ("source_sum_checks", [SOURCE_SUM_CHECKS]),
)


def build(feed: Path, seeds: Path) -> tuple[dict[str, Any], dict[str, float]]:
    """Every output (Arrow tables) and the seconds each step took."""
    timings: dict[str, float] = {}
    clock = time.monotonic()

    def lap(step: str) -> None:
        nonlocal clock
        now = time.monotonic()
        timings[step] = round(now - clock, 3)
        clock = now

    with tempfile.TemporaryDirectory(prefix="sql_marts-") as spill, duckdb.connect() as con:
        con.execute(f"set temp_directory = {_quote(Path(spill))}")
        for statement in read_statements(feed, seeds):
            con.execute(statement)
        lap("read")
        for step, statements in STEPS:
            for statement in statements:
                con.execute(statement)
            lap(step)
        outputs = {name: con.sql(f"select * from {name}").to_arrow_table() for name in OUTPUTS}
        lap("fetch")
    return outputs, timings


def compare(outputs: dict[str, Any], warehouse: Path) -> list[str]:
    """Differences between the plain SQL outputs and the warehouse (keys equal, numbers within 0.001)."""
    return compare_outputs(outputs, warehouse, "sql")


def main(argv: list[str] | None = None) -> int:
    return reference_main("sql", build, __doc__.split("\n", 1)[0], argv)


if __name__ == "__main__":
    raise SystemExit(main())
