"""Write BENCHMARKS.md from every ``benchmarks/results/<rows>.json`` present.

One section per feed size (smallest first): the machine, a table of every measure (median and each
run's value), the ratios against the targets of issue 11 with pass or fail said plainly (the
targets are stated for 10 million rows; at other sizes they are shown for information), and where
the time of a refresh goes, step by step, on the synthetic feed and on the real data.

The last section compares the engines, from every ``benchmarks/results/spark/<rows>.json`` written by
``make bench-spark`` (benchmarks/spark_bench.py): the same ``dbt build`` on Spark and on DuckDB, run by
run. The whole file is generated; nothing in it is kept by hand.
"""

from __future__ import annotations

import csv
import json
import statistics
import sys
from pathlib import Path
from typing import Any

GB = 1024**3
#: What an analyst would write instead (benchmarks/run.py, REFERENCES): key of the results -> name, possessive.
REFERENCES = {"pandas": ("pandas", "pandas'"), "sql": ("plain SQL", "plain SQL's"), "polars": ("polars", "polars'")}
STEP_NAMES = {
    "startup": "start, lock, recovery",
    "preflight": "preflight (seeds, provenance, ledger, feed)",
    "copy": "rest of the copy of the published file into the candidate (dbt parse meanwhile)",
    "dbt_build": "dbt build (seeds, models, tests)",
    "docs": "dbt docs",
    "gx": "Great Expectations",
    "report": "HTML report",
    "release": "release (DuckDB copy, Parquet, Excel, data package, seal, switch)",
    "finish": "log, retention",
}
TARGET_ROWS = 10_000_000
MEMORY_TARGET = 4 * GB
#: The targets of issue 31, one line each: the measure, the result file and value it is read from,
#: the target, what was measured when the issue was filed, and why it is not met (if it is not).
TARGETS_CSV = Path(__file__).with_name("targets.csv")
#: The dbt node seconds of the 10M measurement issue 31 was filed on (its run logs), for "before and now",
#: and the models that existed at its commit (``models``), so a model added since shows ``new``.
BASELINE_JSON = Path(__file__).with_name("baselines") / "10000000.json"
MODELS_DIR = Path(__file__).resolve().parents[1] / "models"
SLOW_MODEL_S = 10.0


def _fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        text = f"{value:,.2f}" if abs(value) < 1000 else f"{value:,.0f}"
    elif isinstance(value, int):
        text = f"{value:,}"
    else:
        text = str(value)
    return text + unit


def _get(data: dict[str, Any] | None, *path: str) -> Any:
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def _gb(value: Any) -> float | None:
    return round(value / GB, 2) if isinstance(value, (int, float)) else None


MEASURES = (  # label, path, transform
    ("full refresh: wall (s)", ("full_refresh", "wall_s"), None),
    ("full refresh: CPU user+sys (s)", ("full_refresh", "cpu_s"), None),
    ("full refresh: peak RSS, process tree (GB)", ("full_refresh", "peak_rss_bytes"), _gb),
    ("full refresh: peak RSS, largest process (GB)", ("full_refresh", "peak_single_rss_bytes"), _gb),
    ("full refresh: leaf rows/s", ("full_refresh", "leaf_rows_per_s"), None),
    ("full refresh: all feed rows/s", ("full_refresh", "rows_per_s"), None),
    ("full refresh: dbt build step (s)", ("full_refresh", "steps_s", "dbt_build"), None),
    ("engine floor: wall (s)", ("floor", "wall_s"), None),
    ("engine floor: seeds / models / tests (s)", ("floor",), "floor_split"),
    ("engine floor: CPU user+sys (s)", ("floor", "cpu_s"), None),
    ("engine floor: peak RSS (GB)", ("floor", "peak_rss_bytes"), _gb),
    ("pandas: wall (s)", ("pandas", "wall_s"), None),
    ("pandas: CPU user+sys (s)", ("pandas", "cpu_s"), None),
    ("pandas: peak RSS (GB)", ("pandas", "peak_rss_bytes"), _gb),
    ("plain SQL: wall (s)", ("sql", "wall_s"), None),
    ("plain SQL: CPU user+sys (s)", ("sql", "cpu_s"), None),
    ("plain SQL: peak RSS (GB)", ("sql", "peak_rss_bytes"), _gb),
    ("polars: wall (s)", ("polars", "wall_s"), None),
    ("polars: CPU user+sys (s)", ("polars", "cpu_s"), None),
    ("polars: peak RSS (GB)", ("polars", "peak_rss_bytes"), _gb),
    ("incremental refresh: wall (s)", ("incremental", "wall_s"), None),
    ("incremental refresh: peak RSS (GB)", ("incremental", "peak_rss_bytes"), _gb),
    ("incremental refresh: partitions revised", ("incremental", "revised_partitions"), None),
)

RATIOS = (  # label, key, target text, predicate at 10M
    ("full refresh / engine floor", "full_over_floor", "≤ 1.5", lambda v: v <= 1.5),
    ("dbt build step / engine floor", "dbt_build_over_floor", "(for information)", None),
    ("pandas / full refresh", "pandas_over_full", "≥ 10 (or pandas out of memory)", lambda v: v >= 10),
    ("pandas / engine floor", "pandas_over_floor", "(for information)", None),
    ("full refresh / plain SQL", "full_over_sql", "(for information)", None),
    ("dbt build step / plain SQL", "dbt_build_over_sql", "(for information)", None),
    ("full refresh / polars", "full_over_polars", "(for information)", None),
    ("dbt build step / polars", "dbt_build_over_polars", "(for information)", None),
    ("incremental / full refresh (1 % of partitions changed)", "incremental_over_full", "≤ 0.15", lambda v: v <= 0.15),
)


def _value(data: dict[str, Any], path: tuple[str, ...], transform: Any) -> str:
    if transform == "floor_split":
        floor = _get(data, *path)
        if not floor:
            return "–"
        return " / ".join(_fmt(floor.get(k)) for k in ("seeds_s", "models_s", "tests_s"))
    value = _get(data, *path)
    return _fmt(transform(value) if transform and value is not None else value)


def _measures_table(result: dict[str, Any]) -> list[str]:
    runs = result["runs"]
    header = "| measure | median | " + " | ".join(f"run {r['run']}" for r in runs) + " |"
    lines = [header, "|" + "---|" * (2 + len(runs))]
    for label, path, transform in MEASURES:
        cells = [_value(result["median"], path, transform)] + [_value(r, path, transform) for r in runs]
        if all(c == "–" for c in cells):
            continue
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return lines


def _verdict(rows: int, value: float | None, predicate: Any, oom: bool = False) -> str:
    if predicate is None:
        return ""
    if oom:
        return "**pass** (pandas ran out of memory)" if rows >= TARGET_ROWS else "pandas ran out of memory"
    if value is None:
        return "not measured"
    met = predicate(value)
    if rows != TARGET_ROWS:
        return f"{'met' if met else 'not met'} (target set for 10M rows)"
    return "**pass**" if met else "**FAIL**"


def _ratios_table(result: dict[str, Any]) -> list[str]:
    rows, runs = result["rows"], result["runs"]
    oom = any(_get(r, "pandas", "out_of_memory") for r in runs)
    lines = [
        "| ratio (pair by pair in each run) | median | "
        + " | ".join(f"run {r['run']}" for r in runs)
        + " | target | verdict |",
        "|" + "---|" * (4 + len(runs)),
    ]
    failed = any(_get(r, "incremental", "failed") for r in runs)
    for label, key, target, predicate in RATIOS:
        median = _get(result["median"], "ratios", key)
        values = [_get(r, "ratios", key) for r in runs]
        if (
            median is None
            and all(v is None for v in values)
            and not (key == "pandas_over_full" and oom)
            and not (key == "incremental_over_full" and failed)
        ):
            continue
        verdict = _verdict(rows, median, predicate, oom and key == "pandas_over_full")
        if key == "incremental_over_full" and failed:
            verdict = "**FAIL** (an incremental refresh failed)"
        lines.append(
            f"| {label} | {_fmt(median)} | " + " | ".join(_fmt(v) for v in values) + f" | {target} | {verdict} |"
        )
    peak = _get(result["median"], "full_refresh", "peak_rss_bytes")
    worst = max((_get(r, "full_refresh", "peak_rss_bytes") or 0) for r in runs)
    verdict = (
        ("**pass**" if worst <= MEMORY_TARGET else "**FAIL**")
        if rows >= TARGET_ROWS
        else f"{'met' if worst <= MEMORY_TARGET else 'not met'} (target set for 10M and 50M rows)"
    )
    lines.append(
        f"| full refresh peak RSS, process tree (GB) | {_fmt(_gb(peak))} | "
        + " | ".join(_fmt(_gb(_get(r, "full_refresh", "peak_rss_bytes"))) for r in runs)
        + f" | ≤ 4 (worst run) | {verdict} |"
    )
    return lines


def _steps_table(result: dict[str, Any], source: str) -> list[str]:
    steps = _get(result["median"], source, "steps_s")
    if not steps:
        return []
    total = sum(steps.values()) or 1.0
    peaks = _get(result["median"], source, "steps_peak_rss_bytes") or {}
    lines = [
        "| step | median (s) | share | "
        + " | ".join(f"run {r['run']}" for r in result["runs"])
        + (" | peak RSS of the process tree during the step, median (GB)" if peaks else "")
        + " |",
        "|" + "---|" * (3 + len(result["runs"]) + bool(peaks)),
    ]
    for step, seconds in sorted(steps.items(), key=lambda kv: -kv[1]):
        lines.append(
            f"| {STEP_NAMES.get(step, step)} | {_fmt(seconds)} | {seconds / total:.0%} | "
            + " | ".join(_fmt(_get(r, source, "steps_s", step)) for r in result["runs"])
            + (f" | {_fmt(_gb(peaks.get(step)))}" if peaks else "")
            + " |"
        )
    return lines


def _node_name(unique_id: str) -> str:
    """``model.ntp_poverty.funding_mix`` -> ``funding_mix``; a test's name without its hash, cut at 60."""
    kind, _, rest = unique_id.partition(".")
    name = rest.partition(".")[2].split(".")[0]
    return name if kind != "test" else f"test {name[:60]}"


def _dbt_nodes(run: dict[str, Any], source: str, shown: int = 8) -> list[str]:
    """The dbt build's node seconds per resource type and its slowest nodes (run 1, from the run log)."""
    per_type, slowest = _get(run, source, "dbt_seconds"), _get(run, source, "dbt_slowest")
    if not per_type:
        return []
    kinds = ", ".join(
        f"{kind}s {seconds:.1f}" for kind, seconds in sorted(per_type.items(), key=lambda kv: -kv[1]) if seconds >= 0.05
    )
    nodes = ", ".join(f"{_node_name(node['node'])} {node['seconds']:.1f}" for node in slowest[:shown])
    return [
        "",
        f"dbt node seconds in this refresh's build (run {run['run']}, from its run log): {kinds}. "
        f"Slowest nodes: {nodes}.",
    ]


def _slices_sentence(runs: list[dict[str, Any]], machine: dict[str, Any]) -> str:
    """How the full refreshes were built: in one go, or in slices of provinces (docs/data-engineers.md, Feeds)."""
    slices = {tuple(_get(run, "full_refresh", "slice_partitions") or ()) for run in runs}
    if slices == {()}:
        return " Each full refresh built in one dbt build."
    threads = _get(machine, "duckdb_settings", "sliced_threads")
    return (
        " Full refreshes built in slices of provinces (partitions per slice: "
        + "; ".join(", ".join(str(n) for n in one) or "one slice" for one in sorted(slices))
        + ")"
        + (f", their passes on {threads} DuckDB thread(s) (NTP_SLICED_DUCKDB_THREADS)" if threads else "")
        + "."
    )


def _and(names: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def section(result: dict[str, Any]) -> list[str]:
    """The Markdown section of one result file."""
    machine, counts, runs = result["machine"], result["feed_counts"], result["runs"]
    packages = ", ".join(f"{k} {v}" for k, v in machine["packages"].items())
    lines = (
        [
            f"## {result['rows']:,} rows",
            "",
            f"Feed `{result['feed']}`: {counts['leaf_rows']:,} leaf rows, {counts['rows']:,} rows in all "
            f"({counts['printed_totals']:,} printed totals), {counts['reports']:,} reports in "
            f"{counts['files']:,} files. {len(runs)} run(s)"
            + (
                f" of {result['runs_requested']} requested (the bench stopped after run {len(runs)})"
                if result.get("runs_requested", len(runs)) > len(runs)
                else ""
            )
            + (" (fewer than 3: not a median of 3, a development check only)" if len(runs) < 3 else "")
            + ".",
            "",
            f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['ram_gb']} GB RAM, {machine['os']}, "
            f"Python {machine['python']}; {packages}; DuckDB memory_limit "
            f"{machine['duckdb_settings']['memory_limit']}, {machine['duckdb_settings']['threads']} DuckDB "
            f"thread(s), {machine['duckdb_settings']['dbt_threads']} dbt thread(s); commit "
            f"`{machine['git_commit'][:12]}`; {machine['date']}. Load average at the start of each run: "
            + ", ".join(f"{r['load_average_at_start'][0]:.2f}" for r in runs)
            + " (other work on the machine inflates every number)."
            + _slices_sentence(runs, machine),
            "",
            "### Measures",
            "",
        ]
        + _measures_table(result)
        + ["", "### Ratios and targets", ""]
        + _ratios_table(result)
    )
    notes = []
    for r in runs:
        for engine in REFERENCES:
            if _get(r, engine, "out_of_memory"):
                notes.append(f"run {r['run']}: {r[engine]['out_of_memory']} (killed at the bench's cap)")
        if _get(r, "floor", "failed_tests"):
            notes.append(f"run {r['run']}: data tests failing in the floor: {r['floor']['failed_tests']}")
    if _get(runs[0], "floor", "skipped"):
        notes.append(
            f"engine floor not measured ({runs[0]['floor']['skipped']}): at this size the target is the "
            "full refresh completing within the memory limit"
        )
    skipped = _get(runs[0], "incremental", "skipped")
    if skipped:
        notes.append(f"incremental refresh not measured: {skipped}")
    for r in runs:
        if _get(r, "incremental", "failed"):
            notes.append(f"run {r['run']}: the incremental refresh FAILED ({r['incremental']['failed']})")
    equal, timed_only = [], []
    for engine, (name, possessive) in REFERENCES.items():
        compared = [_get(r, engine, "compared_equal") for r in runs]
        if any(c is True for c in compared):
            equal.append(possessive)
        elif any(c is None for c in compared) and _get(runs[0], engine, "wall_s"):
            timed_only.append(name)
    if equal:
        notes.append(
            _and(equal) + " funding_mix (all columns but n_source_findings), yoy_change and source-to-total "
            "sum checks were compared equal (to 0.001) with the refresh's marts"
        )
    if timed_only:
        notes.append(
            f"{_and(timed_only)} {'was' if len(timed_only) == 1 else 'were'} timed but not compared at this size "
            "(compared at ≤ 2M rows)"
        )
    if all(_get(r, "floor", "marts_equal") for r in runs):
        notes.append("every mart of the engine floor equals the refresh's published mart, in every run")
    if notes:
        lines += [""] + [f"- {n}." for n in notes]
    lines += ["", "### Where the time of a full refresh goes (synthetic feed)", ""] + _steps_table(
        result, "full_refresh"
    )
    slow = _get(runs[0], "floor", "slowest_models")
    if slow:
        lines += [
            "",
            "Slowest models in the engine floor (run 1, seconds): "
            + ", ".join(f"{name} {seconds:.1f}" for name, seconds in slow[:6])
            + ".",
        ]
    lines += _dbt_nodes(runs[0], "full_refresh")
    if _get(result["median"], "incremental", "steps_s"):
        lines += ["", "### Where the time of the incremental refresh goes", ""] + _steps_table(result, "incremental")
        lines += _dbt_nodes(runs[0], "incremental")
    if _get(result["median"], "real_data", "steps_s"):
        lines += [
            "",
            "### Where the time goes on the real data (committed sample feed + transcribed documents)",
            "",
            f"Full refresh: {_fmt(_get(result['median'], 'real_data', 'wall_s'))} s wall (median), peak RSS "
            f"{_fmt(_gb(_get(result['median'], 'real_data', 'peak_rss_bytes')))} GB.",
            "",
        ] + _steps_table(result, "real_data")
    return lines + [""]


INTRO = """# Benchmarks

Written by `make bench` (`benchmarks/run.py`, `benchmarks/report.py`) from every
`benchmarks/results/<rows>.json`; do not edit it by hand. Reproduce on this
machine with

```sh
make synthetic ROWS=10000000          # optional: the bench writes target/bench/feeds/<rows> itself
make bench ROWS=10000000 RUNS=3       # defaults ROWS=1000000 RUNS=3
make bench ROWS=50000000 RUNS=1 \\
  BENCH_ARGS="--skip-floor --skip-pandas --skip-sql --skip-polars --revise 0 --skip-real-data"
```

What each run measures, in one go (see docs/benchmarks.md):

- **full refresh**: `ntp refresh --full-refresh` on a fresh warehouse folder with the synthetic
  feed: wall, CPU (user + system of the whole process tree), peak RSS (the process tree summed,
  sampled every 0.1 s, and its largest process), rows/s; its steps timed from its progress lines;
- **engine floor**: the same compiled SQL (`dbt compile` with the refresh's run id, not timed) run
  directly in one DuckDB connection with the settings of profiles.yml: seeds, every model in DAG
  order, every data test; timed as a whole process (Python start and seed loading included). Its
  marts must equal the refresh's, else the bench fails;
- **incremental refresh**: 1 % of the feed's partitions rewritten (`ntp synthetic --revise
  0.01 --revision 1`), then `ntp refresh` on the same warehouse, right after the floor (as a
  nightly refresh follows the last one);
- **pandas**, after the incremental refresh (at 10M it fills memory up to its cap, which empties the
  page cache): `benchmarks/pandas_marts.py`, what an analyst would write instead: funding_mix,
  yoy_change and the source-to-total sum check from the same (revised) feed files and seed CSVs;
  compared equal (0.001) with the marts up to 2M rows; killed and recorded as out of memory above
  16 GB;
- **plain SQL** and **polars**, after pandas, the same way: the same three outputs written by hand
  as a script of `create table ... as select` in one in-memory DuckDB connection
  (`benchmarks/sql_marts.py`) and as polars lazy queries (`benchmarks/polars_marts.py`), each with
  its engine's defaults (every core); the ratios "full refresh / plain SQL" and "dbt build step /
  plain SQL" (likewise polars) say what the warehouse's build costs over the same answers computed
  directly;
- **real data**: one full refresh on the committed sample feed and the transcribed documents.

Medians of the runs; every ratio is computed within a run (pair by pair), then its median taken.
The targets of issue 11 are set for 10 million rows (50 million: completes within the memory limit);
at other sizes the verdicts are for information.
"""


SPARK_INTRO = """## Spark and DuckDB: the same dbt build on both engines

Written by `make bench-spark ROWS=<rows> RUNS=<runs>` (`benchmarks/spark_bench.py`) from every
`benchmarks/results/spark/<rows>.json`. Each run builds the project from scratch with `dbt build
--full-refresh` (every seed, model and test) first on Spark (dbt-spark session mode, Parquet tables),
then on DuckDB (the profile's settings), on the same synthetic feed as `make bench`; wall time and the
peak RSS of the whole process tree (dbt and, on Spark, the JVM). Spark / DuckDB is computed run by run,
then its median taken. Only `dbt build` is compared: preflight, docs, GX and the release are the
refresh's, on DuckDB (sections above).
"""


def spark_section(results: list[dict[str, Any]]) -> list[str]:
    """The engines' comparison: one row per feed size, then each size's machine and runs."""
    lines = [SPARK_INTRO]
    if not results:
        return lines + ["No Spark results yet: run `make bench-spark`.", ""]
    lines += [
        "| leaf rows | line items | runs | master | Spark (s) | Spark peak RSS (GB) | DuckDB (s) | "
        "DuckDB peak RSS (GB) | Spark / DuckDB | Spark runs (s) |",
        "|---:|---:|---:|---|---:|---:|---:|---:|---:|---|",
    ]
    for result in results:
        median, counts, runs = result["median"], result["feed_counts"], result["runs"]
        lines.append(
            f"| {counts['leaf_rows']:,} | {counts['rows']:,} | {len(runs)} | `{result['master']}` | "
            f"{_fmt(_get(median, 'spark', 'wall_s'))} | {_fmt(_gb(_get(median, 'spark', 'peak_rss_bytes')))} | "
            f"{_fmt(_get(median, 'duckdb', 'wall_s'))} | {_fmt(_gb(_get(median, 'duckdb', 'peak_rss_bytes')))} | "
            f"{_fmt(_get(median, 'ratios', 'spark_over_duckdb'))} | "
            + ", ".join(_fmt(_get(r, "spark", "wall_s")) for r in runs)
            + " |"
        )
    lines.append("")
    for result in results:
        machine, runs = result["machine"], result["runs"]
        packages = ", ".join(f"{k} {v}" for k, v in {**machine["packages"], **machine["spark_packages"]}.items())
        settings = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in machine.get("spark_settings", {}).items())
        lines.append(
            f"- {result['rows']:,} rows: feed `{result['feed']}`; {len(runs)} run(s)"
            + (" (fewer than 3: not a median of 3)" if len(runs) < 3 else "")
            + f"; {machine['cpu']}, {machine['cores']} cores, {machine['ram_gb']} GB RAM; {packages}; "
            + (f"Spark {settings} (the profile's defaults unless set in the environment); " if settings else "")
            + "DuckDB "
            + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in machine["duckdb_settings"].items())
            + "; "
            f"commit `{machine['git_commit'][:12]}`; {machine['date']}; load average at the start of "
            "each run " + ", ".join(f"{r['load_average_at_start'][0]:.2f}" for r in runs) + "."
        )
    return lines + [""]


def read_targets(path: Path = TARGETS_CSV) -> list[dict[str, str]]:
    """The declared targets; a line that cannot be judged is refused with its file, line and column."""
    allowed = {"statistic": {"median", "worst"}, "unit": {"s", "GB", "×"}, "comparator": {"le", "ge"}}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        targets = []
        for row in reader:
            for column, values in allowed.items():
                if row[column] not in values:
                    raise ValueError(
                        f"{path}:{reader.line_num}:{header.index(column) + 1}: {column} {row[column]!r} "
                        f"is not one of {sorted(values)}"
                    )
            try:
                float(row["target"]), int(row["rows"])
            except ValueError as error:
                raise ValueError(f"{path}:{reader.line_num}: target and rows are numbers ({error})") from None
            targets.append(row)
    return targets


def measured(result: dict[str, Any], target: dict[str, str]) -> float | None:
    """The target's value in a result file: the median, or the worst run (largest for ``le``)."""
    path = target["value"].split(".")
    if target["statistic"] == "median":
        value = _get(result["median"], *path)
    else:
        values = [v for v in (_get(run, *path) for run in result["runs"]) if isinstance(v, (int, float))]
        value = (max if target["comparator"] == "le" else min)(values) if values else None
    if value is None:
        return None
    return value / GB if target["unit"] == "GB" else float(value)


def _amount(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value:,.0f} s" if value >= 100 else f"{value:,.1f} s"
    return f"{value:,.2f} GB" if unit == "GB" else f"{value:,.2f}×"


def _distance(value: float, target: dict[str, str]) -> tuple[bool, str]:
    """Whether the target is met, and how far the value is from it."""
    goal, unit = float(target["target"]), target["unit"]
    if target["comparator"] == "le":
        if value <= goal:
            return True, "–"
        return False, f"{_amount(value - goal, unit)} over ({value / goal:.1f}× the target)"
    if value >= goal:
        return True, "–"
    return False, f"{goal / value:.1f}× short" if value > 0 else "not measured"


def _node_medians(runs_slowest: list[list[dict[str, Any]]]) -> dict[str, str]:
    """Each model's median seconds over the runs, from run logs that keep only the slowest nodes: a model
    missing from a run's log was faster than that log's last node (``< x``)."""
    floor = max((min(node["seconds"] for node in nodes) for nodes in runs_slowest if nodes), default=0.0)
    names = {node["node"] for nodes in runs_slowest for node in nodes if node["node"].startswith("model.")}
    medians: dict[str, str] = {}
    for name in names:
        values = [next((n["seconds"] for n in nodes if n["node"] == name), None) for nodes in runs_slowest]
        present = [v for v in values if v is not None]
        if len(present) == len(values):
            medians[name.rpartition(".")[2]] = f"{statistics.median(present):.1f}"
        else:
            medians[name.rpartition(".")[2]] = (
                f"{statistics.median(present):.1f} ({len(present)} of {len(values)} runs)"
            )
    medians["*"] = f"< {floor:.1f}"
    return medians


def models_before_and_now(result: dict[str, Any], baseline: dict[str, Any]) -> list[str]:
    """Every model over 10 s at 10M before (the baseline's run logs) or now, its median seconds in each."""
    before = _node_medians(baseline["dbt_slowest"])
    now = _node_medians([_get(run, "full_refresh", "dbt_slowest") or [] for run in result["runs"]])
    existing = {path.stem for path in MODELS_DIR.rglob("*.sql")}

    def seconds(medians: dict[str, str], name: str) -> float:
        return float(medians[name].split()[0]) if name in medians else 0.0

    slow = sorted(
        (name for name in set(before) | set(now) if name != "*"),
        key=lambda name: -max(seconds(before, name), seconds(now, name)),
    )
    lines = [
        "| model | before (s) | now (s) | change |",
        "|---|---:|---:|---:|",
    ]
    for name in slow:
        if max(seconds(before, name), seconds(now, name)) < SLOW_MODEL_S:
            continue
        old = before.get(name, "new" if name not in baseline.get("models", [name]) else before["*"])
        new = now.get(name, now["*"] if name in existing else "removed")
        change = (
            f"{(seconds(now, name) - seconds(before, name)) / seconds(before, name):+.0%}"
            if name in before and name in now
            else "–"
        )
        lines.append(f"| {name} | {old} | {new} | {change} |")
    return lines


def targets_section(
    results: list[dict[str, Any]], targets: list[dict[str, str]], baseline: dict[str, Any]
) -> list[str]:
    """Issue 31's targets: what was measured when it was filed, now (with the commit and runs), met or not, the
    remaining distance, and the cause of every target not met; then the models over 10 s at 10M."""
    by_rows = {result["rows"]: result for result in results}
    lines = [
        "## The targets of issue 31",
        "",
        "Each target read from the result file of its size (`benchmarks/targets.csv` declares them, with the "
        'cause of a target not met). "When filed" is what the issue measured. Memory is in GB of 2^30 bytes '
        "(GiB), here and below.",
        "",
        "| measure | when filed | now | measured at | target | verdict | remaining distance |",
        "|---|---|---|---|---|---|---|",
    ]
    causes = []
    for target in targets:
        result = by_rows.get(int(target["rows"]))
        value = measured(result, target) if result else None
        goal = ("≤ " if target["comparator"] == "le" else "≥ ") + _amount(float(target["target"]), target["unit"])
        if value is None:
            lines.append(f"| {target['measure']} | {target['when_filed']} | – | not measured | {goal} | – | – |")
            continue
        met, distance = _distance(value, target)
        runs = len(result["runs"])
        when = (
            f"`{result['machine']['git_commit'][:7]}`, {'median' if target['statistic'] == 'median' else 'worst'} "
            f"of {runs} run{'s' if runs > 1 else ''}"
        )
        lines.append(
            f"| {target['measure']} | {target['when_filed']} | {_amount(value, target['unit'])} | {when} | {goal} | "
            f"{'**met**' if met else '**not met**'} | {distance} |"
        )
        if not met:
            causes.append(f"- **{target['measure']}**: " + (target["cause"] or "cause not stated"))
    if causes:
        lines += ["", "Why a target is not met:", ""] + causes
    result = by_rows.get(int(baseline["rows"]))
    if result:
        lines += [
            "",
            f"### Models over {SLOW_MODEL_S:.0f} s at {baseline['rows']:,} rows, before and now",
            "",
            f"Before: commit `{baseline['commit'][:7]}` ({baseline['recorded_in']}), median of "
            f"{len(baseline['dbt_slowest'])} runs; its run logs kept the {baseline['top_nodes_recorded']} slowest "
            f"nodes, so a model not among them shows `< x`, and one the redesign added shows `new`. "
            f"Now: commit `{result['machine']['git_commit'][:7]}`, "
            f"median of {len(result['runs'])} run(s). A model the redesign replaced shows `removed`.",
            "",
        ] + models_before_and_now(result, baseline)
    return lines + [""]


def _results(folder: Path) -> list[dict[str, Any]]:
    return sorted((json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*.json")), key=lambda r: r["rows"])


def render(results_dir: Path) -> str:
    """The whole BENCHMARKS.md."""
    results = _results(results_dir)
    lines = [INTRO]
    if not results:
        lines.append("No results yet: run `make bench`.\n")
    else:
        baseline = json.loads(BASELINE_JSON.read_text(encoding="utf-8"))
        lines += targets_section(results, read_targets(), baseline)
    for result in results:
        lines += section(result)
    lines += spark_section(_results(results_dir / "spark"))
    return "\n".join(lines).rstrip() + "\n"


def write(results_dir: Path, markdown: Path) -> None:
    """Rewrite ``markdown`` from the results."""
    markdown.write_text(render(results_dir), encoding="utf-8")


if __name__ == "__main__":
    root = Path(__file__).resolve().parents[1]
    write(root / "benchmarks" / "results", root / "BENCHMARKS.md")
    sys.exit(0)
