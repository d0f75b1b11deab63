"""The benchmark's parts measure and compare what they claim (no timing is asserted): the process-tree
sampler, the engine floor against a dbt build, pandas, plain SQL and polars against the marts, the feed
revision mode, and the incremental refresh against a full refresh of the revised feed."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

from benchmarks import floor, pandas_marts, polars_marts, report, sql_marts  # the root is on pythonpath
from benchmarks.common import LABELS, OUTPUTS, to_pandas
from benchmarks.measure import run_measured
from benchmarks.run import link_copy, medians, ratios, step_peaks, step_times
from conftest import BIN, ROOT, run_dbt, run_vars
from ntp_poverty.cli import main as ntp
from ntp_poverty.validate.feeds import validate

REFERENCE = ROOT / "seeds" / "reference"
MB = 1024**2
GB = 1024**3
TINY = ["--rows", "2000", "--provinces", "11,93", "--years", "2022,2023", "--seed", "42", "--errors", "2"]


def _machine(memory_limit: str) -> dict[str, object]:
    """The machine facts of a results file written for a test of the report."""
    return {
        "cpu": "x",
        "cores": 2,
        "ram_gb": 24,
        "os": "Linux",
        "python": "3.11",
        "packages": {"duckdb": "2"},
        "git_commit": "abc",
        "date": "today",
        "duckdb_settings": {"memory_limit": memory_limit, "threads": "1", "dbt_threads": "1"},
    }


def _feed(out: Path, *args: str) -> dict:
    assert ntp(["synthetic", "--out", str(out), *args]) == 0
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def _bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- the sampler ---------------------------------------------------------------------------------

ALLOCATE = (
    "import time; block = bytearray({mb} * 1024 * 1024); block[::4096] = b'x' * len(block[::4096]); time.sleep(0.8)"
)


def test_the_sampler_measures_a_child_that_allocates(tmp_path: Path) -> None:
    measured = run_measured([sys.executable, "-c", ALLOCATE.format(mb=300)], log=tmp_path / "log")
    assert measured.returncode == 0 and not measured.killed_at_cap
    assert measured.peak_rss_bytes >= 290 * MB and measured.peak_single_rss_bytes >= 290 * MB
    assert measured.wall_s >= 0.8 and measured.cpu_s > 0 and measured.samples >= 3


def test_the_sampler_sums_the_process_tree_and_kills_at_its_cap(tmp_path: Path) -> None:
    grandchild = (
        f"import subprocess, sys; subprocess.run([sys.executable, '-c', {ALLOCATE.format(mb=200)!r}]); "
        + ALLOCATE.format(mb=150).replace("time.sleep(0.8)", "")
    )
    two = (
        f"import subprocess, sys; p = subprocess.Popen([sys.executable, '-c', {ALLOCATE.format(mb=200)!r}]); "
        f"{ALLOCATE.format(mb=150)}; p.wait()"
    )
    measured = run_measured([sys.executable, "-c", two])
    assert measured.returncode == 0
    assert measured.peak_rss_bytes >= 340 * MB  # both processes at once
    assert 190 * MB <= measured.peak_single_rss_bytes < measured.peak_rss_bytes
    capped = run_measured([sys.executable, "-c", grandchild], memory_cap_bytes=100 * MB)
    assert capped.killed_at_cap and capped.returncode != 0


def test_the_steps_of_a_refresh_are_read_from_its_timed_lines(tmp_path: Path) -> None:
    script = (
        "import time\n"
        "for line in ['run x: preflight before building', 'preflight: ok', 'dbt build into the candidate',"
        " 'dbt docs generate', 'Great Expectations checkpoint', 'assembling release x', 'published release x']:\n"
        "    print('[refresh 00:00:00] ' + line, flush=True); time.sleep(0.2)\n"
    )
    measured = run_measured([sys.executable, "-c", script], log=tmp_path / "log")
    steps = step_times(measured)
    assert list(steps) == ["startup", "preflight", "dbt_build", "docs", "gx", "release", "finish"]
    assert 0.3 <= steps["preflight"] <= 1.0 and sum(steps.values()) == pytest.approx(measured.wall_s, abs=0.01)


def test_an_incremental_refresh_shows_the_wait_for_its_candidate_copy(tmp_path: Path) -> None:
    """The copy runs in the background from before the preflight: its start line (which names dbt parse)
    is the preflight's, and what is left of it after the preflight is its own step."""
    script = (
        "import time\n"
        "for line in ['run x: preflight before building', 'copying the published file into the candidate "
        "(6 MB), meanwhile the preflight and dbt parse', 'preflight: ok', 'waiting for the copy of the "
        "published file (dbt parse meanwhile)', 'the candidate is a copy of the published file', "
        "'dbt build into the candidate', 'published release x']:\n"
        "    print('[refresh 00:00:00] ' + line, flush=True); time.sleep(0.2)\n"
    )
    steps = step_times(run_measured([sys.executable, "-c", script], log=tmp_path / "log"))
    assert list(steps) == ["startup", "preflight", "copy", "dbt_build", "finish"]
    assert steps["preflight"] >= 0.5 and 0.3 <= steps["copy"] <= 1.0


def test_the_memory_of_a_refresh_is_told_step_by_step(tmp_path: Path) -> None:
    # 300 MB held during the dbt build only: that step's peak shows it, the next one does not
    script = (
        "import time\n"
        "print('[refresh 00:00:00] preflight: ok', flush=True); time.sleep(0.5)\n"
        "print('[refresh 00:00:00] dbt build into the candidate', flush=True)\n"
        "block = bytearray(300 * 1024 * 1024); block[::4096] = b'x' * len(block[::4096]); time.sleep(1.0)\n"
        "del block; time.sleep(0.3)\n"
        "print('[refresh 00:00:00] dbt docs generate', flush=True); time.sleep(0.8)\n"
    )
    measured = run_measured([sys.executable, "-c", script], log=tmp_path / "log")
    peaks = step_peaks(measured)
    assert set(peaks) >= {"preflight", "dbt_build", "docs"}
    assert peaks["dbt_build"] - peaks["docs"] > 250 * 1024**2
    assert max(peaks.values()) == measured.peak_rss_bytes


# --- the floor, pandas, plain SQL and polars against a dbt build of a tiny feed ----------------------


@pytest.fixture(scope="module")
def tiny_build(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A tiny synthetic feed, a dbt build of it, and the engine floor of the same compiled project."""
    work = tmp_path_factory.mktemp("bench")
    feed = work / "feed"
    _feed(feed, *TINY)
    warehouse = work / "dbt" / "ntp_poverty.duckdb"
    env_feeds = {"NTP_FEEDS": str(feed)}
    with pytest.MonkeyPatch.context() as patch:
        for key, value in env_feeds.items():
            patch.setenv(key, value)
        built = run_dbt(["build", "--full-refresh"], warehouse, work / "dbt", **run_vars(run_id="tiny", git_commit="c"))
        assert built.returncode == 0, built.stdout[-4000:]
        floor_db = work / "floor" / "ntp_poverty.duckdb"
        manifest = floor.compile_project(
            work / "floor" / "target", floor_db, feed, {"run_id": "tiny", "git_commit": "c"}, dbt=BIN / "dbt"
        )
        result = floor.run_floor(manifest, floor_db)
    assert result.models > 40 and result.tests > 300 and result.seeds > 10
    assert result.failed_tests == {}
    return {"feed": feed, "warehouse": warehouse, "floor": floor_db, "work": work}


@pytest.mark.slow
@pytest.mark.exhaustive  # the benchmark's tools on a dbt build of their own: make test-all
def test_the_floor_reproduces_the_marts_of_a_dbt_build(tiny_build: dict[str, Path]) -> None:
    assert (
        floor.compare_marts(
            tiny_build["floor"],
            tiny_build["warehouse"],
            ("marts", "core", "audit"),
            ignore_columns={"audit.warehouse_build": {"built_at"}},
        )
        == []
    )


@pytest.mark.slow
@pytest.mark.exhaustive  # the benchmark's tools on a dbt build of their own: make test-all
def test_a_mart_that_differs_fails_the_comparison(tiny_build: dict[str, Path], tmp_path: Path) -> None:
    broken = tmp_path / "broken.duckdb"
    shutil.copy(tiny_build["floor"], broken)
    with duckdb.connect(str(broken)) as con:
        con.execute(
            "update marts.funding_mix set central_budget = central_budget + 1 "
            "where rowid = (select min(rowid) from marts.funding_mix)"
        )
        con.execute("delete from marts.yoy_change where rowid = (select min(rowid) from marts.yoy_change)")
    differences = floor.compare_marts(broken, tiny_build["warehouse"])
    assert [d.split(":")[0] for d in differences] == ["marts.funding_mix", "marts.yoy_change"]
    assert "1 row(s) only in" in differences[0] and "0 row(s) only in" in differences[1]


@pytest.mark.slow
@pytest.mark.exhaustive  # the benchmark's tools on a dbt build of their own: make test-all
def test_pandas_equals_the_marts(tiny_build: dict[str, Path]) -> None:
    outputs, timings = pandas_marts.build(tiny_build["feed"], ROOT / "seeds")
    assert set(timings) >= {"read", "funding_mix", "yoy_change", "source_sum_checks"}
    assert all(len(frame) > 0 for frame in outputs.values())
    assert pandas_marts.compare(outputs, tiny_build["warehouse"]) == []
    # the two deliberate errors of the feed are totals over sources that do not add up (or their grand total)
    assert (~outputs["source_sum_checks"]["adds_up"]).sum() >= 1
    outputs["yoy_change"].loc[outputs["yoy_change"].index[0], "amount"] += 0.01
    outputs["funding_mix"] = outputs["funding_mix"].iloc[1:]
    differences = pandas_marts.compare(outputs, tiny_build["warehouse"])
    assert any(d.startswith("funding_mix: 0 row(s) only in pandas, 1 only") for d in differences)
    assert any(d.startswith("yoy_change.amount: 1 row(s) differ") for d in differences)


def _assert_the_reference_equals_the_marts(engine: str, reference: Any, build: dict[str, Path], out: Path) -> None:
    """A reference (plain SQL, polars) as pandas is checked: equal to the marts, and a changed amount or
    a missing row is refused; then its command writes what the bench reads, compared equal again."""
    outputs, timings = reference.build(build["feed"], ROOT / "seeds")
    assert set(timings) >= {"read", "leaves", "plan_amounts", "funding_mix", "yoy_change", "source_sum_checks"}
    assert all(len(frame) > 0 for frame in outputs.values())
    assert reference.compare(outputs, build["warehouse"]) == []
    frames = {name: to_pandas(frame) for name, frame in outputs.items()}
    assert (~frames["source_sum_checks"]["adds_up"]).sum() >= 1  # the feed's deliberate errors
    frames["yoy_change"].loc[frames["yoy_change"].index[0], "amount"] += 0.01
    frames["funding_mix"] = frames["funding_mix"].iloc[1:]
    differences = reference.compare(frames, build["warehouse"])
    assert any(d.startswith(f"funding_mix: 0 row(s) only in {LABELS[engine]}, 1 only") for d in differences)
    assert any(d.startswith("yoy_change.amount: 1 row(s) differ") for d in differences)
    # the command: the Parquet files and timings.json that benchmarks/run.py reads, as pandas writes them
    assert reference.main(["--feed", str(build["feed"]), "--out", str(out), "--compare", str(build["warehouse"])]) == 0
    written = json.loads((out / "timings.json").read_text(encoding="utf-8"))
    assert set(written) == {"timings_s", "rows"}
    assert written["rows"] == {name: len(frame) for name, frame in outputs.items()}
    read_back = {name: pd.read_parquet(out / f"{name}.parquet") for name in OUTPUTS}
    assert reference.compare(read_back, build["warehouse"]) == []


@pytest.mark.slow
@pytest.mark.exhaustive  # the benchmark's tools on a dbt build of their own: make test-all
def test_sql_equals_the_marts(tiny_build: dict[str, Path], tmp_path: Path) -> None:
    _assert_the_reference_equals_the_marts("sql", sql_marts, tiny_build, tmp_path / "sql")


@pytest.mark.slow
@pytest.mark.exhaustive  # the benchmark's tools on a dbt build of their own: make test-all
def test_polars_equals_the_marts(tiny_build: dict[str, Path], tmp_path: Path) -> None:
    _assert_the_reference_equals_the_marts("polars", polars_marts, tiny_build, tmp_path / "polars")


# --- the revision mode ---------------------------------------------------------------------------


def test_a_revision_changes_only_the_chosen_partitions_and_their_totals_add_up(tmp_path: Path) -> None:
    original = tmp_path / "original"
    before = _feed(original, *TINY)
    feed = tmp_path / "revised"
    link_copy(original, feed)
    untouched = _bytes(original)
    assert ntp(["synthetic", "--revise", "0.3", "--revision", "1", "--out", str(feed)]) == 0
    after = json.loads((feed / "manifest.json").read_text(encoding="utf-8"))
    assert _bytes(original) == untouched  # the hard-linked original is intact
    [revision] = after["revisions"]
    partitions = [p for p in untouched if p.startswith("province=")]
    assert revision["revision"] == 1 and len(revision["files"]) == max(1, round(0.3 * len(partitions)))
    revised = _bytes(feed)
    changed = {p for p in untouched if revised.get(p) != untouched[p]}
    assert changed - {"manifest.json", "acknowledged.csv"} == set(revision["files"])
    assert validate(feed, REFERENCE) == []
    assert after["arguments"] == before["arguments"]
    # the same revision again gives the same files; the counts follow the files
    again = tmp_path / "again"
    link_copy(original, again)
    ntp(["synthetic", "--revise", "0.3", "--revision", "1", "--out", str(again)])
    assert {p: b for p, b in _bytes(again).items() if p != "manifest.json"} == {
        p: b for p, b in revised.items() if p != "manifest.json"
    }
    with duckdb.connect() as con:
        [(rows, leaves, reports)] = con.execute(
            f"select count(*), count(*) filter (where not is_printed_total), count(distinct report_id) "
            f"from read_parquet('{feed}/province=*/year=*/*.parquet')"
        ).fetchall()
    assert (rows, leaves, reports) == (
        after["counts"]["rows"],
        after["counts"]["leaf_rows"],
        after["counts"]["reports"],
    )
    _assert_only_the_manifests_errors(feed, after)


def test_a_revision_of_every_partition_keeps_the_deliberate_errors_valid(tmp_path: Path) -> None:
    feed = tmp_path / "feed"
    before = _feed(feed, *TINY)
    assert ntp(["synthetic", "--revise", "1", "--revision", "2", "--out", str(feed)]) == 0
    after = json.loads((feed / "manifest.json").read_text(encoding="utf-8"))
    assert [e["report_id"] for e in after["errors"]] == [e["report_id"] for e in before["errors"]]
    assert after["errors"] != before["errors"]  # re-planted in the regenerated reports
    assert validate(feed, REFERENCE) == []
    _assert_only_the_manifests_errors(feed, after)


def _assert_only_the_manifests_errors(feed: Path, manifest: dict) -> None:
    """Every total over sources adds up but the manifest's; acknowledged.csv names exactly its findings."""
    outputs, _ = pandas_marts.build(feed, ROOT / "seeds")
    checks = outputs["source_sum_checks"]
    failing = set(
        checks.loc[
            ~checks["adds_up"] & checks["reported_total_id"].str.startswith(("alloc-", "disb-")), "reported_total_id"
        ]
    )
    expected = {
        f"{f['document_id']}:{f['source_line']}"
        for e in manifest["errors"]
        for f in e["findings"]
        if f["check_code"] == "funding_sources_to_total"
    }
    assert failing == expected
    with duckdb.connect() as con:
        acknowledged = set(
            con.execute(
                f"select document_id, cast(source_line as integer), check_code "
                f"from read_csv('{feed}/acknowledged.csv', all_varchar = true)"
            ).fetchall()
        )
        for error in manifest["errors"]:
            [(printed,)] = con.execute(
                f"select cast(amount_million_vnd as varchar) from read_parquet('{feed}/{error['file']}') "
                f"where row_number = {error['row_number']}"
            ).fetchall()
            assert printed == error["printed_million_vnd"] != error["correct_million_vnd"]
    assert acknowledged == {
        (f["document_id"], f["source_line"], f["check_code"]) for e in manifest["errors"] for f in e["findings"]
    }


# --- the report ------------------------------------------------------------------------------------


def test_the_report_is_written_from_the_results_with_the_engines_compared(tmp_path: Path) -> None:
    results = tmp_path / "results"
    results.mkdir()
    run = {
        "run": 1,
        "load_average_at_start": [0.5, 0.5, 0.5],
        "full_refresh": {
            "wall_s": 30.0,
            "cpu_s": 40.0,
            "peak_rss_bytes": 2 * 1024**3,
            "peak_single_rss_bytes": 1024**3,
            "leaf_rows_per_s": 100,
            "rows_per_s": 150,
            "steps_s": {"dbt_build": 20.0, "docs": 5.0},
            "steps_peak_rss_bytes": {"dbt_build": 3 * 1024**3, "docs": 1024**3},
        },
        "floor": {
            "wall_s": 15.0,
            "cpu_s": 14.0,
            "peak_rss_bytes": 1024**3,
            "seeds_s": 1.0,
            "models_s": 10.0,
            "tests_s": 3.0,
            "marts_equal": True,
            "failed_tests": {},
            "slowest_models": [["sum_checks", 4.0]],
        },
        "pandas": {"wall_s": 60.0, "cpu_s": 60.0, "peak_rss_bytes": 3 * 1024**3, "compared_equal": True},
        "incremental": {
            "wall_s": 10.0,
            "peak_rss_bytes": 1024**3,
            "revised_partitions": 3,
            "steps_s": {"dbt_build": 6.0},
            "dbt_seconds": {"model": 2.5, "test": 3.25, "seed": 0.01},
            "dbt_slowest": [
                {"node": "test.ntp_poverty.unique_fct_plan_amount_plan_amount_id.f8eb03a2bc", "seconds": 1.5},
                {"node": "model.ntp_poverty.funding_mix", "seconds": 1.25},
            ],
        },
        "ratios": {
            "full_over_floor": 2.0,
            "dbt_build_over_floor": 1.33,
            "pandas_over_full": 2.0,
            "pandas_over_floor": 4.0,
            "incremental_over_full": 0.33,
        },
    }
    result = {
        "rows": 10_000_000,
        "feed": "feeds/synthetic",
        "runs": [run],
        "median": medians([run]),
        "feed_counts": {"rows": 1, "leaf_rows": 1, "printed_totals": 0, "reports": 1, "files": 1},
        "machine": _machine("4GB"),
    }
    (results / "10000000.json").write_text(json.dumps(result), encoding="utf-8")
    markdown = tmp_path / "BENCHMARKS.md"
    markdown.write_text("stale text\n", encoding="utf-8")
    report.write(results, markdown)
    text = markdown.read_text(encoding="utf-8")
    assert "stale text" not in text
    assert "## 10,000,000 rows" in text and "| full refresh / engine floor | 2.00 |" in text
    assert "**FAIL**" in text  # 2.0 > 1.5 and pandas only 2× slower: said plainly
    assert "| incremental / full refresh (1 % of partitions changed) | 0.33 | 0.33 | ≤ 0.15 | **FAIL** |" in text
    assert "| dbt build (seeds, models, tests) | 20.00 | 80% | 20.00 | 3.00 |" in text  # where the memory goes
    assert "No Spark results yet" in text
    # where the incremental build's time went, from the run log: per resource type, then the slowest nodes
    assert (
        "dbt node seconds in this refresh's build (run 1, from its run log): tests 3.2, models 2.5. "
        "Slowest nodes: test unique_fct_plan_amount_plan_amount_id 1.5, funding_mix 1.2."
    ) in text
    # an incremental refresh that failed is kept as a finding and fails its target, the run's numbers kept
    failed_run = run | {
        "incremental": {"failed": "the refresh exited 3: Out of Memory Error", "wall_s": None},
        "ratios": run["ratios"] | {"incremental_over_full": None},
    }
    (results / "10000000.json").write_text(
        json.dumps(result | {"runs": [failed_run], "median": medians([failed_run])}), encoding="utf-8"
    )
    report.write(results, markdown)
    text = markdown.read_text(encoding="utf-8")
    assert "run 1: the incremental refresh FAILED (the refresh exited 3: Out of Memory Error)" in text
    assert "| ≤ 0.15 | **FAIL** (an incremental refresh failed) |" in text
    assert "| full refresh / engine floor | 2.00 |" in text
    (results / "10000000.json").write_text(json.dumps(result), encoding="utf-8")
    # the engines' comparison comes from results/spark/<rows>.json, the ratio taken run by run
    spark_runs = [
        {
            "run": i,
            "load_average_at_start": [1.0, 1.0, 1.0],
            "spark": {"wall_s": spark, "cpu_s": 1.0, "peak_rss_bytes": 3 * 1024**3},
            "duckdb": {"wall_s": duck, "cpu_s": 1.0, "peak_rss_bytes": 1024**3},
            "ratios": {"spark_over_duckdb": round(spark / duck, 3)},
        }
        for i, (spark, duck) in enumerate([(300.0, 100.0), (500.0, 100.0), (200.0, 50.0)], start=1)
    ]
    (results / "spark").mkdir()
    (results / "spark" / "1000000.json").write_text(
        json.dumps(
            {
                "rows": 1_000_000,
                "master": "local[2]",
                "feed": "target/bench/feeds/1000000",
                "feed_counts": {
                    "rows": 1_773_476,
                    "leaf_rows": 994_154,
                    "printed_totals": 1,
                    "reports": 1,
                    "files": 322,
                },
                "machine": result["machine"]
                | {
                    "spark_packages": {"pyspark": "4.0.5"},
                    "spark_settings": {"driver_memory": "4g", "shuffle_partitions": "16"},
                },
                "runs": spark_runs,
                "median": medians(spark_runs, keep=("spark", "duckdb", "ratios")),
            }
        ),
        encoding="utf-8",
    )
    report.write(results, markdown)
    text = markdown.read_text(encoding="utf-8")
    # medians: Spark 300 (not the 333 mean), DuckDB 100, ratio median of 3, 5, 4 = 4 (not 300/100 = 3)
    assert (
        "| 994,154 | 1,773,476 | 3 | `local[2]` | 300.00 | 3.00 | 100.00 | 1.00 | 4.00 | 300.00, 500.00, 200.00 |"
    ) in text
    assert "pyspark 4.0.5" in text and text.index("## 10,000,000 rows") < text.index("## Spark and DuckDB")
    assert "Spark driver memory 4g, shuffle partitions 16" in text  # the settings the runs used


def test_a_run_without_the_floor_reports_the_memory_target_and_no_floor_ratio(tmp_path: Path) -> None:
    """The 50M run (--skip-floor --skip-pandas --revise 0): no floor ratio is invented, the memory
    target is judged on the full refresh, and the section says why the floor is missing."""
    run = {
        "run": 1,
        "load_average_at_start": [0.1, 0.1, 0.1],
        "full_refresh": {
            "wall_s": 6000.0,
            "cpu_s": 6000.0,
            "peak_rss_bytes": int(4.5 * 1024**3),
            "peak_single_rss_bytes": 3 * 1024**3,
            "steps_s": {"dbt_build": 5000.0},
        },
        "floor": {"skipped": "--skip-floor"},
        "incremental": {"skipped": "--revise 0"},
    }
    run["ratios"] = ratios(run)
    assert run["ratios"]["full_over_floor"] is None and run["ratios"]["dbt_build_over_floor"] is None
    result = {
        "rows": 50_000_000,
        "feed": "target/bench/feeds/50000000",
        "runs": [run],
        "median": medians([run]),
        "runs_requested": 3,
        "feed_counts": {"rows": 1, "leaf_rows": 1, "printed_totals": 0, "reports": 1, "files": 1},
        "machine": _machine("3GB"),
    }
    results = tmp_path / "results"
    results.mkdir()
    (results / "50000000.json").write_text(json.dumps(result), encoding="utf-8")
    text = report.render(results)
    assert "engine floor not measured (--skip-floor)" in text
    assert "1 run(s) of 3 requested (the bench stopped after run 1)" in text  # written after every run
    assert "| full refresh / engine floor |" not in text
    assert "| full refresh peak RSS, process tree (GB) | 4.50 | 4.50 | ≤ 4 (worst run) | **FAIL** |" in text


def test_the_report_shows_plain_sql_and_polars_beside_pandas(tmp_path: Path) -> None:
    """Plain SQL and polars are measured like pandas: their rows and their ratios to the refresh, an out of
    memory said plainly; results written before them show none of their rows."""
    run = {
        "run": 1,
        "load_average_at_start": [0.1, 0.1, 0.1],
        "full_refresh": {"wall_s": 30.0, "cpu_s": 40.0, "peak_rss_bytes": GB, "steps_s": {"dbt_build": 20.0}},
        "floor": {"wall_s": 15.0, "cpu_s": 14.0, "peak_rss_bytes": GB, "marts_equal": True},
        "incremental": {"skipped": "--revise 0"},
        "pandas": {"wall_s": 60.0, "cpu_s": 60.0, "peak_rss_bytes": 3 * GB, "compared_equal": True},
    }
    result = {
        "rows": 1_000_000,
        "feed": "target/bench/feeds/1000000",
        "feed_counts": {"rows": 1, "leaf_rows": 1, "printed_totals": 0, "reports": 1, "files": 1},
        "machine": _machine("4GB"),
    }
    results = tmp_path / "results"
    results.mkdir()
    old = run | {"ratios": ratios(run)}  # written before the plain SQL and polars references
    (results / "1000000.json").write_text(json.dumps(result | {"runs": [old], "median": medians([old])}))
    text = report.render(results)
    assert "| pandas: wall (s) | 60.00 | 60.00 |" in text
    assert "| plain SQL: wall (s)" not in text and "| polars: wall (s)" not in text
    assert "| full refresh / plain SQL |" not in text and "| dbt build step / polars |" not in text
    assert "pandas' funding_mix (all columns but n_source_findings)" in text

    new = run | {
        "sql": {"wall_s": 12.0, "cpu_s": 20.0, "peak_rss_bytes": 2 * GB, "compared_equal": True},
        "polars": {"wall_s": 4.0, "cpu_s": 6.0, "peak_rss_bytes": 20 * GB, "out_of_memory": "polars ran out of memory"},
    }
    new["ratios"] = ratios(new)
    assert new["ratios"]["full_over_sql"] == 2.5 and new["ratios"]["dbt_build_over_sql"] == 1.667
    assert new["ratios"]["full_over_polars"] is None  # killed at the cap: no ratio invented
    (results / "1000000.json").write_text(json.dumps(result | {"runs": [new], "median": medians([new])}))
    text = report.render(results)
    assert "| plain SQL: wall (s) | 12.00 | 12.00 |" in text and "| plain SQL: peak RSS (GB) | 2.00 | 2.00 |" in text
    assert "| polars: peak RSS (GB) | 20.00 | 20.00 |" in text
    assert "| full refresh / plain SQL | 2.50 | 2.50 | (for information) |  |" in text
    assert "| dbt build step / plain SQL | 1.67 | 1.67 | (for information) |  |" in text
    assert "| full refresh / polars |" not in text
    assert "run 1: polars ran out of memory (killed at the bench's cap)" in text
    assert "pandas' and plain SQL's funding_mix (all columns but n_source_findings)" in text


def test_the_targets_of_issue_31_are_judged_with_their_distance_and_cause(tmp_path: Path) -> None:
    """Each declared target is read from its size's results: met or not, how far, why (its declared cause),
    and the models over 10 s before and now; a declaration that cannot be judged is refused, located."""
    slow = [{"node": "model.ntp_poverty.sum_checks", "seconds": s} for s in (40.0,)] + [
        {"node": "model.ntp_poverty.int_component_total_parts", "seconds": 12.0},
        {"node": "model.ntp_poverty.fct_plan_amount", "seconds": 8.0},
    ]
    runs = [
        {
            "run": i,
            "load_average_at_start": [0.1, 0.1, 0.1],
            "full_refresh": {"wall_s": wall, "peak_rss_bytes": rss * GB, "dbt_slowest": slow},
        }
        for i, (wall, rss) in enumerate([(400.0, 3.0), (350.0, 4.5), (500.0, 3.5)], start=1)
    ]
    result = {"rows": 10_000_000, "runs": runs, "median": medians(runs), "machine": _machine("3GB")}
    targets = tmp_path / "targets.csv"
    targets.write_text(
        "target_id,measure,rows,value,statistic,unit,comparator,target,when_filed,cause\n"
        "full,full refresh 10M,10000000,full_refresh.wall_s,median,s,le,300,998 s,the joins are wide\n"
        "rss,peak RSS 10M,10000000,full_refresh.peak_rss_bytes,worst,GB,le,4,3.7 GB,memory\n"
        "fifty,full refresh 50M,50000000,full_refresh.wall_s,median,s,le,1500,4 349 s,\n",
        encoding="utf-8",
    )
    baseline = {
        "rows": 10_000_000,
        "commit": "8af3607215bd",
        "recorded_in": "an older results file",
        "top_nodes_recorded": 2,
        "models": ["int_sum_check_parts_removed", "sum_checks", "fct_plan_amount"],
        "dbt_slowest": [
            [
                {"node": "model.ntp_poverty.int_sum_check_parts_removed", "seconds": 150.0},
                {"node": "model.ntp_poverty.sum_checks", "seconds": 30.0},
            ]
        ],
    }
    text = "\n".join(report.targets_section([result], report.read_targets(targets), baseline))
    assert (
        "| full refresh 10M | 998 s | 400 s | `" in text
        and "| ≤ 300 s | **not met** | 100 s over (1.3× the target) |" in text
    )
    assert "| peak RSS 10M | 3.7 GB | 4.50 GB |" in text and "worst of 3 runs | ≤ 4.00 GB | **not met** |" in text
    assert "| full refresh 50M | 4 349 s | – | not measured |" in text  # no 50M results: not invented
    assert "- **full refresh 10M**: the joins are wide" in text and "- **peak RSS 10M**: memory" in text
    assert "| int_sum_check_parts_removed | 150.0 | removed | – |" in text  # replaced by the redesign
    assert "| sum_checks | 30.0 | 40.0 | +33% |" in text
    assert "| int_component_total_parts | new | 12.0 | – |" in text  # added by the redesign
    assert "fct_plan_amount" not in text  # under 10 s before and now
    targets.write_text(
        "target_id,measure,rows,value,statistic,unit,comparator,target,when_filed,cause\n"
        "full,full refresh 10M,10000000,full_refresh.wall_s,median,s,below,300,998 s,\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=r"targets.csv:2:7: comparator 'below'"):
        report.read_targets(targets)
    # the project's own declaration is readable and names a result for every size it judges
    assert {int(t["rows"]) for t in report.read_targets()} == {1_000_000, 10_000_000, 50_000_000}


# --- the incremental refresh equals a full refresh of the revised feed ---------------------------


def test_benchmarks_md_is_rendered_from_the_committed_results() -> None:
    """BENCHMARKS.md is what the report writes from benchmarks/results and benchmarks/targets.csv, never
    edited by hand nor left behind a results file (`python -m benchmarks.report` rewrites it)."""
    assert (ROOT / "BENCHMARKS.md").read_text(encoding="utf-8") == report.render(ROOT / "benchmarks" / "results")
