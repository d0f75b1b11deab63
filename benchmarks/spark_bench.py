"""``make bench-spark``: the same dbt project built on Spark and on DuckDB, run by run, on the bench's feed.

For the synthetic feed of ``--rows`` leaf rows that ``make bench`` uses (:func:`benchmarks.run.ensure_feed`:
``feeds/synthetic`` when it is that feed, else ``target/bench/feeds/<rows>``), each run ``i`` of ``--runs``:

1. **Spark**: ``dbt build --target spark --full-refresh`` (every seed, model and test, dbt-spark session
   mode, master ``--master``, default ``local[2]``) into a fresh warehouse folder;
2. **DuckDB**: ``dbt build --full-refresh`` (the default target, the settings of profiles.yml) into a fresh
   file: the same command on the other engine, so the ratio is measured pair by pair in the same run.

Both are measured by :mod:`benchmarks.measure` (wall, CPU and peak RSS of the whole process tree: dbt and,
for Spark, the JVM it starts). The raw numbers go to ``benchmarks/results/spark/<rows>.json`` and
:mod:`benchmarks.report` rewrites ``BENCHMARKS.md`` (its Spark section lists every size measured).
A failed build stops the bench with its log's tail.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks import report
from benchmarks.common import PROJECT_DIR, BenchError, bench_env, feed_manifest, log_tail
from benchmarks.measure import run_measured
from benchmarks.run import ensure_feed, machine_facts, medians
from ntp_poverty.common.duckdb_connection import profile_setting

SPARK_DBT = PROJECT_DIR / ".venv-spark" / "bin" / "dbt"
DUCKDB_DBT = PROJECT_DIR / ".venv" / "bin" / "dbt"


def spark_versions(dbt: Path = SPARK_DBT) -> dict[str, str]:
    """pyspark, dbt-spark and dbt-core as installed in the Spark virtualenv (not importable from here)."""
    code = (
        "import json; from importlib.metadata import version; "
        "print(json.dumps({n: version(n) for n in ('pyspark', 'dbt-spark', 'dbt-core')}))"
    )
    out = subprocess.run([str(dbt.parent / "python"), "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


#: The Spark target's settings a run depends on: the environment variable, else profiles.yml's default.
SPARK_SETTINGS = {
    "driver_memory": "NTP_SPARK_DRIVER_MEMORY",
    "executor_memory": "NTP_SPARK_EXECUTOR_MEMORY",
    "shuffle_partitions": "NTP_SPARK_SHUFFLE_PARTITIONS",
    "dbt_threads": "NTP_DBT_THREADS",
}


def spark_settings() -> dict[str, str]:
    """What this bench's Spark builds run with (recorded beside the results)."""
    return {name: profile_setting(variable, target="spark") for name, variable in SPARK_SETTINGS.items()}


def _build(engine: str, command: list[str], env: dict[str, str], log: Path) -> dict[str, Any]:
    measurement = run_measured(command, env=env, cwd=PROJECT_DIR, log=log, interval=0.2)
    if measurement.returncode != 0:
        raise BenchError(f"the {engine} build failed (exit {measurement.returncode}); {log}:\n{log_tail(log)}")
    return {
        "wall_s": measurement.wall_s,
        "cpu_s": round(measurement.cpu_s, 3),
        "peak_rss_bytes": measurement.peak_rss_bytes,
    }


def one_run(index: int, feed: Path, work: Path, master: str) -> dict[str, Any]:
    """Build on Spark, then on DuckDB, each from scratch into ``work/run-<index>``."""
    run_dir = work / f"run-{index}"
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    load = list(os.getloadavg())
    print(f"[bench-spark run {index}] Spark dbt build on {master}", flush=True)
    spark = _build(
        "Spark",
        [
            str(SPARK_DBT),
            "build",
            "--target",
            "spark",
            "--full-refresh",
            "--target-path",
            str(run_dir / "spark-target"),
            "--log-path",
            str(run_dir / "spark-logs"),
        ],
        bench_env(NTP_FEEDS=str(feed), NTP_SPARK_MASTER=master, NTP_SPARK_WAREHOUSE=str(run_dir / "spark")),
        run_dir / "spark.log",
    )
    shutil.rmtree(run_dir / "spark", ignore_errors=True)
    print(f"[bench-spark run {index}] DuckDB dbt build", flush=True)
    duck = _build(
        "DuckDB",
        [
            str(DUCKDB_DBT),
            "build",
            "--full-refresh",
            "--target-path",
            str(run_dir / "duckdb-target"),
            "--log-path",
            str(run_dir / "duckdb-logs"),
        ],
        bench_env(NTP_FEEDS=str(feed), NTP_WAREHOUSE=str(run_dir / "ntp_poverty.duckdb")),
        run_dir / "duckdb.log",
    )
    shutil.rmtree(run_dir, ignore_errors=True)
    print(f"[bench-spark run {index}] Spark {spark['wall_s']:.1f} s, DuckDB {duck['wall_s']:.1f} s", flush=True)
    return {
        "run": index,
        "load_average_at_start": load,
        "spark": spark,
        "duckdb": duck,
        "ratios": {"spark_over_duckdb": round(spark["wall_s"] / duck["wall_s"], 3)},
    }


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``ntp bench-spark [--rows N] [--runs N] [--master URL]``."""
    parser.add_argument("--rows", type=int, default=1_000_000, help="leaf rows of the synthetic feed")
    parser.add_argument("--runs", type=int, default=3, help="runs (medians of at least 3 are reported)")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--work", type=Path, default=PROJECT_DIR / "target" / "bench", help="bench work folder")
    parser.add_argument("--results", type=Path, default=PROJECT_DIR / "benchmarks" / "results")
    parser.add_argument("--markdown", type=Path, default=PROJECT_DIR / "BENCHMARKS.md")


def run(args: argparse.Namespace) -> int:
    """Time the Spark and DuckDB builds; write the results and rewrite BENCHMARKS.md."""
    if args.runs < 1:
        print("ntp bench: error: --runs must be at least 1", file=sys.stderr)
        return 2
    if not SPARK_DBT.exists():
        print(f"ntp bench-spark: error: {SPARK_DBT} is missing: run `make spark-venv`", file=sys.stderr)
        return 2
    work = args.work.absolute()
    started = time.monotonic()
    try:
        feed = ensure_feed(args.rows, work)
        facts = machine_facts() | {"spark_packages": spark_versions(), "spark_settings": spark_settings()}
        runs = [one_run(i, feed, work / "spark" / str(args.rows), args.master) for i in range(1, args.runs + 1)]
    except BenchError as exc:
        print(f"[bench-spark] FAILED: {exc}", file=sys.stderr)
        return 1
    result = {
        "rows": args.rows,
        "master": args.master,
        "feed": str(feed.relative_to(PROJECT_DIR) if feed.is_relative_to(PROJECT_DIR) else feed),
        "feed_counts": feed_manifest(feed)["counts"],
        "machine": facts,
        "runs": runs,
        "median": medians(runs, keep=("spark", "duckdb", "ratios")),
        "bench_seconds": round(time.monotonic() - started, 1),
    }
    folder = args.results / "spark"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{args.rows}.json"
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    report.write(args.results, args.markdown)
    print(f"[bench-spark] results in {path}; {args.markdown} rewritten from {args.results}")
    return 0
