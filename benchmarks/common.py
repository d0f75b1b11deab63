"""What both benches (``make bench``, ``make bench-spark``) share: the project folder, the error that
stops a bench, the environment of the commands they measure, a feed's manifest and a log's tail; and
what the analysts' references of ``make bench`` share (pandas, plain SQL, polars): their outputs, their
command, and their comparison with the warehouse's marts."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from ntp_poverty.validate.feed_files import dbt_environment

#: A printed block's grain: document, statement group, geography, phase, basis and period
#: (the warehouse's block_and_period_columns but the partition).
BLOCK = [
    "document_id",
    "statement_group",
    "geography_code",
    "phase_code",
    "amount_basis",
    "period_start_year",
    "period_end_year",
    "period_month",
    "as_of_date",
]
#: The feed columns the references read (the feed contract's, but those no output needs).
FEED_COLUMNS = [
    "report_id",
    "row_number",
    "geography_code",
    "fiscal_year",
    "period_month",
    "component_code",
    "funding_source_code",
    "capital_type_code",
    "phase_code",
    "amount_million_vnd",
    "is_printed_total",
    "sums_funding_sources",
]
#: yoy_change's phase of record: the first present of these represents the year (else disbursed).
PHASE_OF_RECORD = {"allocated": 1, "requested": 2, "forecast": 3}

PROJECT_DIR = Path(__file__).resolve().parents[1]


class BenchError(Exception):
    """A step of the bench failed or its outputs disagree: the bench stops loudly."""


def bench_env(**extra: str) -> dict[str, str]:
    """This process's environment for a measured command: the project's profiles and folder, no usage
    statistics; ``extra`` on top. With NTP_FEEDS, the feed's file list that dbt reads (NTP_FEED_FILES;
    a refresh writes its own)."""
    env = dict(
        os.environ,
        DBT_PROFILES_DIR=str(PROJECT_DIR),
        NTP_PROJECT_DIR=str(PROJECT_DIR),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
        **extra,
    )
    if "NTP_FEEDS" in extra:
        feed = Path(extra["NTP_FEEDS"])
        digest = hashlib.sha256(str(feed.absolute()).encode()).hexdigest()[:12]
        env.update(dbt_environment(feed, PROJECT_DIR / "target" / "bench" / f"feed_files-{digest}.csv"))
    return env


def feed_manifest(feed: Path) -> dict[str, Any] | None:
    """The synthetic feed's ``manifest.json``, or None when the folder has none."""
    path = feed / "manifest.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def log_tail(path: Path) -> str:
    """The last 4,000 characters of a log (empty when it does not exist)."""
    return path.read_text(encoding="utf-8", errors="replace")[-4000:] if path.exists() else ""


# --- the analysts' references (pandas_marts, sql_marts, polars_marts): their outputs and how they are
# compared with the warehouse's marts --------------------------------------------------------------

#: The outputs of every reference, each written as ``<name>.parquet``.
OUTPUTS = ("funding_mix", "yoy_change", "source_sum_checks")
#: Each output's key: a row of a reference and a row of the warehouse are the same row when these are equal.
KEYS = {
    "funding_mix": ["geography_code", "fiscal_year", "phase_code", "project_code"],
    "yoy_change": ["geography_code", "component_code", "funding_source_code", "fiscal_year"],
    "source_sum_checks": ["reported_total_id"],
}
#: Amounts are compared to this (shares, ratios and percentages relative to their size).
TOLERANCE = 0.001
#: The reference names, as the bench and its messages say them.
LABELS = {"pandas": "pandas", "sql": "plain SQL", "polars": "polars"}
#: What each output is compared with: the warehouse's relation, its numbers and its text columns.
COMPARED = {
    "funding_mix": {
        "table": "marts.funding_mix",
        "numeric": [
            "central_budget",
            "local_budget",
            "other_mobilized",
            "unspecified_source",
            "total_funding",
            "policy_credit",
            "development_investment",
            "recurrent",
            "unspecified_capital",
            "share_central",
            "share_local",
            "share_other",
            "share_unspecified",
            "counterpart_ratio",
        ],
        "text": ["document_id", "admin_level", "geography_name_vi"],
    },
    "yoy_change": {
        "table": "marts.yoy_change",
        "numeric": ["amount", "prior_year_amount", "abs_change", "pct_change"],
        "text": ["phase_code", "prior_phase_code", "document_id", "is_like_for_like"],
    },
    "source_sum_checks": {
        "table": "(select * from audit.sum_checks where check_code = 'funding_sources_to_total')",
        "numeric": [
            "reported_amount_million_vnd",
            "computed_amount_million_vnd",
            "difference_million_vnd",
            "n_parts_found",
            "n_parts_expected",
        ],
        "text": [],
    },
}


def to_pandas(frame: Any) -> Any:
    """A reference's output as a pandas DataFrame (pandas as it is; a polars DataFrame or an Arrow table
    converted)."""
    import pandas as pd  # noqa: PLC0415 - the bench's own processes need no pandas

    return frame if isinstance(frame, pd.DataFrame) else frame.to_pandas()


def write_parquet(frame: Any, path: Path) -> None:
    """Write a reference's output (pandas or polars DataFrame, or Arrow table) as Parquet."""
    import pandas as pd  # noqa: PLC0415
    import pyarrow.parquet as pq  # noqa: PLC0415

    if isinstance(frame, pd.DataFrame):
        frame.to_parquet(path, index=False)
    elif hasattr(frame, "write_parquet"):  # polars
        frame.write_parquet(path)
    else:
        pq.write_table(frame, path)


def compare_outputs(outputs: dict[str, Any], warehouse: Path, engine: str = "pandas") -> list[str]:
    """Differences between a reference's outputs and the warehouse's marts (keys equal, numbers within
    0.001), each said with the reference's name (``engine``: a key of LABELS)."""
    import duckdb  # noqa: PLC0415 - the comparison only, never a reference's timed work
    import numpy as np  # noqa: PLC0415
    import pandas as pd  # noqa: PLC0415

    label, ours_suffix = LABELS[engine], f"_{engine}"
    differences = []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for name, spec in COMPARED.items():
            keys, numeric, text = KEYS[name], spec["numeric"], spec["text"]
            ours = to_pandas(outputs[name])[keys + numeric + text].copy()
            theirs = con.execute(f"select {', '.join(keys + numeric + text)} from {spec['table']}").df()
            for frame in (ours, theirs):
                for column in numeric:
                    frame[column] = pd.to_numeric(frame[column]).astype(float)
                for column in keys:
                    if column == "fiscal_year":
                        frame[column] = frame[column].astype(float)
                for column in text:
                    frame[column] = (
                        frame[column]
                        .astype(object)
                        .where(frame[column].notna(), None)
                        .map(lambda v: str(v) if v is not None else None)
                    )
            merged = ours.merge(theirs, on=keys, how="outer", suffixes=(ours_suffix, "_dbt"), indicator=True)
            only = merged["_merge"].value_counts()
            if only.get("left_only", 0) or only.get("right_only", 0):
                example = merged[merged["_merge"] != "both"].head(3)[keys + ["_merge"]].to_dict("records")
                differences.append(
                    f"{name}: {only.get('left_only', 0)} row(s) only in {label}, "
                    f"{only.get('right_only', 0)} only in the warehouse, e.g. {example}"
                )
            both = merged[merged["_merge"] == "both"]
            for column in numeric:
                left, right = both[f"{column}{ours_suffix}"], both[f"{column}_dbt"]
                scale = (
                    np.maximum(1.0, np.abs(right.fillna(0)))
                    if column.startswith(("share", "pct", "counterpart"))
                    else 1.0
                )
                bad = ~(((left - right).abs() <= TOLERANCE * scale) | (left.isna() & right.isna()))
                if bad.any():
                    example = both.loc[bad, keys + [f"{column}{ours_suffix}", f"{column}_dbt"]].head(3)
                    differences.append(
                        f"{name}.{column}: {int(bad.sum())} row(s) differ, e.g. {example.to_dict('records')}"
                    )
            for column in text:
                left, right = both[f"{column}{ours_suffix}"], both[f"{column}_dbt"]
                bad = ~((left == right) | (left.isna() & right.isna()))
                if bad.any():
                    example = both.loc[bad, keys + [f"{column}{ours_suffix}", f"{column}_dbt"]].head(3)
                    differences.append(
                        f"{name}.{column}: {int(bad.sum())} row(s) differ, e.g. {example.to_dict('records')}"
                    )
    return differences


def reference_main(engine: str, build: Any, description: str, argv: list[str] | None = None) -> int:
    """The command of a reference: ``--feed DIR [--seeds DIR] [--out DIR] [--compare WAREHOUSE]``.
    ``build(feed, seeds)`` returns the outputs and the seconds of each step; they are written to
    ``--out`` (``<output>.parquet`` and ``timings.json``) and compared with ``--compare``, both after
    the timing."""
    label = LABELS[engine]
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--feed", required=True, type=Path, help="feed folder (province=*/year=*/...)")
    parser.add_argument("--seeds", type=Path, default=PROJECT_DIR / "seeds")
    parser.add_argument("--out", type=Path, help="write the outputs (Parquet) and timings.json here")
    parser.add_argument("--compare", type=Path, help="compare with this warehouse file (after the timing)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    outputs, timings = build(args.feed, args.seeds)
    timings["total"] = round(time.monotonic() - started, 3)
    rows = {name: len(frame) for name, frame in outputs.items()}
    print(f"{label}: {rows} in {timings['total']} s ({timings})", flush=True)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        for name, frame in outputs.items():
            write_parquet(frame, args.out / f"{name}.parquet")
        (args.out / "timings.json").write_text(
            json.dumps({"timings_s": timings, "rows": rows}, indent=2) + "\n", encoding="utf-8"
        )
    if args.compare:
        differences = compare_outputs(outputs, args.compare, engine)
        for line in differences:
            print(f"DIFFERENCE {line}", file=sys.stderr)
        print(f"{label} outputs " + ("differ from" if differences else "equal") + f" the warehouse {args.compare}")
        return 1 if differences else 0
    return 0
