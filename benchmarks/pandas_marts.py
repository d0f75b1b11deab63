"""What an analyst would write instead of the warehouse: funding_mix, yoy_change and the
source-to-total sum check in pandas (and pyarrow to read Parquet), no DuckDB.

It reads the SAME inputs as the warehouse: the feed's partition files (Parquet or CSV) and the seed
CSVs, and follows the SQL of the models step by step so that its output can be compared equal:

- printed amounts (``int_plan_amounts_printings``): the transcribed amounts (``plan_amounts``, not
  '%') and every feed line item (document = report, block = 'report', period = its year and month);
- leaves (``int_plan_amounts_leaf_selected``): printings of a block that provides leaves, in the
  block's leaf basis, not totals, not repeats, and not broken down further by a descendant
  component in the same block, period, source and capital type;
- annual leaves (``int_plan_amounts_annualized``, ``fct_plan_amount``): per-year amounts repeated
  in each year, single-year amounts kept, multi-year amounts without a year; the capital type
  inferred as recurrent where the document's printed development total equals its itemised
  development amounts;
- precedence (``int_plan_amounts_preferred``): per geography × year × phase × component × source
  only the best-ranked document's rows (feed reports rank below every transcribed document);
- ``marts.funding_mix`` (all columns but ``n_source_findings``: that count needs the whole audit —
  five families of sum checks and the acknowledgments — which this analyst does not rebuild) and
  ``marts.yoy_change`` (every column);
- the family ``funding_sources_to_total`` of ``audit.sum_checks``: every printed total over
  funding sources against the sum of the sources it names (same block, geography, phase, basis,
  period, component and capital scope), with the reported amount and the difference.

Amounts are float64 (what an analyst's ``read_csv`` gives); the comparison allows 0.001.

``python -m benchmarks.pandas_marts --feed DIR [--seeds seeds] --out DIR`` writes
``funding_mix.parquet``, ``yoy_change.parquet`` and ``source_sum_checks.parquet`` and its timings;
``--compare WAREHOUSE`` then compares them with the warehouse's marts (outside the timing).
"""

from __future__ import annotations

import time
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from benchmarks.common import BLOCK, FEED_COLUMNS, KEYS, PHASE_OF_RECORD, TOLERANCE, compare_outputs, reference_main


def _bool(series: pd.Series) -> pd.Series:
    return series.astype("string").str.lower().eq("true").fillna(False).astype(bool)


def read_seeds(seeds: Path) -> dict[str, pd.DataFrame]:
    """The seed CSVs the marts need, as text (like dbt's varchar seeds), typed where used."""

    def csv(name: str) -> pd.DataFrame:
        return pd.read_csv(seeds / name, dtype=str, keep_default_na=False, na_values=[""])

    amounts = csv("transcription/plan_amounts.csv")
    for column in ("period_start_year", "period_end_year"):
        amounts[column] = pd.to_numeric(amounts[column]).astype("Float64").astype(float)
    amounts["amount_million_vnd"] = pd.to_numeric(amounts["amount_million_vnd"]).astype(float)
    amounts["is_printed_total"] = _bool(amounts["is_printed_total"])
    groups = csv("reference/statement_groups.csv")
    groups["provides_leaves"] = _bool(groups["provides_leaves"])
    documents = csv("reference/documents.csv")
    statuses = csv("reference/document_statuses.csv")
    documents["status_precedence"] = documents["status"].map(
        statuses.set_index("status")["precedence_order"].astype(int)
    )
    documents["issued_date"] = pd.to_datetime(documents["issued_date"])
    for column in ("period_start_year", "period_end_year"):
        documents[column] = pd.to_numeric(documents[column]).astype(float)
    sources = csv("reference/funding_sources.csv")
    sources["is_in_total_funding"] = _bool(sources["is_in_total_funding"])
    return {
        "plan_amounts": amounts,
        "statement_groups": groups,
        "documents": documents,
        "components": csv("reference/program_components.csv"),
        "funding_sources": sources,
        "geographies": csv("reference/geographies.csv"),
    }


def read_feed(feed: Path) -> pd.DataFrame:
    """Every line item of the feed folder (Parquet and CSV partitions) with the contract's columns."""
    frames = []
    for path in sorted(feed.glob("province=*/year=*/*.parquet")):
        frames.append(pq.read_table(path, columns=FEED_COLUMNS).to_pandas())
    for path in sorted(feed.glob("province=*/year=*/*.csv")):
        frames.append(pd.read_csv(path, dtype=str, usecols=FEED_COLUMNS, keep_default_na=False, na_values=[""]))
    if not frames:
        return pd.DataFrame(columns=FEED_COLUMNS)
    items = pd.concat(frames, ignore_index=True)
    for column in ("row_number", "fiscal_year", "period_month"):
        items[column] = pd.to_numeric(items[column]).astype("Float64").astype(float)
    items["amount_million_vnd"] = pd.to_numeric(items["amount_million_vnd"].astype("string")).astype(float)
    items["is_printed_total"] = _bool(items["is_printed_total"])
    return items


def printings(seed: dict[str, pd.DataFrame], items: pd.DataFrame) -> pd.DataFrame:
    """Every counted printed amount, documents and feed alike (int_plan_amounts_printings)."""
    amounts = seed["plan_amounts"]
    amounts = amounts[amounts["unit_printed"].notna() & (amounts["unit_printed"] != "%")]
    transcribed = pd.DataFrame(
        {
            "amount_id": amounts["amount_id"],
            "document_id": amounts["document_id"],
            "statement_group": amounts["statement_group"],
            "geography_code": amounts["geography_code"],
            "component_code": amounts["component_code"],
            "funding_source_code": amounts["funding_source_code"],
            "capital_type_code": amounts["capital_type_code"],
            "phase_code": amounts["phase_code"],
            "amount_basis": amounts["amount_basis"],
            "period_start_year": amounts["period_start_year"],
            "period_end_year": amounts["period_end_year"],
            "period_month": np.nan,
            "as_of_date": amounts["as_of_date"],
            "amount_million_vnd": amounts["amount_million_vnd"],
            "is_printed_total": amounts["is_printed_total"],
            "sums_funding_sources": amounts["sums_funding_sources"],
            "is_repeat_printing": amounts["repeats_amount_id"].notna(),
        }
    )
    fed = pd.DataFrame(
        {
            "amount_id": items["report_id"].astype(str) + ":" + items["row_number"].astype(int).astype(str),
            "document_id": items["report_id"],
            "statement_group": "report",
            "geography_code": items["geography_code"],
            "component_code": items["component_code"],
            "funding_source_code": items["funding_source_code"],
            "capital_type_code": items["capital_type_code"],
            "phase_code": items["phase_code"],
            "amount_basis": "period_total",
            "period_start_year": items["fiscal_year"],
            "period_end_year": items["fiscal_year"],
            "period_month": items["period_month"],
            "as_of_date": np.nan,
            "amount_million_vnd": items["amount_million_vnd"],
            "is_printed_total": items["is_printed_total"],
            "sums_funding_sources": items["sums_funding_sources"],
            "is_repeat_printing": False,
        }
    )
    return pd.concat([transcribed, fed], ignore_index=True)


def statement_groups(seed: dict[str, pd.DataFrame], items: pd.DataFrame) -> pd.DataFrame:
    """The blocks: the seed's and one per feed report (int_statement_groups)."""
    reports = pd.DataFrame({"document_id": items["report_id"].unique()})
    reports = reports.assign(
        statement_group="report", leaf_amount_basis="period_total", parts_statement_group=None, provides_leaves=True
    )
    columns = ["document_id", "statement_group", "leaf_amount_basis", "parts_statement_group", "provides_leaves"]
    return pd.concat([seed["statement_groups"][columns], reports[columns]], ignore_index=True)


def leaves(printed: pd.DataFrame, groups: pd.DataFrame, components: pd.DataFrame) -> pd.DataFrame:
    """The most detailed printed amounts (int_plan_amounts_leaf_selected)."""
    candidates = printed.merge(groups, on=["document_id", "statement_group"])
    candidates = candidates[
        candidates["provides_leaves"]
        & ~candidates["is_repeat_printing"]
        & (candidates["amount_basis"] == candidates["leaf_amount_basis"])
        & (candidates["funding_source_code"] != "total")
        & (candidates["capital_type_code"] != "total")
    ]
    parent = components.set_index("component_code")["parent_component_code"]
    grandparent = parent.map(parent)
    ancestry = pd.concat([parent.dropna(), grandparent.dropna()]).rename("ancestor_code").reset_index()
    key = BLOCK + ["funding_source_code", "capital_type_code"]
    children = candidates[key + ["component_code"]].merge(ancestry, on="component_code")
    broken = children.drop(columns="component_code").rename(columns={"ancestor_code": "component_code"})
    broken = broken.drop_duplicates().assign(_broken=True)
    marked = candidates.merge(broken, on=key + ["component_code"], how="left")
    itemised = marked[marked["_broken"].isna()].drop(columns=["_broken"])
    return pd.concat([itemised, unitemised_totals(printed, groups, components, ancestry)], ignore_index=True)


def _overlap(total: pd.Series, part: pd.Series) -> pd.Series:
    """Sources (capital types) overlap: equal, or either of them a total or not stated."""
    loose = ["total", "unspecified"]
    return total.isin(loose) | part.isin(loose) | (total == part)


def unitemised_totals(
    printed: pd.DataFrame, groups: pd.DataFrame, components: pd.DataFrame, ancestry: pd.DataFrame
) -> pd.DataFrame:
    """Printed totals that no other printing of their document breaks down or overlaps, as leaves of
    the source (capital type) unspecified (macros/overlaps_below.sql)."""
    totals = printed.merge(groups, on=["document_id", "statement_group"])
    totals = totals[
        totals["provides_leaves"]
        & ~totals["is_repeat_printing"]
        & (totals["amount_basis"] == totals["leaf_amount_basis"])
        & ((totals["funding_source_code"] == "total") | (totals["capital_type_code"] == "total"))
    ]
    cell = ["component_code", "funding_source_code", "capital_type_code"]
    scope = ["document_id", "geography_code", "phase_code"]
    period = ["period_start_year", "period_end_year", "period_month", "as_of_date"]
    selves = components[["component_code"]].drop_duplicates()
    covering = pd.concat(
        [ancestry, selves.assign(ancestor_code=selves["component_code"])], ignore_index=True
    ).drop_duplicates()
    parts = printed.loc[printed["document_id"].isin(totals["document_id"]), scope + period + cell]
    parts = parts.merge(covering, on="component_code").rename(columns={"ancestor_code": "covered_code"})
    pairs = totals[["amount_id", *scope, *period, *cell]].merge(
        parts, left_on=[*scope, "component_code"], right_on=[*scope, "covered_code"], suffixes=("", "_part")
    )
    inside = (
        (pairs["period_start_year"].isna() | (pairs["period_start_year_part"] >= pairs["period_start_year"]))
        & (pairs["period_end_year"].isna() | (pairs["period_end_year_part"] <= pairs["period_end_year"]))
        & (pairs["period_month"].isna() | (pairs["period_month"] == pairs["period_month_part"]))
        # an amount to a date and one for a whole period are different grains
        & (
            (pairs["as_of_date"].isna() & pairs["as_of_date_part"].isna())
            | (pairs["as_of_date"] == pairs["as_of_date_part"])
        )
    )
    same_cell = (
        (pairs["component_code"] == pairs["component_code_part"])
        & (pairs["funding_source_code"] == pairs["funding_source_code_part"])
        & (pairs["capital_type_code"] == pairs["capital_type_code_part"])
    )
    overlapped = pairs[
        inside
        & _overlap(pairs["funding_source_code"], pairs["funding_source_code_part"])
        & _overlap(pairs["capital_type_code"], pairs["capital_type_code_part"])
        & ~same_cell
    ]["amount_id"]
    alone = totals[~totals["amount_id"].isin(set(overlapped))]
    return alone.assign(
        funding_source_code=alone["funding_source_code"].replace("total", "unspecified"),
        capital_type_code=alone["capital_type_code"].replace("total", "unspecified"),
    )


def plan_amounts(leaf: pd.DataFrame, seed: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Annual leaves with the inferred capital type (int_plan_amounts_annualized, fct_plan_amount)."""
    per_year = leaf[leaf["amount_basis"] == "per_year"].copy()
    per_year["fiscal_year"] = [
        list(range(int(s), int(e) + 1)) for s, e in zip(per_year["period_start_year"], per_year["period_end_year"])
    ]
    per_year = per_year.explode("fiscal_year")
    per_year["fiscal_year"] = per_year["fiscal_year"].astype(float)
    period_total = leaf[leaf["amount_basis"] == "period_total"]
    same = (period_total["period_start_year"] == period_total["period_end_year"]) | (
        period_total["period_start_year"].isna() & period_total["period_end_year"].isna()
    )
    to_date = period_total["as_of_date"].notna()  # an amount to a date has no fiscal year
    single = period_total[same & ~to_date].assign(fiscal_year=lambda d: d["period_start_year"])
    multi = period_total[(period_total["period_start_year"] < period_total["period_end_year"]) | to_date].assign(
        fiscal_year=np.nan
    )
    annual = pd.concat([per_year, single, multi], ignore_index=True)

    printed = seed["plan_amounts"]
    development_totals = printed[
        (printed["component_code"] == "ALL")
        & (printed["funding_source_code"] == "total")
        & (printed["capital_type_code"] == "development_investment")
        & (printed["period_start_year"] == printed["period_end_year"])
        & (printed["amount_basis"] == "period_total")
    ]
    development_totals = development_totals.rename(
        columns={"period_start_year": "fiscal_year", "amount_million_vnd": "printed_total"}
    )
    itemised = (
        annual[annual["capital_type_code"] == "development_investment"]
        .groupby(["document_id", "fiscal_year", "phase_code"], as_index=False)["amount_million_vnd"]
        .sum()
    )
    evidence = development_totals.merge(itemised, on=["document_id", "fiscal_year", "phase_code"])
    evidence = evidence[(evidence["printed_total"] - evidence["amount_million_vnd"]).abs() < 0.0005]
    evidence = evidence[["document_id", "fiscal_year", "phase_code", "amount_id"]].rename(
        columns={"amount_id": "evidence_amount_id"}
    )
    resolved = annual.merge(evidence, on=["document_id", "fiscal_year", "phase_code"], how="left")
    inferred = (
        (resolved["capital_type_code"] == "unspecified")
        & resolved["funding_source_code"].isin(["central_budget", "local_budget"])
        & resolved["evidence_amount_id"].notna()
    )
    resolved.loc[inferred, "capital_type_code"] = "recurrent"
    return resolved


def preferred(amounts: pd.DataFrame, seed: dict[str, pd.DataFrame], items: pd.DataFrame) -> pd.DataFrame:
    """Annual leaves of the best-ranked document per cell (int_plan_amounts_preferred)."""
    keys = ["document_id", "status_precedence", "issued_date", "period_start_year", "period_end_year"]
    years = items.groupby("report_id")["fiscal_year"].agg(["min", "max"])
    reports = pd.DataFrame(
        {
            "document_id": years.index,
            "status_precedence": 4,  # reporting_system (seed document_statuses)
            "issued_date": pd.NaT,
            "period_start_year": years["min"].to_numpy(dtype=float),
            "period_end_year": years["max"].to_numpy(dtype=float),
        }
    )
    documents = pd.concat([seed["documents"][keys], reports], ignore_index=True)
    # macros/precedence_order.sql: status, the later issued date, the shorter period, the id
    documents["period_length"] = documents["period_end_year"] - documents["period_start_year"]
    # the feed's reports tie (equal standing), documents never do
    documents["tie_breaker"] = documents["document_id"].where(documents["status_precedence"] != 4)
    keys = ["status_precedence", "issued_date", "period_length", "tie_breaker"]
    documents = documents.sort_values(keys, ascending=[True, False, True, True], na_position="last")
    documents["precedence_rank"] = (~documents[keys].duplicated()).cumsum()
    documents = documents[["document_id", "precedence_rank"]]
    components = seed["components"]
    project = components["component_code"].where(
        components["component_level"] != "sub_project", components["parent_component_code"]
    )
    components = pd.DataFrame({"component_code": components["component_code"], "project_code": project})
    annual = (
        amounts[amounts["fiscal_year"].notna()]
        .merge(documents, on="document_id")
        .merge(components, on="component_code")
    )
    cell = ["geography_code", "fiscal_year", "phase_code", "component_code", "funding_source_code"]
    best = annual.groupby(cell)["precedence_rank"].transform("min")
    return annual[annual["precedence_rank"] == best]


def _documents(values: pd.Series) -> str:
    return "|".join(sorted(set(values)))


def funding_mix(amounts: pd.DataFrame, geographies: pd.DataFrame) -> pd.DataFrame:
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
    by_project = pd.concat(
        [amounts.loc[amounts["project_code"] != "ALL", columns], amounts[columns].assign(project_code="ALL")],
        ignore_index=True,
    )
    source, capital = by_project["funding_source_code"], by_project["capital_type_code"]
    amount = by_project["amount_million_vnd"]
    not_credit = source != "policy_credit"
    parts = {
        "central_budget": amount.where(source == "central_budget"),
        "local_budget": amount.where(source == "local_budget"),
        "other_mobilized": amount.where(source == "other_mobilized"),
        "unspecified_source": amount.where(source == "unspecified"),
        "policy_credit": amount.where(source == "policy_credit"),
        "development_investment": amount.where(not_credit & (capital == "development_investment")),
        "recurrent": amount.where(not_credit & (capital == "recurrent")),
        "unspecified_capital": amount.where(not_credit & (capital == "unspecified")),
    }
    grain = KEYS["funding_mix"]
    frame = by_project[grain].assign(**parts, document_id=by_project["document_id"])
    grouped = frame.groupby(grain, sort=False)
    summed = grouped[list(parts)].sum(min_count=1).fillna(0.0)
    summed["document_id"] = grouped["document_id"].agg(_documents)
    mix = summed.reset_index()
    names = geographies[["geography_code", "name_vi", "admin_level"]].rename(columns={"name_vi": "geography_name_vi"})
    names = names.assign(
        geography_name_vi=names["geography_name_vi"].map(
            lambda s: unicodedata.normalize("NFC", s) if isinstance(s, str) else s
        )
    )
    mix = mix.merge(names, on="geography_code")
    mix["total_funding"] = (
        mix["central_budget"] + mix["local_budget"] + mix["other_mobilized"] + mix["unspecified_source"]
    )
    total, central = mix["total_funding"].replace(0, np.nan), mix["central_budget"].replace(0, np.nan)
    mix["share_central"] = mix["central_budget"] / total
    mix["share_local"] = mix["local_budget"] / total
    mix["share_other"] = mix["other_mobilized"] / total
    mix["share_unspecified"] = mix["unspecified_source"] / total
    mix["counterpart_ratio"] = mix["local_budget"] / central
    return mix


def component_amounts(amounts: pd.DataFrame, seed: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Amounts rolled up the component tree, per source and ALL sources (int_component_amounts)."""
    components = seed["components"]
    levels = pd.concat(
        [
            components.loc[components["component_code"] != "ALL", ["component_code"]].assign(
                rollup_code=lambda d: d["component_code"]
            ),
            components.loc[
                components["component_level"] == "sub_project", ["component_code", "parent_component_code"]
            ].rename(columns={"parent_component_code": "rollup_code"}),
            components[["component_code"]].assign(rollup_code="ALL"),
        ],
        ignore_index=True,
    )
    rolled = amounts[
        [
            "geography_code",
            "fiscal_year",
            "phase_code",
            "document_id",
            "funding_source_code",
            "component_code",
            "amount_million_vnd",
        ]
    ].merge(levels, on="component_code")
    rolled = rolled.drop(columns="component_code").rename(columns={"rollup_code": "component_code"})
    grain = ["geography_code", "fiscal_year", "phase_code", "component_code", "funding_source_code"]
    grouped = rolled.groupby(grain, sort=False)
    by_source = grouped["amount_million_vnd"].sum().to_frame()
    by_source["document_id"] = grouped["document_id"].agg(_documents)
    by_source = by_source.reset_index()
    in_total = set(seed["funding_sources"].loc[seed["funding_sources"]["is_in_total_funding"], "funding_source_code"])
    counted = by_source[by_source["funding_source_code"].isin(in_total)]
    grouped = counted.groupby(grain[:-1], sort=False)
    total = grouped["amount_million_vnd"].sum().to_frame()
    total["document_id"] = grouped["document_id"].agg(_documents)
    total = total.reset_index().assign(funding_source_code="ALL")
    return pd.concat([by_source, total[by_source.columns]], ignore_index=True)


def yoy_change(component: pd.DataFrame) -> pd.DataFrame:
    """marts.yoy_change: one phase of record per geography and year, compared with the prior year."""
    rank = component["phase_code"].map(PHASE_OF_RECORD).fillna(4)
    best = rank.groupby([component["geography_code"], component["fiscal_year"]]).transform("min")
    yearly = component[rank == best]
    prior = yearly[
        ["geography_code", "component_code", "funding_source_code", "fiscal_year", "phase_code", "amount_million_vnd"]
    ].rename(columns={"phase_code": "prior_phase_code", "amount_million_vnd": "prior_year_amount"})
    prior = prior.assign(fiscal_year=prior["fiscal_year"] + 1)
    change = yearly.merge(
        prior, on=["geography_code", "component_code", "funding_source_code", "fiscal_year"], how="left"
    ).rename(columns={"amount_million_vnd": "amount"})
    change["is_like_for_like"] = (change["phase_code"] == change["prior_phase_code"]).fillna(False).astype(bool)
    # no change across phases: the prior year of another phase is shown, never subtracted
    like = change["is_like_for_like"]
    change["abs_change"] = (change["amount"] - change["prior_year_amount"]).where(like)
    change["pct_change"] = change["abs_change"] / change["prior_year_amount"].replace(0, np.nan)
    return change


def source_sum_checks(printed: pd.DataFrame, groups: pd.DataFrame) -> pd.DataFrame:
    """audit.sum_checks, family funding_sources_to_total (int_sum_checks_sources_and_capital)."""
    cells = printed[~printed["is_repeat_printing"]].merge(
        groups[["document_id", "statement_group"]], on=["document_id", "statement_group"]
    )
    capital = cells["capital_type_code"]
    cells = cells.assign(capital_scope=capital.where(~capital.isin(["total", "unspecified"]), "all"))
    parts = cells[cells["funding_source_code"] != "total"]
    key = BLOCK + ["component_code", "funding_source_code"]
    with_total = parts.assign(
        _total=parts["amount_million_vnd"].where(parts["capital_type_code"] == "total"),
        _parts=parts["amount_million_vnd"].where(parts["capital_type_code"] != "total"),
    )
    grouped = with_total.groupby(key, dropna=False, sort=False)
    all_scope = (
        grouped["_total"]
        .max()
        .combine_first(grouped["_parts"].sum(min_count=1))
        .rename("part_amount")
        .reset_index()
        .assign(capital_scope="all")
    )
    split = parts[parts["capital_type_code"] != "total"]
    per_capital = (
        split.groupby(key + ["capital_type_code"], dropna=False, sort=False)["amount_million_vnd"]
        .sum()
        .rename("part_amount")
        .reset_index()
        .rename(columns={"capital_type_code": "capital_scope"})
    )
    values = pd.concat([all_scope, per_capital], ignore_index=True).rename(
        columns={"funding_source_code": "part_source"}
    )

    totals = cells[cells["is_printed_total"] & (cells["funding_source_code"] == "total")]
    totals = totals[
        BLOCK + ["amount_id", "component_code", "capital_scope", "amount_million_vnd", "sums_funding_sources"]
    ].rename(columns={"amount_million_vnd": "reported_amount_million_vnd"})
    totals = totals.assign(part_source=totals["sums_funding_sources"].str.split("|")).explode("part_source")
    joined = totals.merge(values, on=BLOCK + ["component_code", "part_source", "capital_scope"], how="left")
    grouped = joined.groupby("amount_id", sort=False)
    checks = pd.DataFrame(
        {
            "reported_amount_million_vnd": grouped["reported_amount_million_vnd"].first(),
            "computed_amount_million_vnd": grouped["part_amount"].sum(min_count=1),
            "n_parts_found": grouped["part_amount"].count(),
            "n_parts_expected": grouped.size(),
        }
    )
    checks = checks[checks["n_parts_found"] == checks["n_parts_expected"]].reset_index()
    checks = checks.rename(columns={"amount_id": "reported_total_id"})
    checks["difference_million_vnd"] = checks["reported_amount_million_vnd"] - checks["computed_amount_million_vnd"]
    checks["adds_up"] = checks["difference_million_vnd"].abs() <= TOLERANCE
    return checks


def build(feed: Path, seeds: Path) -> tuple[dict[str, pd.DataFrame], dict[str, float]]:
    """Every output and the seconds each step took."""
    timings: dict[str, float] = {}
    clock = time.monotonic()

    def lap(step: str) -> None:
        nonlocal clock
        now = time.monotonic()
        timings[step] = round(now - clock, 3)
        clock = now

    seed = read_seeds(seeds)
    items = read_feed(feed)
    lap("read")
    printed = printings(seed, items)
    groups = statement_groups(seed, items)
    leaf = leaves(printed, groups, seed["components"])
    lap("leaves")
    amounts = preferred(plan_amounts(leaf, seed), seed, items)
    lap("plan_amounts")
    mix = funding_mix(amounts, seed["geographies"])
    lap("funding_mix")
    yoy = yoy_change(component_amounts(amounts, seed))
    lap("yoy_change")
    checks = source_sum_checks(printed, groups)
    lap("source_sum_checks")
    return {"funding_mix": mix, "yoy_change": yoy, "source_sum_checks": checks}, timings


def compare(outputs: dict[str, pd.DataFrame], warehouse: Path) -> list[str]:
    """Differences between the pandas outputs and the warehouse (keys equal, numbers within 0.001)."""
    return compare_outputs(outputs, warehouse, "pandas")


def main(argv: list[str] | None = None) -> int:
    return reference_main("pandas", build, __doc__.split("\n", 1)[0], argv)


if __name__ == "__main__":
    raise SystemExit(main())
