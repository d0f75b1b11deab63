"""Proofs of the nightly refresh's orchestration on a fake build (``NTP_REFRESH_FAKE_BUILD``,
:mod:`ntp_poverty.refresh.faults`): the build step copies the session's one full build into the
candidate; the lock, recovery, preflight, plan, the candidate's proof, Great Expectations, report,
release, seal, switch, retention, run log and exit codes run for real (tests/test_refresh.py runs
the real chain)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import duckdb
import pytest
from refresh_support import (
    PUBLISH_STEPS,
    SOC_TRANG,
    VINH_LONG,
    assert_unchanged_and_failed,
    kill_at_publish_step,
    last_log,
    limit_file_size,
    one_run,
    published_path,
    rewrite_amounts,
    run_refresh,
    runs,
    start_refresh,
    warehouse_dir,
)

from ntp_poverty.project import project_dir
from ntp_poverty.publish import releases
from ntp_poverty.refresh import faults
from ntp_poverty.refresh import pipeline as refresh_module
from ntp_poverty.refresh.run_log import (
    EXIT_BUILD,
    EXIT_GX,
    EXIT_INTERNAL,
    EXIT_LOCKED,
    EXIT_PUBLISH,
    RefreshError,
)

pytestmark = pytest.mark.slow  # the fake build copies the session's built_warehouse


def test_a_file_size_limit_writing_the_candidate_is_a_build_failure_that_says_so(project: Path, fake: Path) -> None:
    """A full build's candidate written under the limit (here by the fake build's copy): exit 2."""
    before = one_run(project)
    result = run_refresh(project, fake=fake, preexec=limit_file_size)
    assert result.returncode == EXIT_BUILD, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "build failed" in result.stderr and "File too large" in result.stderr
    assert_unchanged_and_failed(project, before, EXIT_BUILD)


@pytest.mark.exhaustive
def test_rollback_switches_every_form_back_and_is_logged(project: Path, fake: Path) -> None:
    """make test: the same rollback, its log line and the second rollback's refusal end
    test_a_failed_publish_then_a_good_refresh_then_a_rollback."""
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


@pytest.mark.parametrize(
    ("step", "published_by_killed_run"),
    [
        # after the switch (published), with the next refresh's recovery: make test (before the switch,
        # a real build's kill in tests/test_refresh.py); every other step proves the same again: make test-all
        pytest.param(step, published, marks=[] if step == "after_switch" else [pytest.mark.exhaustive])
        for step, published in PUBLISH_STEPS
    ],
)
def test_sigkill_at_each_publish_step_leaves_every_form_on_one_run(
    project: Path, fake: Path, step: str, published_by_killed_run: bool
) -> None:
    if step == "during_prune":  # a second release, so that retention has something to remove
        assert run_refresh(project, fake=fake).returncode == 0
    kill_at_publish_step(project, step, published_by_killed_run, killed_by=fake, fake=fake)


def test_a_failed_publish_then_a_good_refresh_then_a_rollback(project: Path, fake: Path) -> None:
    """Publish fails after the release is sealed (a read-only filesystem at the switch): exit 6, every
    form stays on the old run, the failed run removes the release it began; the next refresh publishes; a rollback
    returns every form to the run before it, never to the failed one."""
    before = one_run(project)
    failed = run_refresh(project, fault="before_switch:oserror", fake=fake)
    assert failed.returncode == EXIT_PUBLISH, failed.stdout + failed.stderr
    assert "publish failed" in failed.stderr and "read-only file system" in failed.stderr
    assert_unchanged_and_failed(project, before, EXIT_PUBLISH)
    orphan = last_log(project)["run_id"]
    assert f"removed the unpublished release folder {orphan}" in failed.stdout  # it frees what it wrote
    assert f"releases/{orphan}" in last_log(project)["cleaned"]
    assert not (warehouse_dir(project) / "releases" / orphan).exists()
    good = run_refresh(project, fake=fake)
    assert good.returncode == 0, good.stderr
    latest = one_run(project)
    assert run_refresh(project, "--rollback").returncode == 0
    assert one_run(project) == before != latest
    record = last_log(project)
    assert record["action"] == "rollback" and record["release"] == before and latest in record["reason"]
    again = run_refresh(project, "--rollback")
    assert again.returncode == EXIT_PUBLISH and "nothing to roll back to" in again.stderr
    assert one_run(project) == before


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
    rewrite_amounts(project, "soctrang_2024_2025_draft:0029:1", {"value_printed": "1.65O"})
    result = run_refresh(project, fake=fake)
    assert result.returncode == EXIT_BUILD
    assert "seeds/transcription/plan_amounts.csv:2:6 (value_printed): not a valid vi_number: '1.65O'" in result.stderr
    assert_unchanged_and_failed(project, before, EXIT_BUILD)
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
    monkeypatch.setenv("NTP_REFRESH_SKIP_VALIDATION", "1")
    candidate = tmp_path / "candidate.duckdb"
    assert faults.fake_build(candidate, tmp_path, "a-run") is None
    assert not candidate.exists()
    assert faults.fake_validation(tmp_path / "data_docs") is None and not (tmp_path / "data_docs").exists()
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
    assert refresh_module.refresh(paths, seeds) == EXIT_BUILD  # a file-system error before the build
    monkeypatch.delenv("NTP_REFRESH_FAULT")
    assert refresh_module.refresh(paths, seeds) == 0
    log = [json.loads(line) for line in paths.run_log.read_text(encoding="utf-8").splitlines()]
    assert "injected fault at before_build" in log[-2]["reason"] and log[-1]["published"] is True
    assert len(real_builds) == 1


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
    rewrite_amounts(project, "soctrang_2024_2025_draft:0029:1", {"value_printed": "1,650.5"})
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
    assert_unchanged_and_failed(project, before, EXIT_BUILD)
    kept = Path(last_log(project)["candidate_dir"])
    assert not (kept / "dbt_build.log").exists() and not (kept / "ntp_poverty.duckdb").exists()
