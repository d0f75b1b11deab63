"""``make bench``: the refresh against its engine floor, what an analyst would write instead (pandas,
plain SQL, polars) and its incremental self, run by run.

For a synthetic feed of ``--rows`` leaf rows (``feeds/synthetic`` when its manifest was written with
those rows, seed 42 and 5 errors and never revised; otherwise the generator writes
``target/bench/feeds/<rows>``), each run ``i`` of ``--runs`` does, in this order, in a fresh folder
``target/bench/<rows>/run-<i>/`` with its own hard-linked copy of the feed:

1. **full refresh**: ``ntp refresh --warehouse run-<i>/warehouse/ntp_poverty.duckdb`` (with
   ``--full-refresh`` when the refresh has that flag), measured (:mod:`benchmarks.measure`): wall,
   CPU of the process tree, peak RSS of the tree and of its largest process, rows/s; the refresh's
   own progress lines, timed as they arrive, say where the time went (preflight, dbt build, docs,
   GX, report, release);
2. **engine floor**: ``dbt compile`` with the refresh's run id and commit (not timed), then the
   compiled SQL in one DuckDB connection (:mod:`benchmarks.floor`), measured the same way; every
   mart must equal the refresh's published mart, or the bench fails;
3. **incremental refresh**: ``--revise`` of the partitions rewritten in the run's copy of the feed
   (``ntp synthetic --revise``, revision 1, so every run revises the same partitions), then
   ``ntp refresh`` on the same warehouse (the refresh's default), measured;
4. **pandas** (:mod:`benchmarks.pandas_marts`), then **plain SQL** (:mod:`benchmarks.sql_marts`, one
   DuckDB connection) and **polars** (:mod:`benchmarks.polars_marts`), the same outputs from the same
   (revised) feed files and seed CSVs, each measured, killed and recorded as out of memory above
   ``--pandas-memory-gb``; each compared with the published marts up to ``--compare-pandas-max-rows``
   (outside its measure);
5. the **real data** (the committed sample feed with the transcribed documents): one full refresh,
   for where the time of a refresh goes when the data is small.

Ratios are computed pair by pair within a run, then their median is taken. The raw numbers and the
machine's facts go to ``benchmarks/results/<rows>.json``; :mod:`benchmarks.report` rewrites
``BENCHMARKS.md`` from every result file present.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks import report
from benchmarks.common import (
    LABELS,
    OUTPUTS,
    PROJECT_DIR,
    BenchError,
    bench_env,
    compare_outputs,
    feed_manifest,
    log_tail,
)
from benchmarks.floor import compare_marts, compile_project
from benchmarks.measure import Measurement, run_measured
from ntp_poverty.build.slices import sliced_threads
from ntp_poverty.common.duckdb_connection import profile_setting

PYTHON = Path(sys.executable)
NTP = PYTHON.parent / "ntp"  # the package's command, installed beside this interpreter
GB = 1024**3
#: What an analyst would write instead, in the order they run: the key of their results, their module.
REFERENCES = (
    ("pandas", "benchmarks.pandas_marts"),
    ("sql", "benchmarks.sql_marts"),
    ("polars", "benchmarks.polars_marts"),
)
#: A reference's log that says it ran out of memory (Python's, DuckDB's, a Rust allocation's).
OUT_OF_MEMORY = ("MemoryError", "Out of Memory Error", "memory allocation of")
STEPS = (  # progress line of the refresh -> the step it starts (first match wins)
    ("copying the published file", "preflight"),  # the copy starts in the background
    ("waiting for the copy", "copy"),
    ("assembling release", "release"),
    ("published release", "finish"),
    ("dbt docs", "docs"),
    ("dbt build", "dbt_build"),
    ("dbt ", "dbt_build"),
    ("preflight", "preflight"),
    ("Great Expectations", "gx"),
    ("HTML report", "report"),
)


def _is_standard(manifest: dict[str, Any] | None, rows: int) -> bool:
    if manifest is None or manifest.get("revisions"):
        return False
    arguments = manifest["arguments"]
    return (
        arguments.get("rows") == rows
        and arguments.get("seed") == 42
        and arguments.get("errors") == 5
        and not any(
            arguments.get(k) for k in ("provinces", "years", "months", "max_units_per_level", "no_policy_credit")
        )
        and arguments.get("format") == "parquet"
    )


def ensure_feed(rows: int, work: Path) -> Path:
    """The synthetic feed of ``rows`` rows (seed 42, 5 errors): feeds/synthetic if it is one, else
    target/bench/feeds/<rows>, written by the generator when missing or different."""
    standard = PROJECT_DIR / "feeds" / "synthetic"
    if _is_standard(feed_manifest(standard), rows):
        return standard
    feed = work / "feeds" / str(rows)
    if not _is_standard(feed_manifest(feed), rows):
        print(f"[bench] writing the synthetic feed of {rows:,} rows into {feed}", flush=True)
        subprocess.run(
            [str(NTP), "synthetic", "--rows", str(rows), "--out", str(feed), "--seed", "42", "--errors", "5"],
            cwd=PROJECT_DIR,
            env=bench_env(),
            check=True,
        )
    return feed


def link_copy(source: Path, destination: Path) -> None:
    """A copy of the feed whose files are hard links (the revision replaces files, never edits them)."""

    def link(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(source, destination, copy_function=link)


def refresh_flags() -> set[str]:
    """The options ``ntp refresh --help`` offers (to know whether --full-refresh exists yet)."""
    out = subprocess.run(
        [str(NTP), "refresh", "--help"], cwd=PROJECT_DIR, env=bench_env(), capture_output=True, text=True, check=False
    ).stdout
    return {word.strip("[],") for word in out.split() if word.startswith(("--", "[--"))}


def _step_spans(measurement: Measurement) -> list[tuple[float, float, str]]:
    """(start, end, step) of each refresh step, from the arrival times of its ``[refresh HH:MM:SS]`` lines."""
    marks = [(0.0, "startup")]
    for offset, line in measurement.lines:
        if not line.startswith("[refresh "):
            continue
        message = line.split("] ", 1)[-1]
        step = next((name for key, name in STEPS if key in message), None)
        if step is not None and step != marks[-1][1]:
            marks.append((offset, step))
    return [(start, end, name) for (start, name), (end, _) in zip(marks, marks[1:] + [(measurement.wall_s, "end")])]


def step_times(measurement: Measurement) -> dict[str, float]:
    """Seconds per refresh step."""
    times: dict[str, float] = {}
    for start, end, name in _step_spans(measurement):
        times[name] = round(times.get(name, 0.0) + end - start, 3)
    return times


def step_peaks(measurement: Measurement) -> dict[str, int]:
    """The peak summed RSS of the process tree (bytes) during each refresh step: where the memory goes."""
    peaks: dict[str, int] = {}
    for start, end, name in _step_spans(measurement):
        inside = [rss for offset, rss in measurement.rss_timeline if start <= offset < end]
        if inside:
            peaks[name] = max(peaks.get(name, 0), *inside)
    return peaks


def _last_run(warehouse: Path) -> dict[str, Any]:
    lines = (warehouse.parent / "refresh_runs.jsonl").read_text(encoding="utf-8").splitlines()
    return json.loads(lines[-1])


def _dbt_times(record: dict[str, Any]) -> dict[str, Any]:
    """Where the refresh's dbt build spent its time, from its run log line (seconds per resource type,
    the slowest nodes)."""
    return {"dbt_seconds": record.get("dbt_seconds", {}), "dbt_slowest": record.get("dbt_slowest", [])}


def _refresh(warehouse: Path, feed: Path, log: Path, flags: list[str]) -> tuple[Measurement, dict[str, Any]]:
    measurement = run_measured(
        [str(NTP), "refresh", "--warehouse", str(warehouse), *flags],
        env=bench_env(NTP_FEEDS=str(feed)),
        cwd=PROJECT_DIR,
        log=log,
    )
    if measurement.returncode != 0:
        raise BenchError(f"the refresh exited {measurement.returncode}; see {log}")
    return measurement, _last_run(warehouse)


def _summary(measurement: Measurement, rows: dict[str, int] | None = None) -> dict[str, Any]:
    data = measurement.as_dict()
    del data["command"]
    if rows:
        data["leaf_rows_per_s"] = round(rows["leaf_rows"] / measurement.wall_s)
        data["rows_per_s"] = round(rows["rows"] / measurement.wall_s)
    return data


def one_run(
    index: int, rows: int, base_feed: Path, work: Path, options: argparse.Namespace, flags: set[str]
) -> dict[str, Any]:
    """Full refresh, floor, incremental, pandas and the real data, measured; returns the run's numbers."""
    run_dir = work / str(rows) / f"run-{index}"
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    feed = run_dir / "feed"
    link_copy(base_feed, feed)
    counts = feed_manifest(base_feed)["counts"]
    result: dict[str, Any] = {
        "run": index,
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "load_average_at_start": os.getloadavg(),
    }
    warehouse = run_dir / "warehouse" / "ntp_poverty.duckdb"

    say = lambda message: print(f"[bench {rows:,} run {index}] {message}", flush=True)  # noqa: E731
    full_flags = ["--full-refresh"] if "--full-refresh" in flags else []
    say("full refresh " + " ".join(full_flags))
    full, record = _refresh(warehouse, feed, run_dir / "refresh_full.log", full_flags)
    result["full_refresh"] = (
        _summary(full, counts)
        | {
            "steps_s": step_times(full),
            "steps_peak_rss_bytes": step_peaks(full),
            "run_id": record["run_id"],
            "mart_rows": record.get("mart_rows", {}),
            "slice_partitions": record.get("slice_partitions", []),
        }
        | _dbt_times(record)
    )
    say(f"full refresh {full.wall_s} s, peak RSS {full.peak_rss_bytes / GB:.2f} GB")

    floor_dir = run_dir / "floor"
    floor_db = floor_dir / "ntp_poverty.duckdb"
    if options.skip_floor:
        result["floor"] = {"skipped": "--skip-floor"}
    else:
        say("engine floor: dbt compile (not timed)")
        manifest = compile_project(
            floor_dir / "target", floor_db, feed, {"run_id": record["run_id"], "git_commit": record["git_commit"]}
        )
        say("engine floor: compiled SQL in one DuckDB connection")
        floor = run_measured(
            [
                str(PYTHON),
                "-m",
                "benchmarks.floor",
                "--manifest",
                str(manifest),
                "--database",
                str(floor_db),
                "--out",
                str(floor_dir / "floor.json"),
            ],
            env=bench_env(),
            cwd=PROJECT_DIR,
            log=run_dir / "floor.log",
        )
        if floor.returncode != 0:
            raise BenchError(f"the engine floor failed (exit {floor.returncode}); see {run_dir / 'floor.log'}")
        inner = json.loads((floor_dir / "floor.json").read_text(encoding="utf-8"))
        differences = compare_marts(floor_db, warehouse.resolve())
        if differences:
            raise BenchError("the engine floor's marts differ from the refresh's:\n" + "\n".join(differences))
        result["floor"] = (
            _summary(floor, counts)
            | {
                k: inner[k]
                for k in (
                    "seeds_s",
                    "models_s",
                    "tests_s",
                    "checkpoint_s",
                    "total_s",
                    "models",
                    "tests",
                    "failed_tests",
                    "slowest_models",
                    "settings",
                )
            }
            | {"marts_equal": True}
        )
        say(f"floor {floor.wall_s} s; marts equal")

    warehouse_is_current = True  # the published warehouse has refreshed the feed as it is now
    if options.revise > 0 and "--full-refresh" in flags:
        say(f"incremental refresh after revising {options.revise:.0%} of the partitions")
        revised = subprocess.run(
            [str(NTP), "synthetic", "--revise", str(options.revise), "--revision", "1", "--out", str(feed)],
            cwd=PROJECT_DIR,
            env=bench_env(),
            capture_output=True,
            text=True,
            check=False,
        )
        if revised.returncode != 0:
            raise BenchError(f"the revision failed: {revised.stderr[-2000:]}")
        log = run_dir / "refresh_incremental.log"
        incremental = run_measured(
            [str(NTP), "refresh", "--warehouse", str(warehouse)],
            env=bench_env(NTP_FEEDS=str(feed)),
            cwd=PROJECT_DIR,
            log=log,
        )
        files = feed_manifest(feed)["revisions"][-1]["files"]
        result["incremental"] = _summary(incremental) | {
            "steps_s": step_times(incremental),
            "steps_peak_rss_bytes": step_peaks(incremental),
            "revised_partitions": len(files),
        }
        if incremental.returncode != 0:
            # a failed incremental refresh is a finding of the bench, not a reason to lose the run's numbers
            result["incremental"] |= {
                "failed": f"the refresh exited {incremental.returncode}: {_failure(log)}",
                "wall_s": None,
            }
            say(result["incremental"]["failed"])
            warehouse_is_current = False
        else:
            last = _last_run(warehouse)
            result["incremental"] |= {"run_id": last["run_id"]} | _dbt_times(last)
            say(f"incremental refresh {incremental.wall_s} s ({len(files)} partitions revised)")
    else:
        result["incremental"] = {
            "skipped": "ntp refresh has no --full-refresh (no incremental refresh yet)"
            if options.revise > 0
            else "--revise 0"
        }

    # pandas last (then plain SQL and polars): at 10M it fills memory up to its cap, which empties the
    # page cache that the incremental refresh's copy of the published file reads (a nightly refresh
    # follows the last one; a run of pandas before it had made its copy wait 85 s). They read the feed
    # as revised, and the warehouse they are compared with has refreshed that revision.
    compared = rows <= options.compare_pandas_max_rows and warehouse_is_current
    for engine, module in REFERENCES:
        if not getattr(options, f"skip_{engine}"):
            say(LABELS[engine])
            result[engine], summary = _reference(
                engine, module, feed, run_dir, counts, options, warehouse if compared else None
            )
            say(summary)

    if not options.skip_real_data:
        say("the real data: full refresh on the committed sample feed and the transcribed documents")
        real, _ = _refresh(
            run_dir / "real" / "ntp_poverty.duckdb",
            PROJECT_DIR / "feeds" / "sample",
            run_dir / "refresh_real.log",
            full_flags,
        )
        result["real_data"] = _summary(real) | {"steps_s": step_times(real)}

    result["ratios"] = ratios(result)
    if not options.keep:
        for heavy in (floor_db, floor_dir / "target", run_dir / "warehouse" / "releases", run_dir / "real", feed):
            _remove(heavy)
    return result


def _reference(
    engine: str,
    module: str,
    feed: Path,
    run_dir: Path,
    counts: dict[str, int],
    options: argparse.Namespace,
    warehouse: Path | None,
) -> tuple[dict[str, Any], str]:
    """One analyst's reference (``python -m <module>``), measured, killed at the memory cap; its outputs
    compared with ``warehouse``'s marts afterwards (None: not compared), or the bench fails. Returns its
    numbers and a line that says them."""
    label, out, log = LABELS[engine], run_dir / engine, run_dir / f"{engine}.log"
    measured = run_measured(
        [str(PYTHON), "-m", module, "--feed", str(feed), "--out", str(out)],
        env=bench_env(),
        cwd=PROJECT_DIR,
        log=log,
        memory_cap_bytes=int(options.pandas_memory_gb * GB),
    )
    entry = _summary(measured, counts)
    if (
        measured.killed_at_cap
        or measured.returncode in (-9, 137)
        or any(message in log_tail(log) for message in OUT_OF_MEMORY)
    ):
        entry["out_of_memory"] = f"{label} ran out of memory at {measured.peak_rss_bytes / GB:.1f} GB"
        summary = entry["out_of_memory"]
    elif measured.returncode != 0:
        raise BenchError(f"{label} failed (exit {measured.returncode}); see {log}")
    else:
        entry |= json.loads((out / "timings.json").read_text(encoding="utf-8"))
        if warehouse is not None:
            import pandas as pd  # noqa: PLC0415

            outputs = {name: pd.read_parquet(out / f"{name}.parquet") for name in OUTPUTS}
            differences = compare_outputs(outputs, warehouse.resolve(), engine)
            if differences:
                raise BenchError(f"{label} differs from the marts:\n" + "\n".join(differences))
            entry["compared_equal"] = True
        else:
            entry["compared_equal"] = None
        summary = f"{label} {measured.wall_s} s, peak RSS {measured.peak_rss_bytes / GB:.2f} GB"
    shutil.rmtree(out, ignore_errors=True)
    return entry, summary


def _remove(path: Path) -> None:
    if not path.exists():
        return
    for root, dirs, _ in os.walk(path):
        for name in dirs:
            os.chmod(os.path.join(root, name), 0o755)  # sealed releases are read-only folders
    shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink()


def _failure(log: Path) -> str:
    """The first error line of a refresh's log (dbt's or the refresh's own), else its last line."""
    lines = [line.strip() for line in log.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()]
    errors = [line for line in lines if "Error" in line or "error" in line.split(":", 1)[0]]
    return (errors or lines or ["(empty log)"])[0][:300]


def ratios(result: dict[str, Any]) -> dict[str, float | None]:
    """The ratios of one run (pairs measured in the same run)."""
    full, floor = result["full_refresh"], result.get("floor") or {}
    pandas = result.get("pandas") or {}
    incremental = result.get("incremental") or {}
    dbt_build = full["steps_s"].get("dbt_build")
    return {
        "full_over_floor": round(full["wall_s"] / floor["wall_s"], 3) if floor.get("wall_s") else None,
        "dbt_build_over_floor": round(dbt_build / floor["wall_s"], 3) if dbt_build and floor.get("wall_s") else None,
        "pandas_over_full": round(pandas["wall_s"] / full["wall_s"], 3)
        if pandas.get("wall_s") and not pandas.get("out_of_memory")
        else None,
        "pandas_over_floor": round(pandas["wall_s"] / floor["wall_s"], 3)
        if pandas.get("wall_s") and not pandas.get("out_of_memory") and floor.get("wall_s")
        else None,
        "incremental_over_full": round(incremental["wall_s"] / full["wall_s"], 3)
        if incremental.get("wall_s")
        else None,
    } | {
        key: value
        for engine in ("sql", "polars")
        for key, value in _over_reference(full["wall_s"], dbt_build, result.get(engine) or {}, engine).items()
    }


def _over_reference(full_s: float, dbt_build_s: float | None, entry: dict[str, Any], engine: str) -> dict[str, Any]:
    """The full refresh and its dbt build step over a reference's wall time (None: not measured, or out
    of memory)."""
    wall = entry.get("wall_s") if not entry.get("out_of_memory") else None
    return {
        f"full_over_{engine}": round(full_s / wall, 3) if wall else None,
        f"dbt_build_over_{engine}": round(dbt_build_s / wall, 3) if wall and dbt_build_s else None,
    }


def _git_commit() -> str:
    """The checkout's commit, read from .git (no git command)."""
    git = PROJECT_DIR / ".git"
    try:
        head = (git / "HEAD").read_text(encoding="utf-8").strip()
        if not head.startswith("ref: "):
            return head
        ref = head[5:]
        if (git / ref).exists():
            return (git / ref).read_text(encoding="utf-8").strip()
        for line in (git / "packed-refs").read_text(encoding="utf-8").splitlines():
            if line.endswith(" " + ref):
                return line.split()[0]
    except OSError:
        pass
    return "unknown"


def machine_facts() -> dict[str, Any]:
    """CPU, cores, RAM, OS, Python and the engine's versions, the commit and the date."""
    from importlib.metadata import version  # noqa: PLC0415

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    memory = next(
        int(line.split()[1]) * 1024
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    packages = {name: version(name) for name in ("duckdb", "dbt-core", "dbt-duckdb", "pandas", "pyarrow", "polars")}
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": round(memory / GB, 1),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "packages": packages,
        "git_commit": _git_commit(),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "duckdb_settings": {
            "memory_limit": profile_setting("NTP_DUCKDB_MEMORY_LIMIT"),
            "threads": profile_setting("NTP_DUCKDB_THREADS"),
            "sliced_threads": str(sliced_threads()),  # a sliced build's passes (ntp_poverty.build.slices)
            "dbt_threads": profile_setting("NTP_DBT_THREADS"),
        },
    }


def medians(
    runs: list[dict[str, Any]],
    keep: tuple[str, ...] = ("full_refresh", "floor", "pandas", "sql", "polars", "incremental", "real_data", "ratios"),
) -> dict[str, Any]:
    """Median of every number of the runs under the keys ``keep``, by the same path (ratios: the median
    of the per-run ratios)."""

    def walk(values: list[Any]) -> Any:
        first = values[0]
        if isinstance(first, bool) or first is None:
            return first
        if isinstance(first, (int, float)):
            numbers = [v for v in values if isinstance(v, (int, float))]
            return round(statistics.median(numbers), 3) if numbers else None
        if isinstance(first, dict):
            keys = [k for k in first if all(isinstance(v, dict) and k in v for v in values)]
            return {k: walk([v[k] for v in values]) for k in keys}
        return None

    return {k: walk([r[k] for r in runs]) for k in keep if all(k in r for r in runs)}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``ntp bench [--rows N] [--runs N] [...]``."""
    parser.add_argument("--rows", type=int, default=1_000_000, help="leaf rows of the synthetic feed")
    parser.add_argument("--runs", type=int, default=3, help="runs (medians of at least 3 are reported)")
    parser.add_argument("--work", type=Path, default=PROJECT_DIR / "target" / "bench", help="bench work folder")
    parser.add_argument("--results", type=Path, default=PROJECT_DIR / "benchmarks" / "results")
    parser.add_argument("--markdown", type=Path, default=PROJECT_DIR / "BENCHMARKS.md")
    parser.add_argument("--revise", type=float, default=0.01, help="fraction of partitions revised (0: no incremental)")
    parser.add_argument(
        "--pandas-memory-gb",
        type=float,
        default=16.0,
        help="kill pandas (plain SQL, polars) above this RSS and record it as out of memory",
    )
    parser.add_argument(
        "--compare-pandas-max-rows",
        type=int,
        default=2_000_000,
        help="compare pandas (plain SQL, polars) with the marts up to this feed size",
    )
    parser.add_argument(
        "--skip-floor",
        action="store_true",
        help="no engine floor (for 50M rows: the full refresh within the memory limit is the target)",
    )
    parser.add_argument("--skip-pandas", action="store_true")
    parser.add_argument("--skip-sql", action="store_true", help="no plain SQL reference (benchmarks/sql_marts.py)")
    parser.add_argument("--skip-polars", action="store_true", help="no polars reference (benchmarks/polars_marts.py)")
    parser.add_argument("--skip-real-data", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep each run's warehouses and feed copy")


def run(args: argparse.Namespace) -> int:
    """Run the bench; write the results and rewrite BENCHMARKS.md."""
    if args.runs < 1:
        print("ntp bench: error: --runs must be at least 1", file=sys.stderr)
        return 2
    work = args.work.absolute()
    started = time.monotonic()
    runs: list[dict[str, Any]] = []
    try:
        feed = ensure_feed(args.rows, work)
        flags = refresh_flags()
        facts = machine_facts()
        for index in range(1, args.runs + 1):
            runs.append(one_run(index, args.rows, feed, work, args, flags))
            # written after every run: a bench stopped part way keeps the runs it finished
            path = write_results(args, feed, flags, facts, runs, started)
    except BenchError as exc:
        print(f"[bench] FAILED: {exc}", file=sys.stderr)
        return 1
    print(f"[bench] results in {path}; {args.markdown} rewritten from {args.results}/*.json")
    return 0


def write_results(
    args: argparse.Namespace,
    feed: Path,
    flags: set[str],
    facts: dict[str, Any],
    runs: list[dict[str, Any]],
    started: float,
) -> Path:
    """Write ``<results>/<rows>.json`` for the runs so far and rewrite the Markdown from every result."""
    result = {
        "rows": args.rows,
        "feed": str(feed.relative_to(PROJECT_DIR) if feed.is_relative_to(PROJECT_DIR) else feed),
        "feed_counts": feed_manifest(feed)["counts"],
        "runs_requested": args.runs,
        "revise": args.revise,
        "refresh_has_full_refresh_flag": "--full-refresh" in flags,
        "machine": facts,
        "runs": runs,
        "median": medians(runs),
        "bench_seconds": round(time.monotonic() - started, 1),
    }
    args.results.mkdir(parents=True, exist_ok=True)
    path = args.results / f"{args.rows}.json"
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    report.write(args.results, args.markdown)
    return path
