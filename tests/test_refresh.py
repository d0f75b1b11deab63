"""Proofs of the nightly refresh, the real chain: readers never see a half-built or mixed warehouse, a failed or
killed refresh never replaces a good one, every published form always carries one run id, and every
failure ends in its documented exit code with a run-log line.

Two kinds of refresh run here, both as a separate ``ntp refresh`` process:

* **real**: the whole chain, dbt build and docs included. Only what needs dbt runs so: a good
  refresh publishing every form (with readers reading through it), a failing sum-consistency gate,
  a SIGKILL during the dbt build, a SIGKILL while publishing a real build, and dbt writing under a
  file-size limit (exhaustive).
* **fake build** (``NTP_REFRESH_FAKE_BUILD``, :mod:`ntp_poverty.refresh.faults`): the build step
  copies the session's one full build (``built_warehouse``) into the candidate and stamps this run's
  id; the lock, recovery, preflight, plan, the candidate's proof, Great Expectations, report, release,
  seal, switch, retention, run log and exit codes run for real. The orchestration's proofs (rollback,
  retention, kills at every publish step, publish failures, the lock, preflight refusals, exit codes)
  run on it, a few seconds a refresh instead of a dbt build each.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from refresh_support import (
    MARTS,
    PUBLISH_STEPS,
    SOC_TRANG,
    assert_unchanged_and_failed,
    copy_of,
    digest,
    kill_at_publish_step,
    last_log,
    limit_file_size,
    one_run,
    published_path,
    rewrite_amounts,
    run_id,
    run_refresh,
    runs,
    start_refresh,
    warehouse_dir,
)

from ntp_poverty.refresh import faults
from ntp_poverty.refresh.run_log import (
    EXIT_BUILD,
    EXIT_TESTS,
)
from ntp_poverty.validate.document_texts import sha256_of

pytestmark = pytest.mark.slow


# A reader of the published file, as a BI tool would read it during a refresh: every 0.2 s (one read
# costs about 55 ms of CPU; at 0.05 s three readers took 1.5 of the machine's 2 cores from the refresh
# they watch and from the other test worker, for about 600 reads where 30 prove the point)
READER = textwrap.dedent("""
    import sys, time, duckdb
    path, stop, marts = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
    import os
    while not os.path.exists(stop):
        try:
            con = duckdb.connect(path, read_only=True)
            before = con.execute("select run_id from audit.warehouse_build").fetchone()[0]
            counts = [con.execute(f"select count(*) from marts.{m}").fetchone()[0] for m in marts]
            after = con.execute("select run_id from audit.warehouse_build").fetchone()[0]
            con.close()
            print("ok" if before == after and min(counts) > 0 else "MIXED", before, flush=True)
        except Exception as exc:
            print("ERROR", type(exc).__name__, str(exc).replace("\\n", " "), flush=True)
        time.sleep(0.2)
""")


@dataclass(frozen=True)
class RealRefresh:
    """A project after one real refresh, and what three readers saw while it ran."""

    project: Path
    old: str  # the run published before it
    new: str  # the run it published
    reader_lines: list[str]
    reader_errors: list[str]
    reader_codes: list[int | None]


@pytest.fixture(scope="module")
def real_template(fake_template: Path, tmp_path_factory: pytest.TempPathFactory) -> RealRefresh:
    """The one real refresh of a good project: a copy of the fake template refreshed by the whole chain
    (dbt build, docs, audit, release, switch) while three readers read the published file.

    The good-refresh test checks what it published, the readers test what they saw; the real kill
    while publishing and the file-size limit start from it (their refresh plans an incremental build).
    """
    project = copy_of(fake_template, tmp_path_factory.mktemp("real-template"))
    published = published_path(project)
    old = run_id(published)
    stop = project.parent / "stop"
    readers = [
        subprocess.Popen(
            [sys.executable, "-c", READER, str(published), str(stop), ",".join(MARTS)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    try:
        result = run_refresh(project)
        time.sleep(2)  # the readers open the new release a few more times
    finally:
        stop.touch()
        outputs = [r.communicate(timeout=60) for r in readers]
    assert result.returncode == 0, result.stdout + result.stderr
    return RealRefresh(
        project=project,
        old=old,
        new=run_id(published),
        reader_lines=[line for out, _ in outputs for line in out.splitlines()],
        reader_errors=[err for _, err in outputs],
        reader_codes=[r.returncode for r in readers],
    )


@pytest.fixture()
def real_project(real_template: RealRefresh, tmp_path: Path) -> Path:
    """A private copy of the real template: a fake release, then a real one (current) that replaced it."""
    return copy_of(real_template.project, tmp_path)


def test_refresh_publishes_one_sealed_release_behind_one_pointer(real_project: Path, duckdb15_python: Path) -> None:
    project = real_project
    root = warehouse_dir(project)
    current = one_run(project)
    assert os.readlink(root / "current") == f"releases/{current}"
    for name in ("ntp_poverty.duckdb", "parquet", "docs", "report", "data_docs"):
        assert os.readlink(root / name) == f"current/{name}"
    release = root / "releases" / current
    assert release.stat().st_mode & 0o777 == 0o555
    assert (release / "ntp_poverty.duckdb").stat().st_mode & 0o777 == 0o444
    assert sorted(p.name for p in (root / "parquet").iterdir()) == sorted([f"{m}.parquet" for m in MARTS] + ["facts"])
    facts = sorted(p.name for p in (root / "parquet" / "facts").iterdir())
    assert facts == ["fct_plan_amount", "fct_reported_total", "sum_checks"]
    with duckdb.connect() as con:  # partitioned by province and year, every row there, the run id in each file
        rows = con.execute(
            f"select count(*), count(distinct province), min(year) from read_parquet("
            f"'{root}/parquet/facts/fct_plan_amount/*/*/*.parquet', hive_partitioning = true)"
        ).fetchall()
        ids = con.execute(
            f"select distinct decode(value) from parquet_kv_metadata("
            f"'{root}/parquet/facts/*/*/*/*.parquet') where decode(key) = 'run_id'"
        ).fetchall()
    with duckdb.connect(str(published_path(project)), read_only=True) as con:
        assert rows[0][0] == con.execute("select count(*) from core.fct_plan_amount").fetchall()[0][0]
        # dbt built this file for this run (a fake build would carry the fake fingerprint)
        assert con.execute("select project_fingerprint from audit.warehouse_build").fetchall() != [
            (faults.FAKE_FINGERPRINT,)
        ]
    assert rows[0][1] > 3 and rows[0][2] >= 2021 and ids == [(current,)]
    record = last_log(project)
    assert record["published"] is True and record["exit_code"] == 0 and record["release"] == current
    assert record["run_id"] == current
    assert record["mart_rows"]["funding_mix"] > 0 and record["tests"]["pass"] > 100
    assert record["findings"] == {"arithmetic_mismatch (acknowledged)": 7, "incomplete_breakdown": 3}
    # where the dbt build's time went: per resource type, and the slowest nodes first
    assert {"model", "seed", "test", "unit_test"} <= set(record["dbt_seconds"]) and record["dbt_seconds"]["model"] > 0
    slowest = [node["seconds"] for node in record["dbt_slowest"]]
    assert len(slowest) == 40 and slowest == sorted(slowest, reverse=True) and slowest[0] > 0
    docs = (root / "docs" / "index.html").read_text(encoding="utf-8")
    assert "funding_mix" in docs and "Glossary" in docs
    assert "every printed numeral" in (root / "docs" / "ledger.md").read_text(encoding="utf-8").lower() or "0" in (
        root / "docs" / "ledger.md"
    ).read_text(encoding="utf-8")
    reader = "import sys, duckdb\ncon = duckdb.connect(sys.argv[1], read_only=True)\n" + "".join(
        f"print('{m}', con.sql('select count(*) from marts.{m}').fetchall()[0][0])\n" for m in MARTS
    )
    result = subprocess.run(
        [str(duckdb15_python), "-c", reader, str(published_path(project))], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert {line.split()[0]: int(line.split()[1]) for line in result.stdout.splitlines()} == record["mart_rows"]


def test_readers_during_a_refresh_see_the_old_or_the_new_build_never_a_mix(real_template: RealRefresh) -> None:
    lines = real_template.reader_lines
    assert all(code == 0 for code in real_template.reader_codes), real_template.reader_errors
    assert real_template.new != real_template.old
    assert len(lines) > 30
    assert [line for line in lines if not line.startswith("ok ")] == []
    seen = {line.split()[1] for line in lines}
    assert seen == {real_template.old, real_template.new}


def children_of_run(candidates: Path, timeout: float) -> list[str]:
    """Command lines of live processes working in ``candidates`` (dbt names its target folder there),
    waited for up to ``timeout`` seconds to end."""
    deadline = time.monotonic() + timeout
    while True:
        left = []
        for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
            try:
                text = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue  # ended meanwhile
            if str(candidates) in text:
                left.append(text)
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.2)


def test_killed_during_the_build_leaves_every_form_and_is_logged_as_interrupted(project: Path, fake: Path) -> None:
    """A real dbt build (the fake template's release is not dbt's: the plan is full) killed with its
    refresh once dbt has created the candidate; the next refresh (a fake build) takes the lock over,
    logs the killed run as interrupted, cleans it and publishes."""
    before = one_run(project)
    database = published_path(project).resolve()
    before_digest = digest(database)
    proc = start_refresh(project)
    said: list[str] = []  # its stdout, read meanwhile so that a full pipe never holds it up
    stdout = threading.Thread(target=lambda: said.extend(proc.stdout or ()), daemon=True)
    stdout.start()
    candidates = warehouse_dir(project) / ".candidates"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None and not list(candidates.glob("*/ntp_poverty.duckdb")):
        time.sleep(0.2)
    assert proc.poll() is None, "the refresh ended before dbt created its candidate"
    # the refresh alone, like the OOM killer: its dbt must die with it (no process outlives its refresh)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    try:
        left = children_of_run(candidates, timeout=10)
    finally:
        with contextlib.suppress(ProcessLookupError):  # whatever a failure left, before the next refresh
            os.killpg(proc.pid, signal.SIGKILL)
    assert left == [], f"processes outlived their refresh: {left}"
    stdout.join(timeout=30)
    proc.communicate(timeout=30)  # what is left: stderr; closes the pipes
    assert proc.returncode == -signal.SIGKILL
    # a full build: the candidate was dbt's, not a copy of the published file
    assert any("dbt build into the candidate (full" in line for line in said), said
    killed = next(candidates.iterdir()).name
    assert one_run(project) == before and digest(database) == before_digest
    assert (warehouse_dir(project) / ".refresh.lock").read_text(encoding="utf-8").startswith("pid ")
    result = run_refresh(project, fake=fake)
    assert result.returncode == 0, result.stderr
    assert "cleaned up a stale lock" in result.stdout
    assert "removed the candidate of an interrupted run" in result.stdout
    interrupted = [r for r in runs(project) if r["action"] == "interrupted"]
    assert [(r["run_id"], r["published"], r["exit_code"]) for r in interrupted] == [(killed, False, None)]
    # killed inside dbt build: dbt had created the candidate and written its log
    assert {"logs", "ntp_poverty.duckdb"} <= set(interrupted[0]["left"]), interrupted[0]["left"]
    assert interrupted[0]["cleaned"] == [f".candidates/{killed}"]
    assert one_run(project) not in (before, killed)
    assert list(candidates.iterdir()) == []


@pytest.mark.parametrize(
    ("step", "published_by_killed_run"),
    [
        pytest.param(step, published, marks=[] if step == "before_switch" else [pytest.mark.exhaustive])
        for step, published in PUBLISH_STEPS
    ],
)
def test_sigkill_while_publishing_a_real_build_leaves_every_form_on_one_run(
    real_project: Path, fake: Path, step: str, published_by_killed_run: bool
) -> None:
    """The kill of a real (incremental) build while it publishes leaves every form on one run; the
    other steps than before_switch prove it again with real dbt (exhaustive). What the next refresh
    does after such a kill (interrupted, cleaned, retention, rollback) is the same after a fake build's
    kill: tests/test_refresh_orchestration.py proves it at every step, in make test before and after
    the switch; here in make test-all."""
    # the real template holds two releases, so that retention has one to remove during_prune
    recover = step != "before_switch"  # make test: the real kill; its recovery is the fake kill's
    kill_at_publish_step(real_project, step, published_by_killed_run, killed_by=None, fake=fake, recover=recover)


def test_broken_sum_identity_fails_with_check_document_and_line(project: Path) -> None:
    """A document whose printed parts do not add up (Phụ lục I, DA2 central budget printed 27.196 instead
    of 27.195), registered (its SHA-256) and transcribed faithfully: the preflight proves it, the
    sum-consistency gate refuses it."""
    before = one_run(project)
    document = project / SOC_TRANG
    lines = document.read_text(encoding="utf-8").split("\n")
    assert lines[194] == "\t27.195"
    lines[194] = "\t27.196"
    registered = sha256_of(document)
    document.write_text("\n".join(lines), encoding="utf-8")
    registry = project / "seeds" / "reference" / "documents.csv"  # the new text, registered again
    registry.write_text(registry.read_text(encoding="utf-8").replace(registered, sha256_of(document)), encoding="utf-8")
    rewrite_amounts(
        project,
        "soctrang_2024_2025_draft:0195:1",
        {"source_text": "27.196", "value_printed": "27.196", "amount_million_vnd": "27196", "value_numeric": "27196"},
    )
    result = run_refresh(project)  # the real dbt build: its sum-consistency gate
    assert result.returncode == EXIT_TESTS
    assert (
        "UNACKNOWLEDGED ARITHMETIC MISMATCH: check funding_sources_to_total, "
        "document soctrang_2024_2025_draft, line 194"
    ) in result.stderr
    # and the failed test names its rows where they are printed, not "Got 1 result"
    assert "failing row(s)" in result.stderr and "/test_failures/" in result.stderr
    assert "soctrang" in result.stderr.split("failing row(s)", 1)[1]
    assert_unchanged_and_failed(project, before, EXIT_TESTS)


def test_a_file_size_limit_during_the_build_is_a_build_failure_that_says_so(real_project: Path) -> None:
    """The real template's next refresh is incremental: its candidate starts as a copy of the published
    file, which the limit stops (dbt never builds); exit 2, and the log says the copy failed."""
    before = one_run(real_project)
    result = run_refresh(real_project, preexec=limit_file_size)
    assert result.returncode == EXIT_BUILD, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "could not be copied into the candidate" in result.stderr and "File too large" in result.stderr
    assert_unchanged_and_failed(real_project, before, EXIT_BUILD)


@pytest.mark.exhaustive
def test_a_file_size_limit_on_dbt_writing_the_candidate_is_a_build_failure(project: Path) -> None:
    """The same limit on a real full build: dbt cannot write the candidate; exit 2 naming the nodes."""
    before = one_run(project)
    result = run_refresh(project, preexec=limit_file_size)
    assert result.returncode == EXIT_BUILD, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "dbt build failed" in result.stderr
    assert_unchanged_and_failed(project, before, EXIT_BUILD)
