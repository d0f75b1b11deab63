"""Proofs of the incremental refresh: only changed feed partitions are rebuilt, and the result is the
warehouse a full rebuild from scratch gives, row for row (src/ntp_poverty/build/increments.py,
macros/delete_rebuilt_partitions.sql)."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from conftest import NTP, ROOT, run_dbt
from ntp_poverty.build.increments import (
    FULL,
    INCREMENTAL,
    MAX_CHANGED_SHARE,
    changed_partitions,
    partition_hashes,
    plan_build,
    project_fingerprint,
)
from ntp_poverty.build.slices import partition_rows, plan_slices
from ntp_poverty.publish.facts import export_partitioned_facts
from ntp_poverty.refresh.run_log import EXIT_BUILD

# The sample feed's generator command (feeds/README.md) over more provinces and years, so that two
# changed partitions are few enough for an incremental build (increments.MAX_CHANGED_SHARE).
FEED_COMMAND = [
    "--density",
    "0.5",
    "--errors",
    "0",
    "--format",
    "csv",
    "--provinces",
    "11,93,14",
    "--years",
    "2022,2023,2024,2025",
    "--months",
    "6,12",
    "--max-units-per-level",
    "1",
    "--no-policy-credit",
]
# Sơn La (14) is also a transcribed document's province: the slices recomputed by province
# (int_plan_amounts_preferred, int_component_amounts) mix its feed rows with the document's rows
REPLACED = "province=14/year=2022"
REMOVED = "province=93/year=2025"
# Feed rows per slice of the sliced build: the feed's provinces 11, 14 and 92 (about 1 050 rows) in the
# first slice, 93 (about 360) in the second; a slice of one province each ran two more dbt passes
# and proved nothing more (tests/test_sliced_build.py plans slices of every size)
SLICE_ROWS = 1200
SCHEMAS = ("staging", "intermediate", "core", "marts", "audit")


def synthetic(out: Path, seed: int) -> None:
    """A small synthetic feed (FEED_COMMAND) with the given seed."""
    subprocess.run(
        [str(NTP), "synthetic", *FEED_COMMAND, "--out", str(out), "--seed", str(seed)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )


def run_refresh(warehouse: Path, feed: Path, *args: str, **environ: str) -> subprocess.CompletedProcess[str]:
    """Run the refresh on ``feed`` into ``warehouse`` (``environ``: more environment variables)."""
    # what an increment builds is the point; Great Expectations on its marts is proven by the real good
    # refresh (tests/test_refresh.py) and tests/test_validate_marts.py
    env = dict(
        os.environ,
        NTP_FEEDS=str(feed),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
        NTP_REFRESH_TESTING="1",
        NTP_REFRESH_SKIP_VALIDATION="1",
        **environ,
    )
    return subprocess.run(
        [str(NTP), "refresh", "--warehouse", str(warehouse), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )


def last_run(warehouse: Path) -> dict:
    return json.loads((warehouse.parent / "refresh_runs.jsonl").read_text(encoding="utf-8").splitlines()[-1])


def refresh(warehouse: Path, feed: Path, *args: str, **environ: str) -> dict:
    """Run the refresh on ``feed`` into ``warehouse``; return its run-log line."""
    proc = run_refresh(warehouse, feed, *args, **environ)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    return last_run(warehouse)


def tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "select table_schema || '.' || table_name from information_schema.tables "
        f"where table_catalog = 'a' and table_type = 'BASE TABLE' and table_schema in {SCHEMAS} "
        "and table_name != 'warehouse_build' order by 1"
    ).fetchall()
    return [r[0] for r in rows]


def differences(left: Path, right: Path) -> dict[str, tuple[int, int]]:
    """Per table of ``left``: rows missing from ``right`` and rows only in ``right`` (multisets)."""
    out: dict[str, tuple[int, int]] = {}
    with duckdb.connect() as con:
        con.execute(f"attach '{left}' as a (read_only)")
        con.execute(f"attach '{right}' as b (read_only)")
        for table in tables(con):
            only_a = con.execute(f"select count(*) from (from a.{table} except all from b.{table})").fetchall()[0][0]
            only_b = con.execute(f"select count(*) from (from b.{table} except all from a.{table})").fetchall()[0][0]
            out[table] = (only_a, only_b)
    return out


@pytest.fixture(scope="module")
def incremental_then_full(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A published full build of a feed, the feed changed (one partition replaced, one removed), an
    incremental refresh of it, and a full build of the changed feed from scratch."""
    work = tmp_path_factory.mktemp("incremental")
    feed, other = work / "feed", work / "other"
    synthetic(feed, 7)
    synthetic(other, 8)
    warehouse = work / "incremental" / "ntp_poverty.duckdb"
    first = refresh(warehouse, feed)
    before = warehouse.parent / "releases" / first["release"] / "ntp_poverty.duckdb"
    shutil.rmtree(feed / REPLACED)
    shutil.copytree(other / REPLACED, feed / REPLACED)
    shutil.rmtree(feed / REMOVED)
    second = refresh(warehouse, feed, "--allow-removals", REMOVED)  # a dropped partition is refused otherwise
    # the changed feed built from scratch in one `dbt build` (what a refresh runs, without publishing)
    scratch = work / "scratch" / "ntp_poverty.duckdb"
    scratch.parent.mkdir()
    built = run_dbt(["build", "--full-refresh"], scratch, work / "scratch-dbt", NTP_FEEDS=str(feed))
    assert built.returncode == 0, built.stdout[-4000:]
    return {
        "feed": feed,
        "work": work,
        "first": first,
        "second": second,
        "before": before,
        "incremental": warehouse.parent / "releases" / second["release"] / "ntp_poverty.duckdb",
        "scratch": scratch,
    }


@pytest.fixture(scope="module")
def sliced(incremental_then_full: dict) -> dict:
    """The changed feed built from scratch by a refresh in two slices of whole provinces (SLICE_ROWS):
    three dbt passes, each parsing the project again (make test-all; make test proves the two parts of
    a sliced build: tests/test_sliced_build.py, the first pass leaves out the deferred partitions at
    every level, and the incremental refresh above, which adds partitions as the later passes do)."""
    path = incremental_then_full["work"] / "sliced" / "ntp_poverty.duckdb"
    run = refresh(path, incremental_then_full["feed"], NTP_SLICE_ROWS=str(SLICE_ROWS), NTP_BUILD_AT_ONCE_ROWS="0")
    return {"run": run, "warehouse": path.parent / "releases" / run["release"] / "ntp_poverty.duckdb"}


@pytest.mark.slow
def test_the_refresh_rebuilds_only_the_changed_partitions(incremental_then_full: dict) -> None:
    first, second = incremental_then_full["first"], incremental_then_full["second"]
    assert first["mode"] == FULL and first["mode_reason"] == "nothing is published yet"
    assert second["mode"] == INCREMENTAL, second["mode_reason"]
    assert second["rebuilt_partitions"] == sorted([REPLACED, REMOVED])
    with duckdb.connect(str(incremental_then_full["incremental"]), read_only=True) as con:
        mode, n = con.execute("select refresh_mode, n_rebuilt_partitions from audit.warehouse_build").fetchall()[0]
    assert (mode, n) == ("incremental", 2)


@pytest.mark.slow
def test_an_incremental_refresh_equals_a_full_rebuild_from_scratch(incremental_then_full: dict) -> None:
    diff = differences(incremental_then_full["incremental"], incremental_then_full["scratch"])
    assert {
        "marts.funding_mix",
        "core.fct_plan_amount",
        "audit.sum_checks",
        "intermediate.int_component_amounts",
    } <= set(diff)
    assert {t: d for t, d in diff.items() if d != (0, 0)} == {}


@pytest.mark.exhaustive
def test_a_full_build_in_slices_of_provinces_equals_one_in_one_go(incremental_then_full: dict, sliced: dict) -> None:
    """ntp_poverty.build.slices: the first pass defers the other slice's partitions, the next pass
    adds them incrementally, the last tests every row; the warehouse is the unsliced one's."""
    run = sliced["run"]
    partitions = partition_hashes(incremental_then_full["feed"])
    provinces = {partition.split("/")[0] for partition in partitions}
    rows = partition_rows(incremental_then_full["feed"])
    slices = plan_slices(rows, SLICE_ROWS)
    assert len(provinces) >= 3 and len(slices) == 2  # two slices, one of several provinces
    assert all(len({p.split("/")[0] for p in piece}) < len(provinces) for piece in slices)
    assert run["mode"] == FULL and run["slice_partitions"] == [len(piece) for piece in slices]
    assert incremental_then_full["first"]["slice_partitions"] == []  # the default: one slice
    assert run["tests"] == incremental_then_full["first"]["tests"]  # every test ran, over every row
    diff = differences(sliced["warehouse"], incremental_then_full["scratch"])
    assert {"marts.funding_mix", "core.fct_plan_amount", "audit.sum_checks"} <= set(diff)
    assert {t: d for t, d in diff.items() if d != (0, 0)} == {}


@pytest.mark.slow
def test_the_change_was_real_so_the_comparison_can_fail(incremental_then_full: dict) -> None:
    """The published build before the change differs from the rebuild: equality above is not vacuous."""
    diff = differences(incremental_then_full["before"], incremental_then_full["scratch"])
    changed = {t for t, d in diff.items() if d != (0, 0)}
    assert {
        "core.fct_plan_amount",
        "audit.sum_checks",
        "marts.funding_mix",
        "audit.feed_partitions",
        "intermediate.int_plan_amounts_preferred",
        "intermediate.int_component_amounts",
    } <= changed


@pytest.mark.slow
def test_the_recorded_partition_hashes_are_the_files_hashes(incremental_then_full: dict) -> None:
    with duckdb.connect(str(incremental_then_full["incremental"]), read_only=True) as con:
        recorded = dict(con.execute("select source_partition, content_hash from audit.feed_partitions").fetchall())
    assert recorded == partition_hashes(incremental_then_full["feed"])
    assert REMOVED not in recorded and REPLACED in recorded


@pytest.mark.slow
def test_the_released_parquet_facts_equal_a_full_rebuilds(incremental_then_full: dict, tmp_path: Path) -> None:
    """The incremental release carried most fact partitions over from the first release: its datasets
    hold the same rows as the full rebuild's exported whole (the release's own export), and every
    file names the incremental run."""
    incremental = incremental_then_full["incremental"].parent / "parquet" / "facts"
    rebuilt = tmp_path / "facts"
    export_partitioned_facts(incremental_then_full["scratch"], rebuilt, "scratch")
    run_id = incremental_then_full["second"]["run_id"]
    for table in ("fct_plan_amount", "fct_reported_total", "sum_checks"):
        assert rows_of_dataset(incremental / table) == rows_of_dataset(rebuilt / table), table
        files = list((incremental / table).rglob("*.parquet"))
        assert files and {pq.read_metadata(f).metadata[b"run_id"].decode() for f in files} == {run_id}


def rows_of_dataset(folder: Path) -> list[tuple]:
    with duckdb.connect() as con:
        return con.execute(
            f"select * from read_parquet('{folder}/*/*/*.parquet', hive_partitioning = true) order by all"
        ).fetchall()


# The plan, without building: a fake published file holding what a build records.


def fake_published(path: Path, fingerprint: str | None, partitions: dict[str, str]) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema audit")
        if fingerprint is None:
            con.execute("create table audit.warehouse_build as select 'r' as run_id")
        else:
            con.execute(
                "create table audit.warehouse_build as select 'r' as run_id, ? as project_fingerprint", [fingerprint]
            )
        con.execute("create table audit.feed_partitions (source_partition varchar, content_hash varchar)")
        con.executemany("insert into audit.feed_partitions values (?, ?)", list(partitions.items()))
    return path


def small_feed(root: Path, partitions: int) -> Path:
    for i in range(partitions):
        folder = root / f"province={10 + i:02d}" / "year=2024"
        folder.mkdir(parents=True)
        (folder / "line_items.csv").write_text(f"report_id\nr{i}\n", encoding="utf-8")
    return root


def small_project(root: Path) -> Path:
    (root / "models").mkdir(parents=True)
    (root / "models" / "m.sql").write_text("select 1 as x\n", encoding="utf-8")
    (root / "dbt_project.yml").write_text("name: p\n", encoding="utf-8")
    return root


def test_a_plan_is_full_without_a_published_build_or_when_asked(tmp_path: Path) -> None:
    project, feed = small_project(tmp_path / "p"), small_feed(tmp_path / "f", 4)
    assert plan_build(None, project, feed, False).mode == FULL
    published = fake_published(tmp_path / "w.duckdb", project_fingerprint(project, feed), partition_hashes(feed))
    assert plan_build(published, project, feed, False).mode == INCREMENTAL
    asked = plan_build(published, project, feed, True)
    assert asked.mode == FULL and "--full-refresh" in asked.reason


def test_a_plan_is_incremental_over_exactly_the_changed_partitions(tmp_path: Path) -> None:
    project, feed = small_project(tmp_path / "p"), small_feed(tmp_path / "f", 8)
    published = fake_published(tmp_path / "w.duckdb", project_fingerprint(project, feed), partition_hashes(feed))
    (feed / "province=10" / "year=2024" / "line_items.csv").write_text("report_id\nchanged\n", encoding="utf-8")
    shutil.rmtree(feed / "province=11")
    plan = plan_build(published, project, feed, False)
    assert plan.mode == INCREMENTAL
    assert plan.changed == ("province=10/year=2024", "province=11/year=2024")


def test_a_changed_model_forces_a_full_build(tmp_path: Path) -> None:
    """Rows of unchanged partitions were computed by the old code: they must be computed again."""
    project, feed = small_project(tmp_path / "p"), small_feed(tmp_path / "f", 4)
    published = fake_published(tmp_path / "w.duckdb", project_fingerprint(project, feed), partition_hashes(feed))
    (project / "models" / "m.sql").write_text("select 2 as x\n", encoding="utf-8")
    plan = plan_build(published, project, feed, False)
    assert plan.mode == FULL and "project" in plan.reason


def test_another_feed_folder_forces_a_full_build(tmp_path: Path) -> None:
    project, feed = small_project(tmp_path / "p"), small_feed(tmp_path / "f", 4)
    published = fake_published(tmp_path / "w.duckdb", project_fingerprint(project, feed), partition_hashes(feed))
    moved = feed.rename(tmp_path / "g")
    assert plan_build(published, project, moved, False).mode == FULL


def test_a_release_without_a_fingerprint_is_rebuilt_fully(tmp_path: Path) -> None:
    project, feed = small_project(tmp_path / "p"), small_feed(tmp_path / "f", 4)
    published = fake_published(tmp_path / "w.duckdb", None, partition_hashes(feed))
    assert plan_build(published, project, feed, False).mode == FULL


def test_most_partitions_changed_is_a_full_build(tmp_path: Path) -> None:
    project, feed = small_project(tmp_path / "p"), small_feed(tmp_path / "f", 8)
    published = fake_published(tmp_path / "w.duckdb", project_fingerprint(project, feed), partition_hashes(feed))
    for i in range(int(8 * MAX_CHANGED_SHARE) + 1):
        (feed / f"province={10 + i:02d}" / "year=2024" / "line_items.csv").write_text(
            "report_id\nx\n", encoding="utf-8"
        )
    plan = plan_build(published, project, feed, False)
    assert plan.mode == FULL and "partitions changed" in plan.reason


def test_changed_partitions_are_added_removed_or_different() -> None:
    assert changed_partitions({"a": "1", "b": "2", "c": "3"}, {"a": "1", "b": "9", "d": "4"}) == ("b", "c", "d")


@pytest.mark.slow
def test_a_bad_changed_partition_stops_the_incremental_refresh_and_its_copy(
    incremental_then_full: dict, tmp_path: Path
) -> None:
    """An incremental refresh copies the published file while its preflight runs: a bad row in a
    changed partition fails the preflight with file, row and column, the copy is cancelled (no
    candidate file is left), and the published file is untouched."""
    warehouse_dir = tmp_path / "warehouse"  # a copy: the module's warehouse keeps its run log
    shutil.copytree(incremental_then_full["incremental"].parents[2], warehouse_dir, symlinks=True)
    warehouse = warehouse_dir / "ntp_poverty.duckdb"
    published = warehouse.resolve()
    before = (published.stat().st_size, published.stat().st_mtime_ns)
    # the feed in place (its folder is part of the published build's fingerprint), restored after
    broken = sorted((incremental_then_full["feed"] / REPLACED).glob("*.csv"))[0]
    original = broken.read_bytes()
    with broken.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["amount_million_vnd"] = "12x"
    try:
        with broken.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        result = run_refresh(warehouse, incremental_then_full["feed"])
    finally:
        broken.write_bytes(original)
    assert result.returncode == EXIT_BUILD, result.stdout[-3000:] + result.stderr[-3000:]
    assert "copying the published file into the candidate" in result.stdout, result.stdout[-3000:]
    assert re.search(rf"{re.escape(broken.name)}: row \d+: column amount_million_vnd: .*'12x'", result.stderr), (
        result.stderr[-3000:]
    )
    run = last_run(warehouse)
    assert run["mode"] == INCREMENTAL and "preflight failed" in run["reason"], run
    candidate = Path(run["candidate_dir"]) / warehouse.name
    assert not candidate.exists(), f"the cancelled copy left {candidate}"
    assert warehouse.resolve() == published
    assert (published.stat().st_size, published.stat().st_mtime_ns) == before
