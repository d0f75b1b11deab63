"""What an analyst would write instead of the warehouse, in polars: funding_mix, yoy_change and the
source-to-total sum check as lazy queries (``scan_parquet``, ``scan_csv``) with polars' defaults (its
default engine, every core).

Each step (read, printings and leaves, plan amounts) is collected once, where the next steps read its
result several times, as the plain SQL creates a table per step: left as one lazy query, the plan
repeats the shared steps (hundreds of scans of the feed; polars' common subplan elimination does not
find them), some 20 times slower on the test's tiny feed.

It reads the same inputs as the warehouse and as :mod:`benchmarks.pandas_marts`: the feed's partition
files (Parquet or CSV) and the seed CSVs (every column as text, typed where used), and follows the same
rules step by step (pandas_marts' docstring says them in full): printed amounts, leaves, annual leaves
with the inferred capital type, precedence between documents, then ``marts.funding_mix`` (all columns
but ``n_source_findings``), ``marts.yoy_change`` and the family ``funding_sources_to_total`` of
``audit.sum_checks``.

Amounts are Float64 (what the text of the CSVs gives); the comparison allows 0.001. Where pandas'
merges match a missing value with a missing value (the period columns of a block), the joins here do
too (``nulls_equal``).

``python -m benchmarks.polars_marts --feed DIR [--seeds seeds] --out DIR`` writes ``funding_mix.parquet``,
``yoy_change.parquet`` and ``source_sum_checks.parquet`` and its timings; ``--compare WAREHOUSE`` then
compares them with the warehouse's marts (outside the timing).
"""

from __future__ import annotations

import time
from pathlib import Path

import polars as pl

from benchmarks.common import BLOCK, FEED_COLUMNS, KEYS, PHASE_OF_RECORD, TOLERANCE, compare_outputs, reference_main

LOOSE = ["total", "unspecified"]  # a source (capital type) that overlaps every other


def _bool(column: str) -> pl.Expr:
    return pl.col(column).cast(pl.String).str.to_lowercase().eq("true").fill_null(False)


def _csv(path: Path) -> pl.LazyFrame:
    """A CSV, every column as text (empty fields are null)."""
    return pl.scan_csv(path, infer_schema=False)


def read_seeds(seeds: Path) -> dict[str, pl.LazyFrame]:
    """The seed CSVs the marts need, as text (like dbt's varchar seeds), typed where used."""
    amounts = _csv(seeds / "transcription" / "plan_amounts.csv").with_columns(
        pl.col("period_start_year", "period_end_year", "amount_million_vnd").cast(pl.Float64),
        _bool("is_printed_total"),
    )
    groups = _csv(seeds / "reference" / "statement_groups.csv").with_columns(_bool("provides_leaves"))
    statuses = _csv(seeds / "reference" / "document_statuses.csv").select(
        "status", pl.col("precedence_order").cast(pl.Int64).alias("status_precedence")
    )
    documents = _csv(seeds / "reference" / "documents.csv").select(
        "document_id",
        "status",
        pl.col("issued_date").str.to_date(),
        pl.col("period_start_year", "period_end_year").cast(pl.Float64),
    )
    sources = _csv(seeds / "reference" / "funding_sources.csv").with_columns(_bool("is_in_total_funding"))
    return {
        "plan_amounts": amounts,
        "statement_groups": groups,
        "documents": documents,
        "document_statuses": statuses,
        "components": _csv(seeds / "reference" / "program_components.csv"),
        "funding_sources": sources,
        "geographies": _csv(seeds / "reference" / "geographies.csv"),
    }


def read_feed(feed: Path) -> pl.LazyFrame:
    """Every line item of the feed folder (Parquet and CSV partitions) with the contract's columns."""
    parquet = sorted(feed.glob("province=*/year=*/*.parquet"))
    csv = sorted(feed.glob("province=*/year=*/*.csv"))
    frames = []
    if parquet:
        frames.append(pl.scan_parquet(parquet, hive_partitioning=False).select(FEED_COLUMNS))
    frames += [_csv(path).select(FEED_COLUMNS) for path in csv]
    if not frames:
        return pl.LazyFrame(schema=dict.fromkeys(FEED_COLUMNS, pl.String)).pipe(_typed_feed)
    return pl.concat([frame.pipe(_typed_feed) for frame in frames])


def _typed_feed(items: pl.LazyFrame) -> pl.LazyFrame:
    text = ["report_id", "geography_code", "component_code", "funding_source_code", "capital_type_code"]
    return items.select(
        *[pl.col(c).cast(pl.String) for c in text[:2]],
        pl.col("row_number").cast(pl.Int64),
        pl.col("fiscal_year", "period_month", "amount_million_vnd").cast(pl.Float64),
        *[pl.col(c).cast(pl.String) for c in text[2:]],
        pl.col("phase_code", "sums_funding_sources").cast(pl.String),
        _bool("is_printed_total"),
    )


def printings(seed: dict[str, pl.LazyFrame], items: pl.LazyFrame) -> pl.LazyFrame:
    """Every counted printed amount, documents and feed alike (int_plan_amounts_printings)."""
    columns = {
        "amount_id": pl.String,
        "document_id": pl.String,
        "statement_group": pl.String,
        "geography_code": pl.String,
        "component_code": pl.String,
        "funding_source_code": pl.String,
        "capital_type_code": pl.String,
        "phase_code": pl.String,
        "amount_basis": pl.String,
        "period_start_year": pl.Float64,
        "period_end_year": pl.Float64,
        "period_month": pl.Float64,
        "as_of_date": pl.String,
        "amount_million_vnd": pl.Float64,
        "is_printed_total": pl.Boolean,
        "sums_funding_sources": pl.String,
        "is_repeat_printing": pl.Boolean,
    }
    transcribed = (
        seed["plan_amounts"]
        .filter(pl.col("unit_printed").is_not_null() & (pl.col("unit_printed") != "%"))
        .with_columns(
            period_month=pl.lit(None, dtype=pl.Float64), is_repeat_printing=pl.col("repeats_amount_id").is_not_null()
        )
    )
    fed = items.select(
        amount_id=pl.col("report_id") + ":" + pl.col("row_number").cast(pl.String),
        document_id="report_id",
        statement_group=pl.lit("report"),
        geography_code="geography_code",
        component_code="component_code",
        funding_source_code="funding_source_code",
        capital_type_code="capital_type_code",
        phase_code="phase_code",
        amount_basis=pl.lit("period_total"),
        period_start_year="fiscal_year",
        period_end_year="fiscal_year",
        period_month="period_month",
        as_of_date=pl.lit(None, dtype=pl.String),
        amount_million_vnd="amount_million_vnd",
        is_printed_total="is_printed_total",
        sums_funding_sources="sums_funding_sources",
        is_repeat_printing=pl.lit(False),
    )
    typed = [pl.col(name).cast(dtype) for name, dtype in columns.items()]
    return pl.concat([transcribed.select(typed), fed.select(typed)])


def statement_groups(seed: dict[str, pl.LazyFrame], items: pl.LazyFrame) -> pl.LazyFrame:
    """The blocks: the seed's and one per feed report (int_statement_groups)."""
    reports = (
        items.select(document_id="report_id")
        .unique()
        .with_columns(
            statement_group=pl.lit("report"), leaf_amount_basis=pl.lit("period_total"), provides_leaves=pl.lit(True)
        )
    )
    columns = ["document_id", "statement_group", "leaf_amount_basis", "provides_leaves"]
    return pl.concat([seed["statement_groups"].select(columns), reports.select(columns)])


def ancestry(components: pl.LazyFrame) -> pl.LazyFrame:
    """Each component's parent and grandparent (ancestor_code)."""
    parents = components.select("component_code", ancestor_code="parent_component_code")
    grandparents = parents.join(
        parents.rename({"component_code": "ancestor_code", "ancestor_code": "grandparent_code"}),
        on="ancestor_code",
    ).select("component_code", ancestor_code="grandparent_code")
    return pl.concat([parents, grandparents]).drop_nulls().unique()


def _block_printings(printed: pl.LazyFrame, groups: pl.LazyFrame) -> pl.LazyFrame:
    """Printings of blocks that provide leaves, in the block's leaf basis, not repeats."""
    return printed.join(groups, on=["document_id", "statement_group"]).filter(
        pl.col("provides_leaves")
        & ~pl.col("is_repeat_printing")
        & (pl.col("amount_basis") == pl.col("leaf_amount_basis"))
    )


def leaves(printed: pl.LazyFrame, groups: pl.LazyFrame, components: pl.LazyFrame) -> pl.LazyFrame:
    """The most detailed printed amounts (int_plan_amounts_leaf_selected)."""
    blocks = _block_printings(printed, groups)
    candidates = blocks.filter((pl.col("funding_source_code") != "total") & (pl.col("capital_type_code") != "total"))
    ancestors = ancestry(components)
    key = BLOCK + ["funding_source_code", "capital_type_code"]
    broken = (
        candidates.select(key + ["component_code"])
        .join(ancestors, on="component_code")
        .select(*key, component_code="ancestor_code")
        .unique()
    )
    itemised = candidates.join(broken, on=key + ["component_code"], how="anti", nulls_equal=True)
    totals = blocks.filter((pl.col("funding_source_code") == "total") | (pl.col("capital_type_code") == "total"))
    return pl.concat([itemised, unitemised_totals(printed, totals, components, ancestors)])


def _overlap(column: str) -> pl.Expr:
    """Sources (capital types) overlap: equal, or either of them a total or not stated."""
    total, part = pl.col(column), pl.col(f"{column}_part")
    return total.is_in(LOOSE) | part.is_in(LOOSE) | (total == part)


def unitemised_totals(
    printed: pl.LazyFrame, totals: pl.LazyFrame, components: pl.LazyFrame, ancestors: pl.LazyFrame
) -> pl.LazyFrame:
    """Printed totals that no other printing of their document breaks down or overlaps, as leaves of
    the source (capital type) unspecified (macros/overlaps_below.sql)."""
    cell = ["component_code", "funding_source_code", "capital_type_code"]
    scope = ["document_id", "geography_code", "phase_code"]
    period = ["period_start_year", "period_end_year", "period_month", "as_of_date"]
    covering = pl.concat(
        [
            ancestors.rename({"ancestor_code": "covered_code"}),
            components.select("component_code", covered_code="component_code"),
        ]
    ).unique()
    parts = (
        printed.join(totals.select("document_id").unique(), on="document_id", how="semi")
        .select(scope + period + cell)
        .join(covering, on="component_code")
    )
    pairs = totals.select(["amount_id", *scope, *period, *cell]).join(
        parts, left_on=[*scope, "component_code"], right_on=[*scope, "covered_code"], suffix="_part", coalesce=True
    )
    inside = (
        (pl.col("period_start_year").is_null() | (pl.col("period_start_year_part") >= pl.col("period_start_year")))
        & (pl.col("period_end_year").is_null() | (pl.col("period_end_year_part") <= pl.col("period_end_year")))
        & (pl.col("period_month").is_null() | (pl.col("period_month") == pl.col("period_month_part")))
        # an amount to a date and one for a whole period are different grains
        & pl.col("as_of_date").eq_missing(pl.col("as_of_date_part"))
    )
    same_cell = pl.all_horizontal(pl.col(c) == pl.col(f"{c}_part") for c in cell)
    overlapped = pairs.filter(
        inside & _overlap("funding_source_code") & _overlap("capital_type_code") & ~same_cell
    ).select("amount_id")
    return totals.join(overlapped, on="amount_id", how="anti").with_columns(
        pl.col("funding_source_code", "capital_type_code").replace("total", "unspecified")
    )


def plan_amounts(leaf: pl.LazyFrame, seed: dict[str, pl.LazyFrame]) -> pl.LazyFrame:
    """Annual leaves with the inferred capital type (int_plan_amounts_annualized, fct_plan_amount)."""
    start, end, as_of = pl.col("period_start_year"), pl.col("period_end_year"), pl.col("as_of_date")
    per_year = (
        leaf.filter(pl.col("amount_basis") == "per_year")
        .with_columns(fiscal_year=pl.int_ranges(start.cast(pl.Int64), end.cast(pl.Int64) + 1))
        .explode("fiscal_year")
        .with_columns(pl.col("fiscal_year").cast(pl.Float64))
    )
    period_total = leaf.filter(pl.col("amount_basis") == "period_total")
    single = period_total.filter(
        ((start == end) | (start.is_null() & end.is_null())) & as_of.is_null()  # an amount to a date has no year
    ).with_columns(fiscal_year=start)
    multi = period_total.filter((start < end) | as_of.is_not_null()).with_columns(
        fiscal_year=pl.lit(None, dtype=pl.Float64)
    )
    annual = pl.concat([per_year, single, multi])

    development_totals = (
        seed["plan_amounts"]
        .filter(
            (pl.col("component_code") == "ALL")
            & (pl.col("funding_source_code") == "total")
            & (pl.col("capital_type_code") == "development_investment")
            & (start == end)
            & (pl.col("amount_basis") == "period_total")
        )
        .select("document_id", "phase_code", "amount_id", fiscal_year=start, printed_total="amount_million_vnd")
    )
    itemised = (
        annual.filter(pl.col("capital_type_code") == "development_investment")
        .group_by("document_id", "fiscal_year", "phase_code")
        .agg(pl.col("amount_million_vnd").sum())
    )
    evidence = (
        development_totals.join(itemised, on=["document_id", "fiscal_year", "phase_code"])
        .filter((pl.col("printed_total") - pl.col("amount_million_vnd")).abs() < 0.0005)
        .select("document_id", "fiscal_year", "phase_code", evidence_amount_id="amount_id")
    )
    inferred = (
        (pl.col("capital_type_code") == "unspecified")
        & pl.col("funding_source_code").is_in(["central_budget", "local_budget"])
        & pl.col("evidence_amount_id").is_not_null()
    )
    return annual.join(evidence, on=["document_id", "fiscal_year", "phase_code"], how="left").with_columns(
        capital_type_code=pl.when(inferred).then(pl.lit("recurrent")).otherwise(pl.col("capital_type_code"))
    )


def preferred(amounts: pl.LazyFrame, seed: dict[str, pl.LazyFrame], items: pl.LazyFrame) -> pl.LazyFrame:
    """Annual leaves of the best-ranked document per cell (int_plan_amounts_preferred)."""
    reports = items.group_by("report_id").agg(
        status=pl.lit("reporting_system"),
        issued_date=pl.lit(None, dtype=pl.Date),
        period_start_year=pl.col("fiscal_year").min(),
        period_end_year=pl.col("fiscal_year").max(),
    )
    # macros/precedence_order.sql: status, the later issued date, the shorter period, the id
    # (the feed's reports tie: equal standing; documents never do)
    order = ["status_precedence", "issued_date", "period_length", "tie_breaker"]
    documents = (
        pl.concat([seed["documents"], reports.rename({"report_id": "document_id"})], how="diagonal")
        .join(seed["document_statuses"], on="status", how="left")
        .with_columns(
            period_length=pl.col("period_end_year") - pl.col("period_start_year"),
            tie_breaker=pl.when(pl.col("status") != "reporting_system").then(pl.col("document_id")),
        )
        .sort(order, descending=[False, True, False, False], nulls_last=True)
        .select(
            "document_id",
            # a dense rank: the rank goes up where the order's keys change
            precedence_rank=pl.any_horizontal(
                pl.int_range(pl.len()) == 0, *[pl.col(c).ne_missing(pl.col(c).shift(1)) for c in order]
            ).cum_sum(),
        )
    )
    projects = seed["components"].select(
        "component_code",
        project_code=pl.when(pl.col("component_level") == "sub_project")
        .then(pl.col("parent_component_code"))
        .otherwise(pl.col("component_code")),
    )
    cell = ["geography_code", "fiscal_year", "phase_code", "component_code", "funding_source_code"]
    return (
        amounts.filter(pl.col("fiscal_year").is_not_null())
        .join(documents, on="document_id")
        .join(projects, on="component_code")
        .filter(pl.col("precedence_rank") == pl.col("precedence_rank").min().over(cell))
    )


def _documents() -> pl.Expr:
    """The documents behind a row: their ids, sorted, without repeats, joined by '|'."""
    return pl.col("document_id").unique().sort().str.join("|")


def funding_mix(amounts: pl.LazyFrame, geographies: pl.LazyFrame) -> pl.LazyFrame:
    """marts.funding_mix without n_source_findings."""
    columns = [
        "geography_code",
        "fiscal_year",
        "phase_code",
        "project_code",
        "funding_source_code",
        "capital_type_code",
        "document_id",
        "amount_million_vnd",
    ]
    by_project = pl.concat(
        [
            amounts.filter(pl.col("project_code") != "ALL").select(columns),
            amounts.select(columns).with_columns(project_code=pl.lit("ALL")),
        ]
    )
    source, capital, amount = pl.col("funding_source_code"), pl.col("capital_type_code"), pl.col("amount_million_vnd")
    not_credit = source != "policy_credit"
    parts = {
        "central_budget": source == "central_budget",
        "local_budget": source == "local_budget",
        "other_mobilized": source == "other_mobilized",
        "unspecified_source": source == "unspecified",
        "policy_credit": source == "policy_credit",
        "development_investment": not_credit & (capital == "development_investment"),
        "recurrent": not_credit & (capital == "recurrent"),
        "unspecified_capital": not_credit & (capital == "unspecified"),
    }
    names = geographies.select(
        "geography_code", "admin_level", geography_name_vi=pl.col("name_vi").str.normalize("NFC")
    )
    total = pl.col("total_funding")
    return (
        by_project.group_by(KEYS["funding_mix"])
        .agg(*[amount.filter(where).sum().alias(name) for name, where in parts.items()], _documents())
        .join(names, on="geography_code")
        .with_columns(
            total_funding=pl.col("central_budget")
            + pl.col("local_budget")
            + pl.col("other_mobilized")
            + pl.col("unspecified_source")
        )
        .with_columns(
            share_central=pl.when(total != 0).then(pl.col("central_budget") / total),
            share_local=pl.when(total != 0).then(pl.col("local_budget") / total),
            share_other=pl.when(total != 0).then(pl.col("other_mobilized") / total),
            share_unspecified=pl.when(total != 0).then(pl.col("unspecified_source") / total),
            counterpart_ratio=pl.when(pl.col("central_budget") != 0).then(
                pl.col("local_budget") / pl.col("central_budget")
            ),
        )
    )


def component_amounts(amounts: pl.LazyFrame, seed: dict[str, pl.LazyFrame]) -> pl.LazyFrame:
    """Amounts rolled up the component tree, per source and ALL sources (int_component_amounts)."""
    components = seed["components"]
    levels = pl.concat(
        [
            components.filter(pl.col("component_code") != "ALL").select("component_code", rollup_code="component_code"),
            components.filter(pl.col("component_level") == "sub_project").select(
                "component_code", rollup_code="parent_component_code"
            ),
            components.select("component_code", rollup_code=pl.lit("ALL")),
        ]
    )
    grain = ["geography_code", "fiscal_year", "phase_code", "component_code", "funding_source_code"]
    by_source = (
        amounts.join(levels, on="component_code")
        .with_columns(component_code="rollup_code")
        .group_by(grain)
        .agg(pl.col("amount_million_vnd").sum(), _documents())
    )
    in_total = seed["funding_sources"].filter(pl.col("is_in_total_funding")).select("funding_source_code")
    total = (
        by_source.join(in_total, on="funding_source_code", how="semi")
        .group_by(grain[:-1])
        .agg(pl.col("amount_million_vnd").sum(), _documents())
        .with_columns(funding_source_code=pl.lit("ALL"))
    )
    return pl.concat([by_source, total.select(by_source.collect_schema().names())])


def yoy_change(component: pl.LazyFrame) -> pl.LazyFrame:
    """marts.yoy_change: one phase of record per geography and year, compared with the prior year."""
    rank = pl.col("phase_code").replace_strict(PHASE_OF_RECORD, default=4, return_dtype=pl.Int64)
    yearly = component.filter(rank == rank.min().over("geography_code", "fiscal_year"))
    key = ["geography_code", "component_code", "funding_source_code", "fiscal_year"]
    prior = yearly.select(
        "geography_code",
        "component_code",
        "funding_source_code",
        fiscal_year=pl.col("fiscal_year") + 1,
        prior_phase_code="phase_code",
        prior_year_amount="amount_million_vnd",
    )
    like = pl.col("phase_code") == pl.col("prior_phase_code")
    # no change across phases: the prior year of another phase is shown, never subtracted
    change = pl.col("amount") - pl.col("prior_year_amount")
    return (
        yearly.rename({"amount_million_vnd": "amount"})
        .join(prior, on=key, how="left")
        .with_columns(
            is_like_for_like=like.fill_null(False),
            abs_change=pl.when(like).then(change),
            pct_change=pl.when(like & (pl.col("prior_year_amount") != 0)).then(change / pl.col("prior_year_amount")),
        )
    )


def source_sum_checks(printed: pl.LazyFrame, groups: pl.LazyFrame) -> pl.LazyFrame:
    """audit.sum_checks, family funding_sources_to_total (int_sum_checks_sources_and_capital)."""
    capital, amount = pl.col("capital_type_code"), pl.col("amount_million_vnd")
    cells = (
        printed.filter(~pl.col("is_repeat_printing"))
        .join(groups.select("document_id", "statement_group"), on=["document_id", "statement_group"], how="semi")
        .with_columns(capital_scope=pl.when(capital.is_in(LOOSE)).then(pl.lit("all")).otherwise(capital))
    )
    parts = cells.filter(pl.col("funding_source_code") != "total")
    key = BLOCK + ["component_code", "funding_source_code"]
    # a source over all capital: its printed total over capital types, else the sum of the capital types
    all_scope = parts.group_by(key).agg(
        part_amount=pl.coalesce(amount.filter(capital == "total").max(), amount.filter(capital != "total").sum()),
        capital_scope=pl.lit("all"),
    )
    per_capital = (
        parts.filter(capital != "total")
        .group_by(key + ["capital_type_code"])
        .agg(part_amount=amount.sum())
        .rename({"capital_type_code": "capital_scope"})
    )
    values = pl.concat([all_scope, per_capital.select(all_scope.collect_schema().names())]).rename(
        {"funding_source_code": "part_source"}
    )
    totals = (
        cells.filter(pl.col("is_printed_total") & (pl.col("funding_source_code") == "total"))
        .select(
            BLOCK + ["amount_id", "component_code", "capital_scope"],
            reported_amount_million_vnd="amount_million_vnd",
            part_source=pl.col("sums_funding_sources").str.split("|"),
        )
        .explode("part_source")
    )
    difference = pl.col("reported_amount_million_vnd") - pl.col("computed_amount_million_vnd")
    return (
        totals.join(values, on=BLOCK + ["component_code", "part_source", "capital_scope"], how="left", nulls_equal=True)
        .group_by("amount_id")
        .agg(
            pl.col("reported_amount_million_vnd").first(),
            computed_amount_million_vnd=pl.col("part_amount").sum(),
            n_parts_found=pl.col("part_amount").count(),
            n_parts_expected=pl.len(),
        )
        # only totals whose every named source is printed
        .filter(pl.col("n_parts_found") == pl.col("n_parts_expected"))
        .rename({"amount_id": "reported_total_id"})
        .with_columns(difference_million_vnd=difference, adds_up=difference.abs() <= TOLERANCE)
    )


def _collected(query: pl.LazyFrame) -> pl.LazyFrame:
    """A step's result, computed once for the steps that read it again."""
    return query.collect().lazy()


def build(feed: Path, seeds: Path) -> tuple[dict[str, pl.DataFrame], dict[str, float]]:
    """Every output and the seconds each step took."""
    timings: dict[str, float] = {}
    clock = time.monotonic()

    def lap(step: str) -> None:
        nonlocal clock
        now = time.monotonic()
        timings[step] = round(now - clock, 3)
        clock = now

    seed = {name: _collected(frame) for name, frame in read_seeds(seeds).items()}
    items = _collected(read_feed(feed))
    lap("read")
    printed = _collected(printings(seed, items))
    groups = _collected(statement_groups(seed, items))
    leaf = _collected(leaves(printed, groups, seed["components"]))
    lap("leaves")
    amounts = _collected(preferred(plan_amounts(leaf, seed), seed, items))
    lap("plan_amounts")
    mix = funding_mix(amounts, seed["geographies"]).collect()
    lap("funding_mix")
    yoy = yoy_change(component_amounts(amounts, seed)).collect()
    lap("yoy_change")
    checks = source_sum_checks(printed, groups).collect()
    lap("source_sum_checks")
    return {"funding_mix": mix, "yoy_change": yoy, "source_sum_checks": checks}, timings


def compare(outputs: dict[str, pl.DataFrame], warehouse: Path) -> list[str]:
    """Differences between the polars outputs and the warehouse (keys equal, numbers within 0.001)."""
    return compare_outputs(outputs, warehouse, "polars")


def main(argv: list[str] | None = None) -> int:
    return reference_main("polars", build, __doc__.split("\n", 1)[0], argv)


if __name__ == "__main__":
    raise SystemExit(main())
