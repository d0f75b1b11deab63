"""What the refresh's tests share (tests/test_refresh.py: the real chain; tests/test_refresh_orchestration.py:
the orchestration on a fake build): starting ``ntp refresh`` in a project copy, reading what it published,
and the fixtures of a project with one fake-built release (registered by tests/conftest.py's pytest_plugins)."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import resource
import shutil
import signal
import subprocess
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from conftest import NTP, copy_project
from ntp_poverty.publish import releases
from ntp_poverty.publish.forms import stamped_run_id

MARTS = [
    "cross_province_comparison",
    "data_quality_findings",
    "document_reconciliation",
    "execution_progress",
    "funding_mix",
    "period_amounts",
    "poverty_rate_series",
    "target_attainment",
    "target_comparison",
    "yoy_change",
]


TEST_HOOKS = ("NTP_REFRESH_TESTING", "NTP_REFRESH_FAULT", "NTP_REFRESH_FAKE_BUILD", "NTP_REFRESH_SKIP_VALIDATION")


def start_refresh(
    project: Path,
    *args: str,
    fault: str = "",
    fake: Path | None = None,
    preexec: Callable[[], None] | None = None,
    environ: dict[str, str] | None = None,
) -> subprocess.Popen[str]:
    """Start the project's refresh command in its own process group: a real build, or with ``fake`` a
    fake build copying that DuckDB file; optionally with a fault (:mod:`ntp_poverty.refresh.faults`)
    and more environment variables (``environ``)."""
    env = {k: v for k, v in os.environ.items() if k not in TEST_HOOKS} | (environ or {})
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    national_feed = os.environ.get("NTP_TEST_FEED")
    if national_feed and "NTP_FEEDS" not in (environ or {}):  # make test-national: the same proofs at 1M rows
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
    environ: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    proc = start_refresh(project, *args, fault=fault, fake=fake, preexec=preexec, environ=environ)
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


@pytest.fixture(scope="session")
def fake(built_warehouse: Path) -> Path:
    """What a fake build copies into its candidate: the session's one full build (shared: never written)."""
    return built_warehouse


@pytest.fixture(scope="session")
def fake_template(fake: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project copy with one fake-build refresh published (copied again by every fake-build test;
    never changed itself): once per worker, whichever of the refresh's test files comes first."""
    project = copy_project(tmp_path_factory.mktemp("fake-template"))
    result = run_refresh(project, fake=fake)
    assert result.returncode == 0, result.stdout + result.stderr
    return project


@pytest.fixture()
def project(fake_template: Path, tmp_path: Path) -> Path:
    """A private copy of the fake template: one release published by a fake build."""
    return copy_of(fake_template, tmp_path)


def kill_at_publish_step(
    project: Path, step: str, published_by_killed_run: bool, killed_by: Path | None, fake: Path, recover: bool = True
) -> None:
    """SIGKILL a refresh (a real build, or with ``killed_by`` a fake one) at ``step``: every form stays
    on one run (the old one, or the killed run's if it had switched); with ``recover``, the next
    refresh (a fake build, planned full: no Parquet carried over from a real release) logs it as
    interrupted, retention keeps current and previous, and a rollback returns every form."""
    before = one_run(project)
    # a real build's kill: Great Expectations, which runs before publishing, is proven by the good refresh
    skip = None if killed_by else {"NTP_REFRESH_SKIP_VALIDATION": "1"}
    killed = run_refresh(project, fault=f"{step}:kill", fake=killed_by, environ=skip)
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    killed_run = next((warehouse_dir(project) / ".candidates").iterdir()).name
    after_kill = one_run(project)
    assert after_kill == (killed_run if published_by_killed_run else before)
    if not recover:
        return
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


def rewrite_amounts(project: Path, amount_id: str, column_values: dict[str, str]) -> None:
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


def assert_unchanged_and_failed(project: Path, before: str, code: int) -> None:
    assert one_run(project) == before
    record = last_log(project)
    assert record["published"] is False and record["exit_code"] == code and record["reason"]
    kept = Path(record["candidate_dir"])
    assert (kept / "FAILED").read_text(encoding="utf-8").startswith(f"exit {code}: ")


def limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (4 * 1024 * 1024, 4 * 1024 * 1024))


SOC_TRANG = Path("documents") / "000_cdbc9b3cac43e985.txt"


VINH_LONG = Path("documents") / "003_36708f18770573fd.txt"
