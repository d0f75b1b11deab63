"""Progress of a running dbt command (src/ntp_poverty/build/progress.py) and its streaming by the
refresh's ``_dbt``: dbt's node lines parsed from real output, the plain lines and the terminal bar,
and a fake ``dbt`` proving the log grows and progress shows while the command still runs. No dbt
build runs here: every time is a fake clock's, every wait is for an event, never for a duration."""

from __future__ import annotations

import io
import itertools
import json
import os
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from ntp_poverty.build import steps
from ntp_poverty.build.progress import (
    DbtProgress,
    ProgressDisplay,
    bar_line,
    final_line,
    format_duration,
    is_terminal,
    parse_node_line,
    plain_line,
    progress_interval,
    run_streaming,
)
from ntp_poverty.build.steps import _dbt  # the refresh's one way to run dbt
from ntp_poverty.refresh.run_log import EXIT_BUILD, EXIT_TESTS, RefreshError, RunRecord

SAMPLES = Path(__file__).parent / "dbt_output"
WAIT_SECONDS = 60.0  # the most a test waits for the fake dbt to reach a point it reaches at once


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def sample(name: str) -> list[str]:
    return (SAMPLES / name).read_text(encoding="utf-8").splitlines(keepends=True)


def progress_of(lines: list[str]) -> DbtProgress:
    progress = DbtProgress(started=0.0)
    for number, line in enumerate(lines, start=1):
        if event := parse_node_line(line):
            progress.update(event, float(number))
    return progress


# -- the parser, on real dbt output ------------------------------------------------------------------


def test_node_lines_are_read_with_colour_codes_and_timestamps() -> None:
    start = parse_node_line(
        "\x1b[0m05:31:45  3 of 489 START sql incremental model staging.stg_feeds__line_items_csv ......... [RUN]\n"
    )
    assert start is not None and (start.index, start.total, start.status) == (3, 489, "START")
    assert start.node == "model staging.stg_feeds__line_items_csv" and not start.is_hook
    seed = parse_node_line(
        "\x1b[0m05:31:45  6 of 489 OK loaded seed file raw.acknowledged_source_errors ..... "
        "[\x1b[32mCREATE 6\x1b[0m in 0.06s]"
    )
    assert seed is not None and (seed.status, seed.node) == ("OK", "seed raw.acknowledged_source_errors")
    no_dots = parse_node_line(
        "05:34:01  8 of 25 START sql incremental model intermediate.int_plan_amounts_leaf_selected  [RUN]"
    )
    assert no_dots is not None and no_dots.node == "model intermediate.int_plan_amounts_leaf_selected"
    failed = parse_node_line("05:33:23  7 of 9 FAIL 1 not_null_good_name ............. [FAIL 1 in 0.11s]")
    assert failed is not None and failed.failed and failed.node == "test not_null_good_name"
    hook = parse_node_line("05:31:45  2 of 6 START hook: ntp_poverty.on-run-start.1 ........ [RUN]")
    assert hook is not None and hook.is_hook and hook.node == "hook ntp_poverty.on-run-start.1"
    exposure = parse_node_line("05:32:02  468 of 489 NO-OP exposure visual_report ......... [NO-OP in 0.00s]")
    assert exposure is not None and (exposure.status, exposure.node) == ("NO-OP", "exposure visual_report")


def test_other_lines_are_not_node_lines() -> None:
    for line in sample("full_build.txt")[:7] + sample("full_build.txt")[-6:]:
        assert parse_node_line(line) is None, line
    assert parse_node_line("  Got 1 result, configured to fail if != 0") is None
    assert parse_node_line("") is None


def test_a_real_full_build_counts_every_node_and_no_hook() -> None:
    lines = sample("full_build.txt")
    progress = progress_of(lines)
    assert (progress.total, len(progress.done), progress.invocations) == (489, 489, 1)
    assert progress.done == set(range(1, 490))  # the exposures' NO-OP lines have no START line
    assert progress.failures == [] and progress.warnings == 0 and progress.skipped == 0
    assert progress.running == {} and progress.hooks == {}
    # the third of six on-run-start hooks is running: shown, not counted
    hooks = progress_of(lines[:12])
    assert hooks.position() == "0 of ?"
    assert [node for node, _ in hooks.running_nodes(20.0)] == ["hook ntp_poverty.on-run-start.2"]
    # then the third node: done 2 of 489, the model running for as long as since its START line
    started = next(n for n, line in enumerate(lines, start=1) if " 3 of 489 START" in line)
    middle = progress_of(lines[:started])
    assert middle.position() == "2 of 489"
    assert middle.running_nodes(started + 5.0) == [("model staging.stg_feeds__line_items_csv", 5.0)]


def test_failures_warnings_and_skips_on_two_threads() -> None:
    lines = sample("failing_build.txt")
    progress = progress_of(lines)
    assert (progress.total, len(progress.done)) == (9, 9)
    assert progress.failures == [
        "ERROR model main.broken",
        "FAIL test not_null_good_name",
        "FAIL test not_null_people_name",
    ]
    assert (progress.warnings, progress.skipped) == (1, 2)
    two_running = progress_of([line for line in lines if " of 9 START" in line][:2])
    assert [node for node, _ in two_running.running_nodes(99.0)] == ["model main.broken", "model main.dupes"]


def test_the_count_starts_again_for_each_invocation() -> None:
    """The passes of a sliced build, concatenated: a second total, or the same total from 1 again."""
    slice_run, full = sample("slice_run.txt"), sample("full_build.txt")
    both = progress_of(slice_run + full)
    assert (both.total, len(both.done), both.invocations) == (489, 489, 2)
    first_of_second = next(n for n, line in enumerate(slice_run, start=1) if " 1 of 25 START" in line)
    twice = progress_of(slice_run + slice_run[:first_of_second])
    assert (twice.total, twice.position(), twice.invocations) == (25, "0 of 25", 2)
    assert [node for node, _ in twice.running_nodes(999.0)] == ["model staging.stg_feeds__line_items_csv"]
    assert progress_of(slice_run + slice_run).position() == "25 of 25"
    failures = progress_of(sample("failing_build.txt") + slice_run)
    assert len(failures.failures) == 3 and failures.position() == "25 of 25"  # failures are kept


# -- what is shown -----------------------------------------------------------------------------------


def test_durations() -> None:
    assert [format_duration(s) for s in (0, 7.9, 61, 843, 3723)] == ["0:00", "0:07", "1:01", "14:03", "1:02:03"]


def running_progress() -> DbtProgress:
    """123 of 489 done, core.fct_plan_amount started 12 s ago (at 30 s), one failure so far."""
    progress = DbtProgress(started=0.0, total=489, done=set(range(1, 124)), invocations=1)
    progress.running = {124: ("model core.fct_plan_amount", 30.0)}
    progress.failures = ["FAIL test not_null_x"]
    return progress


def test_plain_lines_say_done_total_elapsed_running_node_and_failures() -> None:
    progress = running_progress()
    assert plain_line("dbt build", progress, 42.0) == (
        "dbt build: 123 of 489 nodes done (25%), 0:42 elapsed; running model core.fct_plan_amount (0:12); "
        "1 failed: FAIL test not_null_x"
    )
    assert plain_line("dbt parse", DbtProgress(started=0.0), 9.0) == "dbt parse: no node finished yet, 0:09 elapsed"
    assert final_line("dbt build", progress, 50.0, -9) == (
        "dbt build was killed by signal 9 after 0:50: 123 of 489 nodes done; it was running "
        "model core.fct_plan_amount (0:20); 1 failed: FAIL test not_null_x"
    )
    assert final_line("dbt build", progress_of(sample("full_build.txt")), 1e4, 0) == (
        "dbt build exited with code 0 after 2:46:40: 489 of 489 nodes done"
    )
    many = progress_of(sample("failing_build.txt") * 2)
    assert plain_line("dbt build", many, 100.0).endswith(
        "6 failed: ERROR model main.broken, FAIL test not_null_good_name, FAIL test not_null_people_name and 3 more; "
        "2 warned; 4 skipped"
    )


def test_the_terminal_bar_fits_its_width() -> None:
    progress = running_progress()
    assert bar_line("dbt build", progress, 42.0, 200) == (
        "dbt build [#####---------------] 123/489  25% 0:42 1 failed  model core.fct_plan_amount (0:12)"
    )
    # narrower than 100 columns: a bar half as wide; then the end is cut
    assert bar_line("dbt build", progress, 42.0, 99) == (
        "dbt build [##--------] 123/489  25% 0:42 1 failed  model core.fct_plan_amount (0:12)"
    )
    assert bar_line("dbt build", progress, 42.0, 80) == (
        "dbt build [##--------] 123/489  25% 0:42 1 failed  model core.fct_plan_amoun..."
    )
    assert bar_line("dbt build", progress, 42.0, 40) == "dbt build [##--------] 123/489  25% ..."
    assert bar_line("dbt build", DbtProgress(started=0.0), 3.0, 100) == "dbt build [--------------------] 0/?   0% 0:03"
    done = progress_of(sample("full_build.txt"))
    assert bar_line("dbt build", done, 30.0, 100, ended="done") == (
        "dbt build [####################] 489/489 100% 0:30  done"
    )


def display(out: io.StringIO, clock: FakeClock, *, terminal: bool, interval: float = 10.0) -> ProgressDisplay:
    return ProgressDisplay("dbt build", out, terminal=terminal, interval=interval, clock=clock, width=lambda: 100)


def test_plain_lines_are_throttled_but_failures_and_the_end_are_not() -> None:
    out, clock = io.StringIO(), FakeClock()
    shown = display(out, clock, terminal=False, interval=10.0)
    lines = sample("failing_build.txt")
    for line in lines[:13]:  # up to "1 of 9 ERROR creating sql view model main.broken", at 6.5 s
        clock.now += 0.5
        shown.feed(line)
    assert out.getvalue().count("\n") == 1 and "dbt build: ERROR model main.broken (1 of 9, 0:06" in out.getvalue()
    clock.now = 109.0
    shown.tick()
    assert out.getvalue().count("\n") == 1  # 9 s since the start: no line due
    clock.now = 110.0
    shown.tick()  # 10 s: a line even though no node line came (a long node keeps being reported)
    assert (
        out.getvalue()
        .splitlines()[-1]
        .endswith(
            "dbt build: 1 of 9 nodes done (11%), 0:10 elapsed; running model main.dupes (0:04); "
            "1 failed: ERROR model main.broken"
        )
    )
    for line in lines[13:]:  # the last node line (a hook) at 14 s: no line due by time since 10 s
        clock.now += 0.25
        shown.feed(line)
    clock.now = 130.0
    shown.finish(1)
    text = out.getvalue()
    assert "\r" not in text and "\x1b" not in text
    assert [line.split("] ", 1)[1] for line in text.splitlines()] == [
        "dbt build: ERROR model main.broken (1 of 9, 0:06 elapsed)",
        "dbt build: 1 of 9 nodes done (11%), 0:10 elapsed; running model main.dupes (0:04); "
        "1 failed: ERROR model main.broken",
        "dbt build: FAIL test not_null_good_name (8 of 9, 0:13 elapsed)",
        "dbt build: FAIL test not_null_people_name (9 of 9, 0:13 elapsed)",
        "dbt build exited with code 1 after 0:30: 9 of 9 nodes done; 3 failed: ERROR model main.broken, "
        "FAIL test not_null_good_name, FAIL test not_null_people_name; 1 warned; 2 skipped",
    ]
    assert all(line.startswith("[refresh ") for line in text.splitlines())


def test_a_due_line_waits_for_the_next_node_to_start_and_names_it() -> None:
    out, clock = io.StringIO(), FakeClock()
    shown = display(out, clock, terminal=False, interval=10.0)
    nodes = [line for line in sample("slice_run.txt") if " of 25 " in line]
    shown.feed(nodes[0])  # 1 of 25 START, at 0 s
    clock.now = 112.0
    shown.feed(nodes[1])  # 1 of 25 OK, at 12 s: due, but nothing is running to name
    assert out.getvalue() == ""
    shown.feed(nodes[2])  # 2 of 25 START
    assert out.getvalue().split("] ", 1)[1] == (
        "dbt build: 1 of 25 nodes done (4%), 0:12 elapsed; running model staging.stg_feeds__line_items_parquet (0:00)\n"
    )


def test_interval_zero_writes_a_line_per_finished_node() -> None:
    out, clock = io.StringIO(), FakeClock()
    shown = display(out, clock, terminal=False, interval=0.0)
    for line in sample("slice_run.txt"):
        shown.feed(line)
        shown.tick()  # ticks add nothing
    assert [line.split("] ", 1)[1].split(" nodes done")[0] for line in out.getvalue().splitlines()] == [
        f"dbt build: {n} of 25" for n in range(1, 26)
    ]


def test_the_terminal_bar_is_redrawn_in_place_and_ends_with_a_newline() -> None:
    out, clock = io.StringIO(), FakeClock()
    shown = display(out, clock, terminal=True)
    for line in sample("failing_build.txt"):  # 57 lines, 0.2 s apart
        clock.now += 0.2
        shown.feed(line)
    clock.now += 0.5
    shown.tick()
    shown.finish(1)
    text = out.getvalue()
    assert text.endswith("\n") and not text.endswith("\n\n")
    lines = text.split("\n")
    # a failing node gets a line of its own above the bar; the bar never ends a line before the end
    assert [line.rsplit("\r\x1b[K", 1)[-1] for line in lines[:-2]] == [
        "dbt build: ERROR model main.broken (1 of 9, 0:02 elapsed)",
        "dbt build: FAIL test not_null_good_name (8 of 9, 0:05 elapsed)",
        "dbt build: FAIL test not_null_people_name (9 of 9, 0:05 elapsed)",
    ]
    draws = [draw for line in lines for draw in line.split("\r\x1b[K")[1:]]
    assert all(len(draw) < 100 for draw in draws)  # never wraps: the terminal is 100 wide
    assert all(a != b for a, b in itertools.pairwise(draws))  # nothing is drawn twice
    assert draws[0] == "dbt build [--------------------] 0/?   0% 0:01  hook pdemo.on-run-start.0 (0:00)"
    # drawn when a node starts (then the line can name what runs), two at a time on two threads
    assert "dbt build [####----------------] 2/9  22% 0:03 1 failed  model main.good (0:00) and 1 more" in draws
    assert draws[-1] == "dbt build [####################] 9/9 100% 0:11 3 failed  exited with code 1"


def test_the_interval_setting() -> None:
    assert progress_interval({}) == 15.0
    assert progress_interval({"NTP_PROGRESS_INTERVAL": " 2.5 "}) == 2.5
    assert progress_interval({"NTP_PROGRESS_INTERVAL": "0"}) == 0.0
    for bad in ("-1", "often", "nan", "inf"):
        with pytest.raises(ValueError, match="NTP_PROGRESS_INTERVAL"):
            progress_interval({"NTP_PROGRESS_INTERVAL": bad})


def test_a_terminal_is_recognised() -> None:
    primary, secondary = os.openpty()
    with os.fdopen(secondary, "w") as tty:
        assert is_terminal(tty, {"TERM": "xterm"})
        assert not is_terminal(tty, {"TERM": "dumb"})
    os.close(primary)
    assert not is_terminal(io.StringIO(), {"TERM": "xterm"})


# -- _dbt with a fake dbt ----------------------------------------------------------------------------

FAKE_HEAD = """\
import json, os, pathlib, signal, sys, time
ARGS = sys.argv[1:]
def arg(name):
    return ARGS[ARGS.index(name) + 1]
def out(line):
    print(line, flush=True)
def node(index, total, status, name):
    mark = "[RUN]" if status == "START" else f"[{status} in 0.01s]"
    verb = "START sql table model" if status == "START" else f"{status} created sql table model"
    if status in ("FAIL", "PASS"):
        verb = f"{status} 1" if status == "FAIL" else status
    out(f"\\x1b[0m05:31:45  {index} of {total} {verb} {name} ...... {mark}")
"""


def fake_dbt(folder: Path, body: str) -> Path:
    """An executable ``dbt``: a Python script that prints what ``body`` says."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "dbt"
    script.write_text(f"#!{sys.executable}\n{FAKE_HEAD}{textwrap.dedent(body)}", encoding="utf-8")
    script.chmod(0o755)
    return script


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {WAIT_SECONDS:.0f} s for {what}")
        time.sleep(0.02)


def plain_stdout(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    """stdout as a buffer that is only ever read, never truncated, while another thread writes to it
    (set in the test itself: pytest sets its own capture again between fixtures and the test)."""
    buffer = io.StringIO()
    monkeypatch.setattr(sys, "stdout", buffer)
    monkeypatch.setenv("NTP_PROGRESS_INTERVAL", "0")  # a line per finished node
    return buffer


def test_dbt_output_is_streamed_to_the_log_and_progress_while_dbt_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stdout = plain_stdout(monkeypatch)
    release = tmp_path / "release"
    dbt = fake_dbt(
        tmp_path / "bin",
        f"""
        out("Running with dbt=1.11.16")
        node(1, 3, "START", "core.first")
        node(1, 3, "OK", "core.first")
        node(2, 3, "START", "core.second")
        node(2, 3, "OK", "core.second")
        node(3, 3, "START", "core.third")
        deadline = time.monotonic() + 120
        while not os.path.exists({str(release)!r}) and time.monotonic() < deadline:
            time.sleep(0.02)
        node(3, 3, "OK", "core.third")
        out("Done. PASS=3 WARN=0 ERROR=0 SKIP=0 NO-OP=0 TOTAL=3")
        """,
    )
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    log = run_dir / "dbt_build.log"
    result: list[tuple[int, str]] = []
    worker = threading.Thread(
        target=lambda: result.append(
            _dbt(["build"], tmp_path / "c.duckdb", run_dir, {"run_id": "r"}, log.name, executable=dbt)
        )
    )
    worker.start()
    try:
        wait_for(lambda: log.exists() and "core.third ...... [RUN]" in log.read_text(encoding="utf-8"), "the log")
        wait_for(lambda: "2 of 3 nodes done" in stdout.getvalue(), "a progress line")
        # the fake dbt is still waiting for the release: the log and the progress came while it ran
        assert worker.is_alive() and not release.exists()
        assert "3 of 3 OK" not in log.read_text(encoding="utf-8")
        assert "exited with code" not in stdout.getvalue()
    finally:
        release.touch()
        worker.join(WAIT_SECONDS)
    assert not worker.is_alive()
    [(code, output)] = result
    assert code == 0 and output == log.read_text(encoding="utf-8") and output.endswith("TOTAL=3\n")
    assert "\x1b[0m05:31:45  3 of 3 OK created sql table model core.third" in output  # verbatim
    shown = [line.split("] ", 1)[1] for line in stdout.getvalue().splitlines()]
    assert shown[0] == f"dbt build: live output in {log}, dbt's own log in {run_dir / 'logs' / 'dbt.log'}"
    assert [line.split(" nodes done")[0] for line in shown[1:4]] == [f"dbt build: {n} of 3" for n in (1, 2, 3)]
    assert shown[-1].startswith("dbt build exited with code 0 after ") and shown[-1].endswith("3 of 3 nodes done")


def test_a_dbt_killed_by_a_signal_is_a_build_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stdout = plain_stdout(monkeypatch)
    dbt = fake_dbt(
        tmp_path / "bin",
        """
        node(1, 2, "START", "core.fct_plan_amount")
        os.kill(os.getpid(), signal.SIGKILL)
        """,
    )
    with pytest.raises(RefreshError) as killed:
        _dbt(["build"], tmp_path / "c.duckdb", tmp_path, {}, "dbt_build.log", executable=dbt)
    assert killed.value.code == EXIT_BUILD
    assert killed.value.reason == "dbt build was killed by signal 9 (see dbt_build.log)"
    assert "1 of 2 START sql table model core.fct_plan_amount" in (tmp_path / "dbt_build.log").read_text()
    assert "dbt build was killed by signal 9 after 0:0" in stdout.getvalue()
    assert "it was running model core.fct_plan_amount" in stdout.getvalue()


def test_the_exit_code_and_the_whole_output_are_returned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stdout = plain_stdout(monkeypatch)
    dbt = fake_dbt(
        tmp_path / "bin",
        """
        node(1, 1, "START", "not_null_x")
        node(1, 1, "FAIL", "not_null_x")
        print("an error on stderr", file=sys.stderr, flush=True)
        sys.exit(1)
        """,
    )
    code, output = _dbt(["test"], tmp_path / "c.duckdb", tmp_path, {}, "dbt_test.log", executable=dbt)
    assert code == 1 and "1 of 1 FAIL 1 not_null_x" in output and "an error on stderr" in output
    assert output == (tmp_path / "dbt_test.log").read_text(encoding="utf-8")
    assert "dbt test: FAIL test not_null_x (1 of 1, " in stdout.getvalue()
    assert "dbt test exited with code 1 after" in stdout.getvalue()


def test_a_bad_interval_stops_before_dbt_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dbt = fake_dbt(tmp_path / "bin", "pathlib.Path(arg('--target-path')).mkdir(parents=True)\n")
    monkeypatch.setenv("NTP_PROGRESS_INTERVAL", "often")
    with pytest.raises(RefreshError) as refused:
        _dbt(["build"], tmp_path / "c.duckdb", tmp_path, {}, "dbt_build.log", executable=dbt)
    assert refused.value.code == EXIT_BUILD and "NTP_PROGRESS_INTERVAL='often'" in refused.value.reason
    assert not (tmp_path / "dbt_build.log").exists() and not (tmp_path / "target").exists()


def test_sliced_passes_stream_each_log_and_keep_the_failure_contract(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three passes (build, run, build with the tests); the last one's failing test and the
    arithmetic mismatch line reach the run record, stderr and the exit code as before."""
    stdout = plain_stdout(monkeypatch)
    calls = tmp_path / "calls.jsonl"
    dbt = fake_dbt(
        tmp_path / "bin",
        f"""
        with open({str(calls)!r}, "a") as calls:
            calls.write(json.dumps(ARGS) + "\\n")
        last = ARGS[:1] == ["build"] and "--full-refresh" not in ARGS
        node(1, 2, "START", "core.fct_plan_amount")
        node(1, 2, "OK", "core.fct_plan_amount")
        results = [{{"unique_id": "model.p.fct_plan_amount", "status": "success", "execution_time": 1.5}}]
        if last:
            out("\\x1b[0m05:32:00  sum check: UNACKNOWLEDGED ARITHMETIC MISMATCH in doc 3, line 7")
            node(2, 2, "FAIL", "sum_consistency_gate")
            results.append({{"unique_id": "test.p.sum_consistency_gate", "status": "fail", "execution_time": 0.2}})
        target = pathlib.Path(arg("--target-path"))
        target.mkdir(parents=True, exist_ok=True)
        (target / "run_results.json").write_text(json.dumps({{"results": results}}))
        sys.exit(1 if last else 0)
        """,
    )
    monkeypatch.setattr(steps, "dbt_executable", lambda: dbt)
    stderr = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stderr)
    record = RunRecord(run_id="r", started_at="", git_commit="", published_path="")
    slices = [["province=01/year=2024"], ["province=02/year=2024"]]
    with pytest.raises(RefreshError) as failed:
        steps.run_dbt(tmp_path / "c.duckdb", tmp_path, {"run_id": "r"}, record, full_refresh=True, slices=slices)
    assert failed.value.code == EXIT_TESTS and failed.value.reason == "dbt tests failed: test.p.sum_consistency_gate"
    assert [json.loads(line)[0] for line in calls.read_text().splitlines()] == ["build", "run", "build"]
    for log_name in ("dbt_slice_1.log", "dbt_slice_2.log", "dbt_build.log"):
        assert "1 of 2 OK created sql table model core.fct_plan_amount" in (tmp_path / log_name).read_text()
    assert stderr.getvalue() == "UNACKNOWLEDGED ARITHMETIC MISMATCH in doc 3, line 7\n"
    assert record.tests == {"fail": 1} and record.dbt_seconds == {"model": 4.5, "test": 0.2}
    shown = stdout.getvalue()
    assert f"dbt run: live output in {tmp_path / 'dbt_slice_2.log'}" in shown
    assert "dbt build: FAIL test sum_consistency_gate (2 of 2, " in shown
    ends = [line.split("] ", 1)[1].split(" after ")[0] for line in shown.splitlines() if " exited with code " in line]
    assert ends == ["dbt build exited with code 0", "dbt run exited with code 0", "dbt build exited with code 1"]


class FailingDisplay(ProgressDisplay):
    """A display that fails on dbt's first node line, as a bug or a Ctrl-C would interrupt reading."""

    def __init__(self) -> None:
        super().__init__("dbt build", io.StringIO(), terminal=False)
        self.ends: list[int] = []

    def feed(self, line: str) -> None:
        if parse_node_line(line):
            raise RuntimeError("interrupted")

    def finish(self, exit_code: int) -> None:
        self.ends.append(exit_code)


def test_an_interrupted_read_kills_dbt_and_ends_the_display(tmp_path: Path) -> None:
    survived = tmp_path / "survived"
    dbt = fake_dbt(
        tmp_path / "bin",
        f"""
        node(1, 2, "START", "core.first")
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            time.sleep(0.05)
        pathlib.Path({str(survived)!r}).touch()
        """,
    )
    shown = FailingDisplay()
    with pytest.raises(RuntimeError, match="interrupted"):
        run_streaming([str(dbt)], tmp_path, dict(os.environ), tmp_path / "dbt_build.log", shown)
    assert shown.ends == [-9] and not survived.exists()
    assert "1 of 2 START" in (tmp_path / "dbt_build.log").read_text(encoding="utf-8")
