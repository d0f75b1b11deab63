"""Proofs of the nightly refresh: readers never see a half-built or mixed warehouse, a failed or
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

import csv
import hashlib
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from conftest import NTP, copy_project
from ntp_poverty.project import project_dir
from ntp_poverty.publish import releases
from ntp_poverty.publish.forms import stamped_run_id
from ntp_poverty.refresh import faults
from ntp_poverty.refresh import pipeline as refresh_module
from ntp_poverty.refresh.run_log import (
    EXIT_BUILD,
    EXIT_GX,
    EXIT_INTERNAL,
    EXIT_LOCKED,
    EXIT_PUBLISH,
    EXIT_TESTS,
    RefreshError,
)

pytestmark = pytest.mark.slow  # every test needs a dbt build: its own, or the session's built_warehouse

MARTS = [
    "cross_province_comparison",
    "data_quality_findings",
    "document_reconciliation",
    "funding_mix",
    "poverty_rate_series",
    "target_attainment",
    "target_comparison",
    "yoy_change",
]
TEST_HOOKS = ("NTP_REFRESH_TESTING", "NTP_REFRESH_FAULT", "NTP_REFRESH_FAKE_BUILD")


def start_refresh(
    project: Path,
    *args: str,
    fault: str = "",
    fake: Path | None = None,
    preexec: Callable[[], None] | None = None,
) -> subprocess.Popen[str]:
    """Start the project's refresh command in its own process group: a real build, or with ``fake`` a
    fake build copying that DuckDB file; optionally with a fault (:mod:`ntp_poverty.refresh.faults`)."""
    env = {k: v for k, v in os.environ.items() if k not in TEST_HOOKS}
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    if national_feed := os.environ.get("NTP_TEST_FEED"):  # make test-national: the same proofs at 1M rows
        env["NTP_FEEDS"] = national_feed
    if fault or fake:
        env["NTP_REFRESH_TESTING"] = "1"
    if fault:
        env["NTP_REFRESH_FAULT"] = fault
    if fake:
        env["NTP_REFRESH_FAKE_BUILD"] = str(fake)
    command = ["rollback"] if "--rollback" in args else ["refresh"]
    args = tuple(arg for arg in args if arg != "--rollback")
    return subprocess.Popen(
        [str(NTP), *command, "--warehouse", str(published_path(project)), *args],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env=env,
        preexec_fn=preexec,  # noqa: PLW1509 - the preexec only sets an rlimit; the test runs no threads then
    )


def run_refresh(
    project: Path,
    *args: str,
    fault: str = "",
    fake: Path | None = None,
    preexec: Callable[[], None] | None = None,
) -> subprocess.CompletedProcess[str]:
    proc = start_refresh(project, *args, fault=fault, fake=fake, preexec=preexec)
    out, err = proc.communicate(timeout=600)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def warehouse_dir(project: Path) -> Path:
    return project / "warehouse"


def published_path(project: Path) -> Path:
    return warehouse_dir(project) / "ntp_poverty.duckdb"


def run_id(path: Path) -> str:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("select run_id from audit.warehouse_build").fetchone()[0]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def runs(project: Path) -> list[dict]:
    lines = (warehouse_dir(project) / "refresh_runs.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def last_log(project: Path) -> dict:
    return runs(project)[-1]


def forms_run_ids(project: Path) -> dict[str, str | None]:
    """The run id each published form shows a new reader, read through the stable paths."""
    root = warehouse_dir(project)
    seen: dict[str, str | None] = {"duckdb": run_id(published_path(project))}
    with duckdb.connect() as con:
        for mart in MARTS:
            path = root / "parquet" / f"{mart}.parquet"
            con.execute(f"select count(*) from read_parquet('{path}')").fetchone()
            rows = con.execute(
                f"select decode(value) from parquet_kv_metadata('{path}') where decode(key) = 'run_id'"
            ).fetchall()
            seen[f"parquet/{mart}"] = rows[0][0] if rows else None
    for page in ("docs/index.html", "docs/ledger.html", "report/index.html", "data_docs/index.html"):
        seen[page] = stamped_run_id((root / page).read_text(encoding="utf-8"))
    from ntp_poverty.publish.excel import workbook_run_id  # noqa: PLC0415 (the workbook's README sheet)

    seen["excel/ntp_poverty.xlsx"] = workbook_run_id(root / "excel" / "ntp_poverty.xlsx")
    seen["datapackage/datapackage.json"] = json.loads(
        (root / "datapackage" / "datapackage.json").read_text(encoding="utf-8")
    )["ntp:run_id"]
    return seen


def one_run(project: Path) -> str:
    """Assert every published form opens and names the same run; return it."""
    seen = forms_run_ids(project)
    assert len(set(seen.values())) == 1, seen
    (only,) = set(seen.values())
    assert only is not None
    assert releases.current_run(releases.Layout(warehouse_dir(project))) == only
    return only


def copy_of(template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(template, target, symlinks=True)
    shutil.rmtree(target / "target", ignore_errors=True)
    return target


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
        time.sleep(0.05)
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
def fake(built_warehouse: Path) -> Path:
    """What a fake build copies into its candidate: the session's one full build (shared: never written)."""
    return built_warehouse


@pytest.fixture(scope="module")
def fake_template(fake: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project copy with one fake-build refresh published (copied again by every fake-build test)."""
    project = copy_project(tmp_path_factory.mktemp("fake-template"))
    result = run_refresh(project, fake=fake)
    assert result.returncode == 0, result.stdout + result.stderr
    return project


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
def project(fake_template: Path, tmp_path: Path) -> Path:
    """A private copy of the fake template: one release published by a fake build."""
    return copy_of(fake_template, tmp_path)


@pytest.fixture()
def real_project(real_template: RealRefresh, tmp_path: Path) -> Path:
    """A private copy of the real template: a fake release, then a real one (current) that replaced it."""
    return copy_of(real_template.project, tmp_path)


# --- the real chain ---------------------------------------------------------------------------------


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
    assert len(slowest) == 15 and slowest == sorted(slowest, reverse=True) and slowest[0] > 0
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
    os.killpg(proc.pid, signal.SIGKILL)  # the refresh and its dbt, like an OOM kill or a power cut
    proc.wait(timeout=30)
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


def _kill_at_publish_step(
    project: Path, step: str, published_by_killed_run: bool, killed_by: Path | None, fake: Path
) -> None:
    """SIGKILL a refresh (a real build, or with ``killed_by`` a fake one) at ``step``: every form stays
    on one run (the old one, or the killed run's if it had switched); the next refresh (a fake build,
    planned full: no Parquet carried over from a real release) logs it as interrupted, retention keeps
    current and previous, and a rollback returns every form."""
    before = one_run(project)
    killed = run_refresh(project, fault=f"{step}:kill", fake=killed_by)
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    killed_run = next((warehouse_dir(project) / ".candidates").iterdir()).name
    after_kill = one_run(project)
    assert after_kill == (killed_run if published_by_killed_run else before)
    recovered = run_refresh(project, "--full-refresh", fake=fake)
    assert recovered.returncode == 0, recovered.stdout + recovered.stderr
    latest = one_run(project)
    assert latest not in (before, killed_run)
    interrupted = [r for r in runs(project) if r["action"] == "interrupted"]
    assert [(r["run_id"], r["published"]) for r in interrupted] == [(killed_run, published_by_killed_run)]
    kept = sorted(p.name for p in (warehouse_dir(project) / "releases").iterdir())
    assert kept == sorted({latest, after_kill})  # current and previous, by publish history
    assert run_refresh(project, "--rollback").returncode == 0
    assert one_run(project) == after_kill


PUBLISH_STEPS = [("after_export", False), ("before_switch", False), ("after_switch", True), ("during_prune", True)]


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
    """The kill of a real (incremental) build while it publishes; the other steps than before_switch
    prove again with real dbt what the fake-build kills below prove at every step (exhaustive)."""
    # the real template holds two releases, so that retention has one to remove during_prune
    _kill_at_publish_step(real_project, step, published_by_killed_run, killed_by=None, fake=fake)


def test_broken_sum_identity_fails_with_check_document_and_line(project: Path) -> None:
    """A document whose printed parts do not add up (Phụ lục I, DA2 central budget printed 27.196 instead
    of 27.195), transcribed faithfully: the preflight proves it, the sum-consistency gate refuses it."""
    before = one_run(project)
    document = project / SOC_TRANG
    lines = document.read_text(encoding="utf-8").split("\n")
    assert lines[194] == "\t27.195"
    lines[194] = "\t27.196"
    document.write_text("\n".join(lines), encoding="utf-8")
    _rewrite_amounts(
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
    _assert_unchanged_and_failed(project, before, EXIT_TESTS)


def _limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (4 * 1024 * 1024, 4 * 1024 * 1024))


def test_a_file_size_limit_during_the_build_is_a_build_failure_that_says_so(real_project: Path) -> None:
    """The real template's next refresh is incremental: its candidate starts as a copy of the published
    file, which the limit stops (dbt never builds); exit 2, and the log says the copy failed."""
    before = one_run(real_project)
    result = run_refresh(real_project, preexec=_limit_file_size)
    assert result.returncode == EXIT_BUILD, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "could not be copied into the candidate" in result.stderr and "File too large" in result.stderr
    _assert_unchanged_and_failed(real_project, before, EXIT_BUILD)


def test_a_file_size_limit_writing_the_candidate_is_a_build_failure_that_says_so(project: Path, fake: Path) -> None:
    """A full build's candidate written under the limit (here by the fake build's copy): exit 2."""
    before = one_run(project)
    result = run_refresh(project, fake=fake, preexec=_limit_file_size)
    assert result.returncode == EXIT_BUILD, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "build failed" in result.stderr and "File too large" in result.stderr
    _assert_unchanged_and_failed(project, before, EXIT_BUILD)


@pytest.mark.exhaustive
def test_a_file_size_limit_on_dbt_writing_the_candidate_is_a_build_failure(project: Path) -> None:
    """The same limit on a real full build: dbt cannot write the candidate; exit 2 naming the nodes."""
    before = one_run(project)
    result = run_refresh(project, preexec=_limit_file_size)
    assert result.returncode == EXIT_BUILD, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "dbt build failed" in result.stderr
    _assert_unchanged_and_failed(project, before, EXIT_BUILD)


# --- the orchestration, on the fake build ----------------------------------------------------------


def test_rollback_switches_every_form_back_and_is_logged(project: Path, fake: Path) -> None:
    first = one_run(project)
    assert run_refresh(project, fake=fake).returncode == 0
    second = one_run(project)
    assert second != first
    # a fake-built release records a fingerprint no project has: the next build is full, never incremental
    assert last_log(project)["mode"] == "full"
    result = run_refresh(project, "--rollback")
    assert result.returncode == 0, result.stderr
    assert one_run(project) == first
    record = last_log(project)
    assert record["action"] == "rollback" and record["release"] == first and second in record["reason"]
    again = run_refresh(project, "--rollback")
    assert again.returncode == EXIT_PUBLISH and "nothing to roll back to" in again.stderr
    assert one_run(project) == first


@pytest.mark.parametrize(("step", "published_by_killed_run"), PUBLISH_STEPS)
def test_sigkill_at_each_publish_step_leaves_every_form_on_one_run(
    project: Path, fake: Path, step: str, published_by_killed_run: bool
) -> None:
    if step == "during_prune":  # a second release, so that retention has something to remove
        assert run_refresh(project, fake=fake).returncode == 0
    _kill_at_publish_step(project, step, published_by_killed_run, killed_by=fake, fake=fake)


def _rewrite_amounts(project: Path, amount_id: str, column_values: dict[str, str]) -> None:
    path = project / "seeds" / "transcription" / "plan_amounts.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["amount_id"] == amount_id:
            row.update(column_values)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _assert_unchanged_and_failed(project: Path, before: str, code: int) -> None:
    assert one_run(project) == before
    record = last_log(project)
    assert record["published"] is False and record["exit_code"] == code and record["reason"]
    kept = Path(record["candidate_dir"])
    assert (kept / "FAILED").read_text(encoding="utf-8").startswith(f"exit {code}: ")


def test_a_failed_publish_then_a_good_refresh_then_a_rollback(project: Path, fake: Path) -> None:
    """Publish fails after the release is sealed (a read-only filesystem at the switch): exit 6, every
    form stays on the old run; the next refresh removes the orphan release and publishes; a rollback
    returns every form to the run before it, never to the failed one."""
    before = one_run(project)
    failed = run_refresh(project, fault="before_switch:oserror", fake=fake)
    assert failed.returncode == EXIT_PUBLISH, failed.stdout + failed.stderr
    assert "publish failed" in failed.stderr and "read-only file system" in failed.stderr
    _assert_unchanged_and_failed(project, before, EXIT_PUBLISH)
    orphan = last_log(project)["run_id"]
    assert releases.is_sealed(releases.Layout(warehouse_dir(project)), orphan)
    good = run_refresh(project, fake=fake)
    assert good.returncode == 0, good.stderr
    assert f"removed release folder {orphan}" in good.stdout
    latest = one_run(project)
    assert run_refresh(project, "--rollback").returncode == 0
    assert one_run(project) == before != latest


def test_an_immutable_warehouse_folder_fails_before_the_build(
    project: Path, fake: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = one_run(project)
    root = warehouse_dir(project)
    immutable = subprocess.run(["chattr", "+i", str(root)], capture_output=True, text=True, check=False)
    try:
        if immutable.returncode == 0:
            result = run_refresh(project, fake=fake)
            code, err = result.returncode, result.stderr
        else:  # no CAP_LINUX_IMMUTABLE here: refuse the probe's rename instead, in-process

            def refuse(src: object, dst: object) -> None:
                raise PermissionError(1, "Operation not permitted", str(dst))

            monkeypatch.setenv("NTP_REFRESH_TESTING", "1")
            monkeypatch.setenv("NTP_REFRESH_FAKE_BUILD", str(fake))
            monkeypatch.setattr(releases.os, "replace", refuse)
            code = refresh_module.refresh(refresh_module.Paths(published_path(project)), project / "seeds")
            monkeypatch.undo()
            err = last_log(project)["reason"]
    finally:
        subprocess.run(["chattr", "-i", str(root)], capture_output=True, check=False)
    assert code == EXIT_PUBLISH
    assert "cannot publish into" in err and "nothing was built" in err
    assert one_run(project) == before
    assert not list((root / ".candidates").glob("*/dbt_build.log"))
    assert not list((root / ".candidates").glob("*/ntp_poverty.duckdb"))


def test_unparseable_number_fails_with_file_and_line(project: Path, fake: Path) -> None:
    before = one_run(project)
    _rewrite_amounts(project, "soctrang_2024_2025_draft:0029:1", {"value_printed": "1.65O"})
    result = run_refresh(project, fake=fake)
    assert result.returncode == EXIT_BUILD
    assert "seeds/transcription/plan_amounts.csv:2:6 (value_printed): not a valid vi_number: '1.65O'" in result.stderr
    _assert_unchanged_and_failed(project, before, EXIT_BUILD)
    assert not (Path(last_log(project)["candidate_dir"]) / "ntp_poverty.duckdb").exists()


def _wait_until_stopped(proc: subprocess.Popen[str]) -> None:
    """Wait until the refresh has stopped itself at its fault point (SIGSTOP), or fail if it ended."""
    stat = Path(f"/proc/{proc.pid}/stat")
    deadline = time.monotonic() + 300
    while proc.poll() is None and time.monotonic() < deadline:
        if stat.read_text(encoding="utf-8").rsplit(")", 1)[1].split()[0] == "T":
            return
        time.sleep(0.05)
    out, err = proc.communicate(timeout=60) if proc.poll() is not None else ("", "")
    raise AssertionError(f"the refresh did not stop at its fault point (exit {proc.returncode}):\n{out}\n{err}")


def test_a_second_refresh_refuses_while_the_first_runs(project: Path, fake: Path) -> None:
    """The first refresh holds still (SIGSTOP) after taking the lock and passing its preflight; a second
    one is refused with exit 5; the first, continued, publishes."""
    first = start_refresh(project, fault="before_build:stop", fake=fake)
    try:
        _wait_until_stopped(first)
        lock = warehouse_dir(project) / ".refresh.lock"
        assert lock.read_text(encoding="utf-8").startswith(f"pid {first.pid} ")
        second = run_refresh(project, fake=fake)
        assert second.returncode == EXIT_LOCKED, second.stdout + second.stderr
        assert "another refresh holds" in second.stderr
    finally:
        os.kill(first.pid, signal.SIGCONT)
    _, err = first.communicate(timeout=600)
    assert first.returncode == 0, err
    assert last_log(project)["published"] is True
    assert [r["exit_code"] for r in runs(project)[-2:]] == [EXIT_LOCKED, 0]


@pytest.fixture()
def fast_refresh(fake: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[refresh_module.Paths, Path]:
    """An in-process refresh of an empty warehouse folder on the fake build."""
    monkeypatch.setenv("NTP_REFRESH_TESTING", "1")
    monkeypatch.setenv("NTP_REFRESH_FAKE_BUILD", str(fake))
    monkeypatch.delenv("NTP_REFRESH_FAULT", raising=False)
    paths = refresh_module.Paths(tmp_path / "w" / "ntp_poverty.duckdb")
    return paths, project_dir() / "seeds"


def test_gx_failures_and_unexpected_errors_have_their_own_exit_codes(
    fast_refresh, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths, seeds = fast_refresh
    monkeypatch.setattr(refresh_module, "validate_marts", lambda warehouse, docs: ["marts.funding_mix: broken"])
    assert refresh_module.refresh(paths, seeds) == EXIT_GX
    assert releases.current_run(paths.layout) is None

    def crash(*args, **kwargs):
        raise KeyError("a bug")

    monkeypatch.setattr(refresh_module, "validate_marts", crash)
    assert refresh_module.refresh(paths, seeds) == EXIT_INTERNAL
    log = [json.loads(line) for line in paths.run_log.read_text(encoding="utf-8").splitlines()]
    assert [r["exit_code"] for r in log] == [EXIT_GX, EXIT_INTERNAL]
    assert "internal error: KeyError" in log[-1]["reason"]
    assert (Path(log[-1]["candidate_dir"]) / "traceback.txt").exists()
    assert (Path(log[-1]["candidate_dir"]) / "FAILED").exists()


def test_a_checkpoint_failure_is_a_build_failure(fast_refresh, monkeypatch: pytest.MonkeyPatch) -> None:
    paths, seeds = fast_refresh
    real_connect = duckdb.connect

    class FailingCheckpoint:
        def __init__(self, con):
            self._con = con

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self._con.close()

        def execute(self, sql, *args):
            if sql.strip().lower() == "checkpoint":
                raise duckdb.IOException("Could not write file: File too large")
            return self._con.execute(sql, *args)

    def connect(path=":memory:", read_only=False, **kwargs):
        con = real_connect(path, read_only=read_only, **kwargs)
        # only a writable connection to the candidate file checkpoints; in-memory ones (the feed
        # validator's) and readers are left alone
        return con if read_only or path == ":memory:" else FailingCheckpoint(con)

    monkeypatch.setattr(refresh_module.verify_candidate.__globals__["duckdb"], "connect", connect)
    assert refresh_module.refresh(paths, seeds) == EXIT_BUILD
    record = json.loads(paths.run_log.read_text(encoding="utf-8").splitlines()[-1])
    assert "could not be written" in record["reason"] and "File too large" in record["reason"]
    assert (Path(record["candidate_dir"]) / "FAILED").exists()
    assert releases.current_run(paths.layout) is None


def test_the_test_hooks_are_inert_without_ntp_refresh_testing(
    fake: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A deployment never sets NTP_REFRESH_TESTING: a stray NTP_REFRESH_FAKE_BUILD or NTP_REFRESH_FAULT
    changes nothing there, and the refresh reaches the real dbt build."""
    monkeypatch.delenv("NTP_REFRESH_TESTING", raising=False)
    monkeypatch.setenv("NTP_REFRESH_FAKE_BUILD", str(fake))
    monkeypatch.setenv("NTP_REFRESH_FAULT", "before_build:oserror")
    candidate = tmp_path / "candidate.duckdb"
    assert faults.fake_build(candidate, tmp_path, "a-run") is None
    assert not candidate.exists()
    faults.point("before_build")  # no OSError
    real_builds: list[object] = []

    def real_dbt(candidate: Path, run_dir: Path, run_vars: dict[str, object], record: object, **kwargs) -> None:
        real_builds.append(run_vars["run_id"])
        raise RefreshError(EXIT_BUILD, "the real dbt build was reached")

    monkeypatch.setattr(refresh_module, "run_dbt", real_dbt)
    paths = refresh_module.Paths(tmp_path / "w" / "ntp_poverty.duckdb")
    seeds = project_dir() / "seeds"
    assert refresh_module.refresh(paths, seeds) == EXIT_BUILD
    log = [json.loads(line) for line in paths.run_log.read_text(encoding="utf-8").splitlines()]
    assert log[-1]["reason"] == "the real dbt build was reached" and real_builds == [log[-1]["run_id"]]
    # the same environment with NTP_REFRESH_TESTING=1: the fault fires, and without it the fake build
    monkeypatch.setenv("NTP_REFRESH_TESTING", "1")
    assert refresh_module.refresh(paths, seeds) == EXIT_INTERNAL
    monkeypatch.delenv("NTP_REFRESH_FAULT")
    assert refresh_module.refresh(paths, seeds) == 0
    log = [json.loads(line) for line in paths.run_log.read_text(encoding="utf-8").splitlines()]
    assert "injected fault at before_build" in log[-2]["reason"] and log[-1]["published"] is True
    assert len(real_builds) == 1


# --- preflight: nothing unproven is built, let alone published -------------------------------------

SOC_TRANG = Path("documents") / "000_cdbc9b3cac43e985.txt"
VINH_LONG = Path("documents") / "003_36708f18770573fd.txt"


def _move_fragment_off_its_line(project: Path) -> str:
    """Document 000 line 29 no longer prints the first amount's fragment '1.650 triệu đồng'."""
    document = project / SOC_TRANG
    lines = document.read_text(encoding="utf-8").split("\n")
    assert "1.650 triệu đồng" in lines[28]
    lines[28] = lines[28].replace("1.650 triệu đồng", "1.650 triệu VNĐ")
    document.write_text("\n".join(lines), encoding="utf-8")
    return (
        r"seeds/transcription/plan_amounts\.csv:2:5 \(source_text\): source text '1\.650 triệu đồng' "
        r"is not on \S*documents/000_cdbc9b3cac43e985\.txt:29"
    )


def _print_the_english_way(project: Path) -> str:
    """The first amount's value_printed '1.650' becomes '1,650.5' (Babel's lenient mode reads 1.6505)."""
    _rewrite_amounts(project, "soctrang_2024_2025_draft:0029:1", {"value_printed": "1,650.5"})
    return r"seeds/transcription/plan_amounts\.csv:2:6 \(value_printed\): not a valid vi_number: '1,650\.5'"


def _truncate_a_document(project: Path) -> str:
    """Document 003 loses everything after its line 600 (its appendix is cited up to line 644)."""
    document = project / VINH_LONG
    lines = document.read_text(encoding="utf-8").split("\n")
    document.write_text("\n".join(lines[:600]) + "\n", encoding="utf-8")
    return (
        r"seeds/transcription/plan_amounts\.csv:\d+:4 \(source_line\): line \d+ is past the end of "
        r"\S*documents/003_36708f18770573fd\.txt \(600 lines; "
    )


@pytest.mark.parametrize(
    "breakage",
    [_move_fragment_off_its_line, _print_the_english_way, _truncate_a_document],
    ids=["source_text_off_its_line", "lenient_number", "truncated_document"],
)
def test_preflight_refuses_unproven_inputs_before_dbt(project: Path, fake: Path, breakage) -> None:
    """Exit 2 with a located error, the published forms untouched, and nothing built."""
    before = one_run(project)
    located = breakage(project)
    result = run_refresh(project, fake=fake)
    assert result.returncode == EXIT_BUILD, result.stdout + result.stderr
    assert re.search(located, result.stderr), result.stderr
    assert "Traceback" not in result.stderr
    assert "preflight failed" in last_log(project)["reason"]
    _assert_unchanged_and_failed(project, before, EXIT_BUILD)
    kept = Path(last_log(project)["candidate_dir"])
    assert not (kept / "dbt_build.log").exists() and not (kept / "ntp_poverty.duckdb").exists()
