"""The same project on Apache Spark (dbt-spark, session mode) builds the same warehouse as DuckDB.

One Spark build of the real seeds and the sample feed (local[2]: every seed and model)
is shared by the parity tests; every row of every table of marts, core and audit is compared with
the DuckDB build (amounts to 0.001 million VND, ratios to 1e-9, codes and text exactly, the feed
provenance included), and one amount changed in a copy of the DuckDB build shows that the
comparison catches a difference. `make test-all` also runs every unit test, data test and the gate on that
Spark build, builds a project copy whose Spark implementation of one dialect macro is broken (the
comparison catches it) and the whole project on a Spark standalone master and worker on 127.0.0.1.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import duckdb
import pytest

from conftest import copy_project
from spark_support import (
    COMPARED_SCHEMAS,
    compare_builds,
    free_port,
    run_spark_dbt,
    spark_class,
)

pytestmark = pytest.mark.slow


def _fail_build(result: subprocess.CompletedProcess[str], what: str) -> None:
    pytest.fail(f"{what} failed:\n{result.stdout[-8000:]}\n{result.stderr[-3000:]}")


@pytest.fixture(scope="session")
def spark_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build every seed and model on Spark (local[2]) once and return the warehouse folder. The unit
    tests, the data tests and the gate run on it in `make test-all` (they prove again on Spark what the
    DuckDB build's tests prove, on the rows the comparison shows equal; the unit tests were a quarter
    of the build's time)."""
    workdir = tmp_path_factory.mktemp("spark_build")
    warehouse = workdir / "warehouse"
    started = time.monotonic()
    result = run_spark_dbt(
        ["build", "--full-refresh", "--exclude-resource-type", "test", "unit_test"], warehouse, workdir
    )
    if result.returncode != 0:
        _fail_build(result, "dbt build on Spark")
    print(f"Spark build (local[2], sample feed, no data or unit tests): {time.monotonic() - started:.0f} s")
    return warehouse


def test_spark_builds_every_seed_and_model(spark_warehouse: Path) -> None:
    """The build above ran every seed and model on Spark."""
    assert (spark_warehouse / "audit.db" / "sum_check_findings").is_dir()
    assert (spark_warehouse / "marts.db" / "funding_mix").is_dir()


@pytest.mark.exhaustive
def test_every_unit_test_passes_on_spark(spark_warehouse: Path, tmp_path: Path) -> None:
    """Every dbt unit test, compiled for Spark, passes (its fixtures are its own: no table is read)."""
    result = run_spark_dbt(["test", "--resource-type", "unit_test"], spark_warehouse, tmp_path)
    if result.returncode != 0:
        _fail_build(result, "dbt unit tests on Spark")
    assert "PASS=" in result.stdout and "ERROR=0" in result.stdout and "PASS=0 " not in result.stdout


@pytest.mark.exhaustive
def test_every_data_test_and_the_gate_pass_on_spark(spark_warehouse: Path, tmp_path: Path) -> None:
    """Every data test and the sum-consistency gate, compiled for Spark, pass on the Spark build."""
    result = run_spark_dbt(["test", "--exclude-resource-type", "unit_test"], spark_warehouse, tmp_path)
    if result.returncode != 0:
        _fail_build(result, "dbt test on Spark")
    assert "PASS=" in result.stdout and "ERROR=0" in result.stdout


def test_every_mart_core_and_audit_row_equals_the_duckdb_build(built_warehouse: Path, spark_warehouse: Path) -> None:
    comparisons = compare_builds(built_warehouse, spark_warehouse)
    schemas = {c.schema for c in comparisons}
    assert schemas == set(COMPARED_SCHEMAS)
    assert {"funding_mix", "fct_plan_amount", "sum_checks", "sum_check_findings"} <= {c.table for c in comparisons}
    different = [c.describe() for c in comparisons if not c.equal]
    assert not different, "\n".join(different)
    for c in comparisons:
        print(f"{c.schema}.{c.table}: {c.duckdb_rows} rows equal")
    assert sum(c.duckdb_rows for c in comparisons) > 1000


def test_tables_are_parquet(spark_warehouse: Path) -> None:
    folder = spark_warehouse / "marts.db" / "funding_mix"
    assert list(folder.glob("*.parquet")), folder


def test_one_amount_off_by_a_hundredth_makes_the_comparison_fail(
    built_warehouse: Path, spark_warehouse: Path, tmp_path: Path
) -> None:
    """The comparison can fail: a copy of the DuckDB build with one sum-check amount 0.01 million VND
    off (ten times the tolerance) differs from the Spark build in that table, and only there."""
    changed = tmp_path / "ntp_poverty.duckdb"
    shutil.copyfile(built_warehouse, changed)
    with duckdb.connect(str(changed)) as con:
        (before,) = con.execute("select count(*) from audit.sum_checks").fetchall()[0]
        con.execute(
            "update audit.sum_checks set reported_amount_million_vnd = reported_amount_million_vnd + 0.01 "
            "where rowid = (select min(rowid) from audit.sum_checks where reported_amount_million_vnd is not null)"
        )
    comparisons = compare_builds(changed, spark_warehouse, schemas=("audit",))
    assert before > 0 and [c.table for c in comparisons if not c.equal] == ["sum_checks"]


@pytest.mark.exhaustive
def test_a_broken_spark_macro_makes_the_comparison_fail(built_warehouse: Path, tmp_path: Path) -> None:
    """Spark's split() takes a regular expression: splitting "|"-lists on '|' instead of '[|]' (the
    mistake spark__unnest_pipe_list avoids) must show up as rows that differ from DuckDB's."""
    project = copy_project(tmp_path)
    macro = project / "macros" / "dialect" / "spark__unnest_pipe_list.sql"
    text = macro.read_text(encoding="utf-8")
    assert "explode(split({{ list_text }}, '[|]'))" in text
    macro.write_text(
        text.replace("explode(split({{ list_text }}, '[|]'))", "explode(split({{ list_text }}, '|'))"), encoding="utf-8"
    )
    warehouse = tmp_path / "warehouse"
    result = run_spark_dbt(
        ["build", "--full-refresh", "--select", "+sum_checks", "--exclude-resource-type", "test", "unit_test"],
        warehouse,
        tmp_path,
        project=project,
    )
    if result.returncode != 0:
        _fail_build(result, "dbt build of the broken copy on Spark")
    comparisons = compare_builds(built_warehouse, warehouse, schemas=("audit",), tables={"sum_checks"})
    assert len(comparisons) == 1
    assert not comparisons[0].equal, "the comparison did not notice the broken macro"


def _wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path, timeout: float = 90) -> None:
    import socket  # noqa: PLC0415 - only the cluster fixture needs it

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"exited with {process.returncode}: {log.read_text(errors='replace')[-3000:]}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.5)
    raise RuntimeError(f"port {port} not open after {timeout} s: {log.read_text(errors='replace')[-3000:]}")


def _wait_for_worker(master_log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if "Registering worker" in master_log.read_text(errors="replace"):
            return
        time.sleep(0.5)
    raise RuntimeError(f"no worker registered after {timeout} s: {master_log.read_text(errors='replace')[-3000:]}")


def _stop(process: subprocess.Popen[bytes] | None) -> None:
    """Stop one process we started, by its pid: TERM, then KILL."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=20)


@pytest.mark.exhaustive
def test_a_standalone_cluster_builds_the_same_marts(built_warehouse: Path, tmp_path: Path) -> None:
    """A Spark standalone master and one worker on 127.0.0.1 (from the installed pyspark) build every
    seed and model; the marts equal the DuckDB build's. Both processes are stopped whatever happens."""
    launcher = spark_class()
    env = dict(
        os.environ,
        SPARK_LOCAL_IP="127.0.0.1",
        SPARK_NO_DAEMONIZE="1",
        SPARK_WORKER_DIR=str(tmp_path / "worker"),
        SPARK_LOG_DIR=str(tmp_path / "logs"),
    )
    port, master_ui, worker_ui = free_port(), free_port(), free_port()
    master_log, worker_log = tmp_path / "master.log", tmp_path / "worker.log"
    master = worker = None
    try:
        with master_log.open("wb") as out:
            master = subprocess.Popen(
                [
                    str(launcher),
                    "org.apache.spark.deploy.master.Master",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--webui-port",
                    str(master_ui),
                ],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=tmp_path,
            )
        _wait_for_port(port, master, master_log)
        with worker_log.open("wb") as out:
            worker = subprocess.Popen(
                [
                    str(launcher),
                    "org.apache.spark.deploy.worker.Worker",
                    f"spark://127.0.0.1:{port}",
                    "--host",
                    "127.0.0.1",
                    "--cores",
                    "2",
                    "--memory",
                    "2g",
                    "--webui-port",
                    str(worker_ui),
                    "--work-dir",
                    str(tmp_path / "worker"),
                ],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=tmp_path,
            )
        _wait_for_worker(master_log)
        warehouse = tmp_path / "warehouse"
        feeds = Path(__file__).resolve().parents[1] / "feeds" / "sample"
        # seeds and models: the data tests, unit tests and the gate run on Spark on the shared local
        # build (spark_warehouse); what this proves is that executors compute the same marts
        result = run_spark_dbt(
            ["build", "--full-refresh", "--exclude-resource-type", "test", "unit_test"],
            warehouse,
            tmp_path,
            NTP_SPARK_MASTER=f"spark://127.0.0.1:{port}",
            NTP_FEEDS=str(feeds),
            SPARK_LOCAL_IP="127.0.0.1",
            NTP_SPARK_EXECUTOR_MEMORY="1g",
        )
        if result.returncode != 0:
            _fail_build(result, f"dbt build on spark://127.0.0.1:{port}")
        # the build ran as an application of the cluster, on the worker's executors
        assert "Registered app ntp_poverty" in master_log.read_text(errors="replace")
        assert "Asked to launch executor" in worker_log.read_text(errors="replace")
        comparisons = compare_builds(built_warehouse, warehouse, schemas=("marts",))
        assert comparisons
        different = [c.describe() for c in comparisons if not c.equal]
        assert not different, "\n".join(different)
    finally:
        _stop(worker)
        _stop(master)
    assert worker.poll() is not None and master.poll() is not None


@pytest.mark.exhaustive
def test_a_feed_path_hadoop_would_read_as_a_glob_is_refused_on_spark(tmp_path: Path) -> None:
    """Hadoop read a folder x[ab] as the glob it looks like (its sibling xa): on Spark such a feed path
    is a compile error naming it, never another folder's rows (DuckDB reads it literally:
    tests/test_feed_faults.py)."""
    feed = Path(shutil.copytree(Path(__file__).resolve().parents[1] / "feeds" / "sample", tmp_path / "x[ab]"))
    result = run_spark_dbt(
        ["compile", "--select", "stg_feeds__line_items_csv"], tmp_path / "warehouse", tmp_path, NTP_FEEDS=str(feed)
    )
    assert result.returncode != 0
    assert "On Spark the feed's path may not contain [" in result.stdout, result.stdout[-3000:]
