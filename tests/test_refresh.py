"""Proofs of the nightly refresh: readers never see a half-built or mixed warehouse, a failed or
killed refresh never replaces a good one, every published form always carries one run id, and every
failure ends in its documented exit code with a run-log line."""

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
import time
from pathlib import Path

import duckdb
import pytest

from conftest import NTP, copy_project
from ntp_poverty.project import project_dir
from ntp_poverty.publish import releases
from ntp_poverty.publish.forms import stamped_run_id
from ntp_poverty.refresh import pipeline as refresh_module
from ntp_poverty.refresh.run_log import EXIT_BUILD, EXIT_GX, EXIT_LOCKED, EXIT_PUBLISH, EXIT_TESTS

pytestmark = pytest.mark.slow

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


def start_refresh(project: Path, *args: str, fault: str = "", preexec=None) -> subprocess.Popen[str]:
    """Start the project's refresh command in its own process group (optionally with a fault)."""
    env = dict(os.environ, DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    if national_feed := os.environ.get("NTP_TEST_FEED"):  # make test-national: the same proofs at 1M rows
        env["NTP_FEEDS"] = national_feed
    if fault:
        env.update(NTP_REFRESH_TESTING="1", NTP_REFRESH_FAULT=fault)
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


def run_refresh(project: Path, *args: str, fault: str = "", preexec=None) -> subprocess.CompletedProcess[str]:
    proc = start_refresh(project, *args, fault=fault, preexec=preexec)
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


@pytest.fixture(scope="module")
def published_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project copy with one successful refresh published (copied again by every test)."""
    project = copy_project(tmp_path_factory.mktemp("template"))
    result = run_refresh(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project


@pytest.fixture()
def project(published_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(published_template, target, symlinks=True)
    shutil.rmtree(target / "target", ignore_errors=True)
    return target


def test_refresh_publishes_one_sealed_release_behind_one_pointer(project: Path, duckdb15_python: Path) -> None:
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


def test_rollback_switches_every_form_back_and_is_logged(project: Path) -> None:
    first = one_run(project)
    assert run_refresh(project).returncode == 0
    second = one_run(project)
    assert second != first
    result = run_refresh(project, "--rollback")
    assert result.returncode == 0, result.stderr
    assert one_run(project) == first
    record = last_log(project)
    assert record["action"] == "rollback" and record["release"] == first and second in record["reason"]
    again = run_refresh(project, "--rollback")
    assert again.returncode == EXIT_PUBLISH and "nothing to roll back to" in again.stderr
    assert one_run(project) == first


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


def test_readers_during_a_refresh_see_the_old_or_the_new_build_never_a_mix(project: Path, tmp_path: Path) -> None:
    published = published_path(project)
    old = run_id(published)
    stop = tmp_path / "stop"
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
        assert result.returncode == 0, result.stderr
        new = run_id(published)
        time.sleep(2)
    finally:
        stop.touch()
        outputs = [r.communicate(timeout=60) for r in readers]
    lines = [line for out, _ in outputs for line in out.splitlines()]
    assert all(r.returncode == 0 for r in readers), [err for _, err in outputs]
    assert len(lines) > 30
    assert [line for line in lines if not line.startswith("ok ")] == []
    seen = {line.split()[1] for line in lines}
    assert seen == {old, new}


def test_killed_during_the_build_leaves_every_form_and_is_logged_as_interrupted(project: Path) -> None:
    before = one_run(project)
    database = published_path(project).resolve()
    before_digest = digest(database)
    proc = start_refresh(project)
    candidates = warehouse_dir(project) / ".candidates"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list(candidates.glob("*/logs/dbt.log")):
        time.sleep(0.2)
    time.sleep(2)  # well inside dbt build
    os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    killed = next(candidates.iterdir()).name
    assert one_run(project) == before and digest(database) == before_digest
    assert (warehouse_dir(project) / ".refresh.lock").read_text(encoding="utf-8").startswith("pid ")
    result = run_refresh(project)
    assert result.returncode == 0, result.stderr
    assert "cleaned up a stale lock" in result.stdout
    assert "removed the candidate of an interrupted run" in result.stdout
    interrupted = [r for r in runs(project) if r["action"] == "interrupted"]
    assert [(r["run_id"], r["published"], r["exit_code"]) for r in interrupted] == [(killed, False, None)]
    assert "logs" in interrupted[0]["left"] and interrupted[0]["cleaned"] == [f".candidates/{killed}"]
    assert one_run(project) not in (before, killed)
    assert list(candidates.iterdir()) == []


@pytest.mark.parametrize(
    ("step", "published_by_killed_run"),
    [("after_export", False), ("before_switch", False), ("after_switch", True), ("during_prune", True)],
)
def test_sigkill_at_each_publish_step_leaves_every_form_on_one_run(
    project: Path, step: str, published_by_killed_run: bool
) -> None:
    if step == "during_prune":  # a third release, so that retention has something to remove
        assert run_refresh(project).returncode == 0
    before = one_run(project)
    killed = run_refresh(project, fault=f"{step}:kill")
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    killed_run = next((warehouse_dir(project) / ".candidates").iterdir()).name
    after_kill = one_run(project)
    assert after_kill == (killed_run if published_by_killed_run else before)
    recovered = run_refresh(project)
    assert recovered.returncode == 0, recovered.stdout + recovered.stderr
    latest = one_run(project)
    assert latest not in (before, killed_run)
    interrupted = [r for r in runs(project) if r["action"] == "interrupted"]
    assert [(r["run_id"], r["published"]) for r in interrupted] == [(killed_run, published_by_killed_run)]
    kept = sorted(p.name for p in (warehouse_dir(project) / "releases").iterdir())
    assert kept == sorted({latest, after_kill})  # current and previous, by publish history
    assert run_refresh(project, "--rollback").returncode == 0
    assert one_run(project) == after_kill


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


def test_a_failed_publish_then_a_good_refresh_then_a_rollback(project: Path) -> None:
    """Publish fails after the release is sealed (a read-only filesystem at the switch): exit 6, every
    form stays on the old run; the next refresh removes the orphan release and publishes; a rollback
    returns every form to the run before it, never to the failed one."""
    before = one_run(project)
    failed = run_refresh(project, fault="before_switch:oserror")
    assert failed.returncode == EXIT_PUBLISH, failed.stdout + failed.stderr
    assert "publish failed" in failed.stderr and "read-only file system" in failed.stderr
    _assert_unchanged_and_failed(project, before, EXIT_PUBLISH)
    orphan = last_log(project)["run_id"]
    assert releases.is_sealed(releases.Layout(warehouse_dir(project)), orphan)
    good = run_refresh(project)
    assert good.returncode == 0, good.stderr
    assert f"removed release folder {orphan}" in good.stdout
    latest = one_run(project)
    assert run_refresh(project, "--rollback").returncode == 0
    assert one_run(project) == before != latest


def test_an_immutable_warehouse_folder_fails_before_the_build(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = one_run(project)
    root = warehouse_dir(project)
    immutable = subprocess.run(["chattr", "+i", str(root)], capture_output=True, text=True, check=False)
    try:
        if immutable.returncode == 0:
            result = run_refresh(project)
            code, err = result.returncode, result.stderr
        else:  # no CAP_LINUX_IMMUTABLE here: refuse the probe's rename instead, in-process

            def refuse(src: object, dst: object) -> None:
                raise PermissionError(1, "Operation not permitted", str(dst))

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


def _limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (4 * 1024 * 1024, 4 * 1024 * 1024))


def test_a_file_size_limit_during_the_build_is_a_build_failure_that_says_so(project: Path) -> None:
    before = one_run(project)
    result = run_refresh(project, preexec=_limit_file_size)
    assert result.returncode == EXIT_BUILD, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    _assert_unchanged_and_failed(project, before, EXIT_BUILD)


def test_unparseable_number_fails_with_file_and_line(project: Path) -> None:
    before = one_run(project)
    _rewrite_amounts(project, "soctrang_2024_2025_draft:0029:1", {"value_printed": "1.65O"})
    result = run_refresh(project)
    assert result.returncode == EXIT_BUILD
    assert "seeds/transcription/plan_amounts.csv:2:6 (value_printed): not a valid vi_number: '1.65O'" in result.stderr
    _assert_unchanged_and_failed(project, before, EXIT_BUILD)


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
    result = run_refresh(project)
    assert result.returncode == EXIT_TESTS
    assert (
        "UNACKNOWLEDGED ARITHMETIC MISMATCH: check funding_sources_to_total, "
        "document soctrang_2024_2025_draft, line 194"
    ) in result.stderr
    _assert_unchanged_and_failed(project, before, EXIT_TESTS)


def test_a_second_refresh_refuses_while_the_first_runs(project: Path) -> None:
    first = start_refresh(project)
    lock = warehouse_dir(project) / ".refresh.lock"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not lock.read_text(encoding="utf-8").startswith("pid "):
        time.sleep(0.1)
    second = run_refresh(project)
    assert second.returncode == EXIT_LOCKED
    assert "another refresh holds" in second.stderr
    _, err = first.communicate(timeout=600)
    assert first.returncode == 0, err
    assert last_log(project)["published"] is True
    assert [r["exit_code"] for r in runs(project)[-2:]] == [EXIT_LOCKED, 0]


@pytest.fixture()
def fast_refresh(built_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """In-process refresh with dbt replaced by a copy of an already built warehouse (fast)."""

    def fake_dbt(
        candidate: Path, run_dir: Path, run_vars: dict[str, str], record, full_refresh: bool = True, slices: object = ()
    ) -> None:
        shutil.copy(built_warehouse, candidate)
        with duckdb.connect(str(candidate)) as con:
            con.execute("update audit.warehouse_build set run_id = ?", [run_vars["run_id"]])

    monkeypatch.setattr(refresh_module, "run_dbt", fake_dbt)
    site = tmp_path / "static_index.html"
    site.write_text("<html><head></head><body></body></html>", encoding="utf-8")
    monkeypatch.setattr(refresh_module, "generate_docs", lambda *args: site)
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
    assert refresh_module.refresh(paths, seeds) == refresh_module.EXIT_INTERNAL
    log = [json.loads(line) for line in paths.run_log.read_text(encoding="utf-8").splitlines()]
    assert [r["exit_code"] for r in log] == [EXIT_GX, refresh_module.EXIT_INTERNAL]
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
def test_preflight_refuses_unproven_inputs_before_dbt(project: Path, breakage) -> None:
    """Exit 2 with a located error, the published forms untouched, and dbt never started."""
    before = one_run(project)
    located = breakage(project)
    result = run_refresh(project)
    assert result.returncode == EXIT_BUILD, result.stdout + result.stderr
    assert re.search(located, result.stderr), result.stderr
    assert "Traceback" not in result.stderr
    assert "preflight failed" in last_log(project)["reason"]
    _assert_unchanged_and_failed(project, before, EXIT_BUILD)
    assert not (Path(last_log(project)["candidate_dir"]) / "dbt_build.log").exists()
