"""Progress of a running dbt command: nodes done of the total, the node running, the time taken.

dbt prints a line when a node starts and one when it ends, numbered within its invocation::

    05:31:45  3 of 489 START sql incremental model staging.stg_feeds__line_items_csv ..... [RUN]
    05:31:45  3 of 489 OK created sql incremental model staging.stg_feeds__line_items_csv  [OK in 0.09s]
    05:33:23  7 of 9 FAIL 1 not_null_good_name ...................................... [FAIL 1 in 0.11s]

:func:`parse_node_line` reads one such line (colour codes and the timestamp are allowed);
:class:`DbtProgress` keeps the nodes done of the total, the nodes running (several with several
threads), failures, warnings and skips; :class:`ProgressDisplay` shows it; :func:`run_streaming` runs
the command, writes every line to its log file the moment it arrives (flushed: the log is live) and
feeds the display. Hooks (``1 of 6 START hook: ...``) have a numbering of their own: they are shown
while they run but not counted. When the numbering starts again (another total, or a node number
that already finished starts again: the output of a second invocation) the count starts again.

How it is shown:

- on a terminal (stdout is a TTY and ``TERM`` is not ``dumb``): one line redrawn in place with
  ``\\r`` (label, bar, done/total, percent, elapsed, failures, the node running and for how long),
  redrawn when a node starts (at most ten times a second) and every half second, ended by a
  newline when dbt exits; a failing node gets a line of its own above it;
- anywhere else (a log file, cron, systemd, a test): plain timestamped lines, at most one every
  ``NTP_PROGRESS_INTERVAL`` seconds (default :data:`DEFAULT_INTERVAL`; 0: one per finished node).
  The throttle is by time, not by percent, because at 10M rows one node can run for minutes: a
  line still comes every interval while it runs, naming it and how long it has run (85 s of dbt
  give about 6 lines, 14 minutes about 56). A line falls due on the clock or when a node starts,
  never right after one ended, so that it can name the node running. A failing or erroring node
  gets a line at once; the end gets one line with the exit code (or the signal that killed dbt,
  and the node it was running).
"""

from __future__ import annotations

import math
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from ntp_poverty.common.child_lifetime import die_with_parent
from ntp_poverty.refresh.run_log import say

INTERVAL_ENV = "NTP_PROGRESS_INTERVAL"
DEFAULT_INTERVAL = 15.0  # seconds between plain progress lines
BAR_REDRAW_SECONDS = 0.5  # the terminal bar's clock advances this often while a node runs
BAR_MIN_REDRAW_SECONDS = 0.1  # node lines redraw the bar no more often than this
BAR_WIDTH = 20  # the bar's columns on a terminal of WIDE_TERMINAL columns or more, else half
WIDE_TERMINAL = 100
START = "START"
FAILED = frozenset({"ERROR", "FAIL"})
NAMED_FAILURES = 3  # failures named in a progress line (all of them are in the log)

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
NODE_LINE = re.compile(
    r"(?:\d{2}:\d{2}:\d{2}(?:\.\d+)?\s+)?(?P<index>\d+) of (?P<total>\d+) (?P<status>[A-Z][A-Z_-]*)(?: (?P<rest>.*))?"
)
RESULT = re.compile(r"\s*\[[^\]]*\]\s*$")  # "[RUN]", "[OK in 0.09s]", "[FAIL 1 in 0.11s]"
KINDS = {
    "model": "model",
    "file": "seed",
    "seed": "seed",
    "snapshot": "snapshot",
    "test": "test",
    "unit_test": "unit_test",
    "exposure": "exposure",
    "relation": "relation",
    "function": "function",
}


@dataclass(frozen=True)
class NodeLine:
    """One of dbt's node lines: ``index of total STATUS node``."""

    index: int
    total: int
    status: str  # START, or how the node ended: OK, PASS, FAIL, ERROR, WARN, SKIP, NO-OP, ...
    node: str  # "model core.fct_plan_amount", "test not_null_x", "hook ntp_poverty.on-run-start.0"
    is_hook: bool

    @property
    def failed(self) -> bool:
        return self.status in FAILED


def _node_name(status: str, rest: str) -> tuple[str, bool]:
    """The node a line is about, with its kind when dbt names it, and whether it is a hook."""
    words = RESULT.sub("", rest).rstrip(" .").split()
    if not words:
        return "", False
    if words[0] == "hook:":
        return f"hook {words[-1]}", True
    name = words[-1]
    kind = KINDS.get(words[-2], "") if len(words) > 1 else ""
    if not kind and status in ("PASS", "FAIL", "WARN"):
        kind = "unit_test" if "::" in name else "test"
    return (f"{kind} {name}" if kind else name), False


def parse_node_line(line: str) -> NodeLine | None:
    """The node line in one line of dbt's output, or None for any other line."""
    match = NODE_LINE.fullmatch(ANSI.sub("", line).rstrip())
    if match is None:
        return None
    node, is_hook = _node_name(match["status"], match["rest"] or "")
    return NodeLine(int(match["index"]), int(match["total"]), match["status"], node, is_hook)


@dataclass
class DbtProgress:
    """What one dbt command has done so far, from its node lines (times from a monotonic clock)."""

    started: float
    total: int = 0
    done: set[int] = field(default_factory=set)
    running: dict[int, tuple[str, float]] = field(default_factory=dict)  # index -> (node, since)
    hooks: dict[int, tuple[str, float]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)  # "FAIL test not_null_x", in the order seen
    warnings: int = 0
    skipped: int = 0
    invocations: int = 0  # numbered runs of nodes seen (a second dbt command's output starts another)

    def update(self, event: NodeLine, now: float) -> None:
        """Take one node line into account."""
        if event.is_hook:
            self._track(self.hooks, event, now)
            return
        if event.total != self.total or (event.status == START and event.index in self.done):
            self.total, self.invocations = event.total, self.invocations + 1
            self.done, self.running = set(), {}
        self._track(self.running, event, now)
        if event.status != START:
            self.done.add(event.index)
        self.warnings += event.status == "WARN"
        self.skipped += event.status == "SKIP"

    def _track(self, running: dict[int, tuple[str, float]], event: NodeLine, now: float) -> None:
        if event.status == START:
            running[event.index] = (event.node, now)
            return
        running.pop(event.index, None)
        if event.failed:
            self.failures.append(f"{event.status} {event.node}")

    def running_nodes(self, now: float) -> list[tuple[str, float]]:
        """The nodes running, longest running first (else the hooks running), each with its seconds."""
        started = sorted(self.running.values(), key=lambda item: item[1]) or sorted(
            self.hooks.values(), key=lambda item: item[1]
        )
        return [(node, now - since) for node, since in started]

    def position(self) -> str:
        """``123 of 489`` (``0 of ?`` before the first node)."""
        return f"{len(self.done)} of {self.total or '?'}"


def format_duration(seconds: float) -> str:
    """``0:07``, ``14:03``, ``1:02:03``."""
    whole = max(int(seconds), 0)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _percent(progress: DbtProgress) -> int:
    return len(progress.done) * 100 // progress.total if progress.total else 0


def _running_text(progress: DbtProgress, now: float) -> str:
    nodes = progress.running_nodes(now)
    if not nodes:
        return ""
    node, seconds = nodes[0]
    more = f" and {len(nodes) - 1} more" if len(nodes) > 1 else ""
    return f"{node} ({format_duration(seconds)}){more}"


def _failures_text(progress: DbtProgress) -> str:
    named = ", ".join(progress.failures[:NAMED_FAILURES])
    more = f" and {len(progress.failures) - NAMED_FAILURES} more" if len(progress.failures) > NAMED_FAILURES else ""
    return f"{len(progress.failures)} failed: {named}{more}"


def _counts_text(progress: DbtProgress) -> str:
    parts = [_failures_text(progress)] if progress.failures else []
    parts += [f"{progress.warnings} warned"] if progress.warnings else []
    parts += [f"{progress.skipped} skipped"] if progress.skipped else []
    return "; ".join(parts)


def plain_line(label: str, progress: DbtProgress, now: float) -> str:
    """One progress line for a log: done/total, elapsed, the node running, failures so far."""
    elapsed = format_duration(now - progress.started)
    if progress.total:
        text = f"{label}: {progress.position()} nodes done ({_percent(progress)}%), {elapsed} elapsed"
    else:
        text = f"{label}: no node finished yet, {elapsed} elapsed"
    if running := _running_text(progress, now):
        text += f"; running {running}"
    if counts := _counts_text(progress):
        text += f"; {counts}"
    return text


def _ending(exit_code: int) -> str:
    return f"was killed by signal {-exit_code}" if exit_code < 0 else f"exited with code {exit_code}"


def final_line(label: str, progress: DbtProgress, now: float, exit_code: int) -> str:
    """The line that ends a dbt command: how it ended, after how long, what it had done."""
    text = f"{label} {_ending(exit_code)} after {format_duration(now - progress.started)}"
    if progress.total:
        text += f": {progress.position()} nodes done"
    if exit_code != 0 and (running := _running_text(progress, now)):
        text += f"; it was running {running}"
    if counts := _counts_text(progress):
        text += f"; {counts}"
    return text


def bar_line(label: str, progress: DbtProgress, now: float, width: int, ended: str = "") -> str:
    """The terminal line: label, bar, done/total, percent, elapsed, failures, then the node running
    (or ``ended``), within ``width`` - 1 columns so that it never wraps: the bar is half as wide on
    a terminal narrower than :data:`WIDE_TERMINAL` (by the width alone, so that it does not jump
    from one node to the next), and the end of the line is cut."""
    tail = ended or _running_text(progress, now)
    counts = (
        f"{len(progress.done)}/{progress.total or '?'} {_percent(progress):3d}% "
        f"{format_duration(now - progress.started)}"
        + (f" {len(progress.failures)} failed" if progress.failures else "")
        + (f"  {tail}" if tail else "")
    )
    limit = max(width - 1, 1)
    bar_width = BAR_WIDTH if width >= WIDE_TERMINAL else BAR_WIDTH // 2
    filled = bar_width * len(progress.done) // progress.total if progress.total else 0
    text = f"{label} [{'#' * filled}{'-' * (bar_width - filled)}] {counts}"
    return text if len(text) <= limit else text[: max(limit - 3, 0)] + "..."


def progress_interval(environ: Mapping[str, str] = os.environ) -> float:
    """Seconds between plain progress lines from ``NTP_PROGRESS_INTERVAL`` (0: one per finished node)."""
    text = environ.get(INTERVAL_ENV, "").strip()
    if not text:
        return DEFAULT_INTERVAL
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"{INTERVAL_ENV}={text!r}: expected seconds between progress lines (0: one per node)")
    return seconds


def is_terminal(out: TextIO, environ: Mapping[str, str] = os.environ) -> bool:
    """Whether ``out`` is a terminal that can redraw a line in place."""
    try:
        return out.isatty() and environ.get("TERM", "") != "dumb"
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


class ProgressDisplay:
    """Shows a :class:`DbtProgress` as a bar on a terminal or as throttled plain lines (thread-safe:
    dbt's lines and the clock's ticks come from two threads)."""

    def __init__(
        self,
        label: str,
        out: TextIO,
        *,
        terminal: bool,
        interval: float = DEFAULT_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
        width: Callable[[], int] = lambda: shutil.get_terminal_size((100, 24)).columns,
    ) -> None:
        self.label, self.out, self.terminal, self.interval = label, out, terminal, interval
        self.clock, self.width = clock, width
        self.progress = DbtProgress(started=clock())
        self._last_shown = self.progress.started
        self._drawn = ""  # the bar as last drawn ("": not drawn since the last line of its own)
        self._lock = threading.Lock()

    @classmethod
    def for_stdout(cls, label: str) -> ProgressDisplay:
        """A display on stdout: a bar on a terminal, else lines every ``NTP_PROGRESS_INTERVAL`` seconds.
        Raises ValueError for an interval that is not a number of seconds."""
        return cls(label, sys.stdout, terminal=is_terminal(sys.stdout), interval=progress_interval())

    @property
    def tick_seconds(self) -> float:
        """How often the clock should call :meth:`tick` while dbt runs."""
        return BAR_REDRAW_SECONDS if self.terminal else min(self.interval, 1.0) or 1.0

    def feed(self, line: str) -> None:
        """One line of dbt's output (any line: those that are not node lines are ignored)."""
        event = parse_node_line(line)
        if event is None:
            return
        with self._lock:
            now = self.clock()
            self.progress.update(event, now)
            if event.failed:
                self._announce(
                    f"{self.label}: {event.status} {event.node} "
                    f"({self.progress.position()}, {format_duration(now - self.progress.started)} elapsed)"
                )
            self._show(now, event)

    def tick(self) -> None:
        """The clock: advance the bar's elapsed time, or write a plain line when one is due."""
        with self._lock:
            self._show(self.clock(), None)

    def finish(self, exit_code: int) -> None:
        """dbt ended: the bar's last state and a newline, or the final plain line."""
        with self._lock:
            now = self.clock()
            if self.terminal:
                ended = "done" if exit_code == 0 else _ending(exit_code)
                self._draw(bar_line(self.label, self.progress, now, self.width(), ended))
                self.out.write("\n")
                self.out.flush()
            else:
                say(final_line(self.label, self.progress, now, exit_code), file=self.out)

    def _show(self, now: float, event: NodeLine | None) -> None:
        """Redraw the bar or write a plain line if one is due: on the clock's tick or a node's start,
        never just after a node ended, when the next one has not started yet and the line could
        not name it (without an interval, a plain line is due whenever a node, not a hook, ended)."""
        named = event is None or event.status == START
        if self.terminal:
            if named and (not self._drawn or now - self._last_shown >= BAR_MIN_REDRAW_SECONDS):
                self._draw(bar_line(self.label, self.progress, now, self.width()))
                self._last_shown = now
            return
        if self.interval == 0:
            due = event is not None and event.status != START and not event.is_hook
        else:
            due = named and now - self._last_shown >= self.interval
        if due:
            say(plain_line(self.label, self.progress, now), file=self.out)
            self._last_shown = now

    def _draw(self, text: str) -> None:
        if text != self._drawn:
            self.out.write("\r\x1b[K" + text)
            self.out.flush()
            self._drawn = text

    def _announce(self, text: str) -> None:
        """A line of its own (a failure): above the bar on a terminal, at once in a log."""
        if not self.terminal:
            say(text, file=self.out)
            return
        self.out.write("\r\x1b[K" + text + "\n")
        self.out.flush()
        self._drawn = ""  # the bar is drawn again below it


def _tick_until(stop: threading.Event, display: ProgressDisplay) -> None:
    while not stop.wait(display.tick_seconds):
        display.tick()


def run_streaming(
    cmd: Sequence[str], cwd: Path, env: Mapping[str, str], log_path: Path, display: ProgressDisplay
) -> tuple[int, str]:
    """Run ``cmd`` (stderr into stdout), writing each line to ``log_path`` as it arrives (flushed)
    and feeding it to ``display``; return the exit code (negative: killed by that signal) and the
    whole output. If reading is interrupted (an exception, Ctrl-C), the command is killed and the
    display ends before the exception goes on."""
    lines: list[str] = []
    stop = threading.Event()
    ticker = threading.Thread(target=_tick_until, args=(stop, display), name="dbt-progress", daemon=True)
    with (
        log_path.open("w", encoding="utf-8") as log,
        subprocess.Popen(
            list(cmd),
            cwd=cwd,
            env=dict(env),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
            preexec_fn=die_with_parent,  # noqa: PLW1509 - prctl only; a SIGKILLed refresh takes dbt with it
        ) as proc,
    ):
        ticker.start()
        try:
            assert proc.stdout is not None  # stdout=PIPE
            for line in proc.stdout:
                log.write(line)
                log.flush()
                lines.append(line)
                display.feed(line)
        except BaseException:
            proc.kill()
            raise
        finally:
            stop.set()
            ticker.join()
            display.finish(proc.wait())  # also when interrupted: the bar ends, the signal is said
    return proc.returncode, "".join(lines)
