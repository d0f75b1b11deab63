"""Run one command and measure it: wall time, CPU of its whole process tree, peak RSS of the tree.

The command runs as a child in its own session. A sampler thread reads ``/proc`` every
``interval`` seconds: the RSS of the child and of every descendant (found through
``/proc/<pid>/task/<tid>/children``, or by scanning ``/proc/*/stat`` when the kernel lacks that
file), summed, and the largest single process. CPU is user + system time of the whole tree from
``resource.getrusage(RUSAGE_CHILDREN)`` deltas (every descendant is waited for by its parent, so its
time is folded into the child's). Linux only; no dependency beyond the standard library.

With ``memory_cap_bytes`` the tree is killed (SIGKILL to its session) when its summed RSS passes
the cap, and the measurement says so (``killed_at_cap``): how the bench records "pandas ran out of
memory at N GB" instead of letting the machine's OOM killer take the bench down.
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import subprocess
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Measurement:
    """What one measured command cost."""

    command: list[str]
    returncode: int
    wall_s: float
    user_s: float
    sys_s: float
    peak_rss_bytes: int  # summed over the process tree, at the sample where the sum peaked
    peak_single_rss_bytes: int  # the largest single process seen
    samples: int
    killed_at_cap: bool = False
    memory_cap_bytes: int | None = None
    #: every output line with the seconds since the start at which it arrived (not in as_dict)
    lines: list[tuple[float, str]] = field(default_factory=list, repr=False)
    #: the summed RSS of the tree at each sample: (seconds since the start, bytes) (not in as_dict)
    rss_timeline: list[tuple[float, int]] = field(default_factory=list, repr=False)

    @property
    def cpu_s(self) -> float:
        return self.user_s + self.sys_s

    def as_dict(self) -> dict[str, object]:
        return {k: v for k, v in asdict(self).items() if k not in ("lines", "rss_timeline")} | {
            "cpu_s": round(self.cpu_s, 3)
        }


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as handle:
            return int(handle.read().split()[1]) * PAGE_SIZE
    except (OSError, IndexError, ValueError):
        return 0  # the process ended between listing and reading


def _children_via_task(pid: int) -> list[int] | None:
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    children: list[int] = []
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children", "rb") as handle:
                children += [int(c) for c in handle.read().split()]
        except FileNotFoundError:
            return None  # kernel without CONFIG_PROC_CHILDREN
        except OSError:
            continue
    return children


def _parents() -> dict[int, int]:
    parents: dict[int, int] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as handle:
                stat = handle.read()
            parents[int(name)] = int(stat[stat.rindex(b")") + 2 :].split()[1])
        except (OSError, ValueError, IndexError):
            continue
    return parents


def process_tree(root: int) -> list[int]:
    """The pid ``root`` and all its living descendants."""
    tree, queue = [root], [root]
    use_task = True
    while queue:
        pid = queue.pop()
        children = _children_via_task(pid) if use_task else None
        if children is None:
            use_task = False
            parents = _parents()
            found, frontier = [root], [root]
            while frontier:
                parent = frontier.pop()
                kids = [c for c, p in parents.items() if p == parent]
                found += kids
                frontier += kids
            return found
        tree += children
        queue += children
    return tree


class TreeSampler(threading.Thread):
    """Samples the summed and the largest single RSS of a process tree until stopped."""

    def __init__(self, root: int, interval: float = 0.1, memory_cap_bytes: int | None = None) -> None:
        super().__init__(daemon=True)
        self.root, self.interval, self.cap = root, interval, memory_cap_bytes
        self.peak_total = self.peak_single = self.samples = 0
        self.killed_at_cap = False
        self.started = time.monotonic()
        self.timeline: list[tuple[float, int]] = []
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            sizes = [_rss(pid) for pid in process_tree(self.root)]
            total = sum(sizes)
            self.samples += 1
            self.timeline.append((round(time.monotonic() - self.started, 3), total))
            self.peak_total = max(self.peak_total, total)
            self.peak_single = max(self.peak_single, max(sizes, default=0))
            if self.cap is not None and total > self.cap and not self.killed_at_cap:
                self.killed_at_cap = True
                with contextlib.suppress(OSError):
                    os.killpg(self.root, signal.SIGKILL)
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def _pump(stream, log, started: float, lines: list[tuple[float, str]]) -> None:  # noqa: ANN001
    """Copy the child's output into the log, noting when each line arrived."""
    for raw in iter(stream.readline, b""):
        line = raw.decode("utf-8", errors="replace")
        lines.append((round(time.monotonic() - started, 3), line.rstrip("\n")))
        if log is not None:
            log.write(line)
            log.flush()
    stream.close()


def run_measured(
    command: list[str],
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    log: Path | None = None,
    interval: float = 0.1,
    memory_cap_bytes: int | None = None,
) -> Measurement:
    """Run ``command`` to its end (stdout and stderr into ``log``, each line timed) and measure it."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    sink = open(log, "w", encoding="utf-8") if log is not None else None  # noqa: SIM115
    lines: list[tuple[float, str]] = []
    started = time.monotonic()
    try:
        proc = subprocess.Popen(
            command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
        )
        pump = threading.Thread(target=_pump, args=(proc.stdout, sink, started, lines), daemon=True)
        pump.start()
        sampler = TreeSampler(proc.pid, interval, memory_cap_bytes)
        sampler.start()
        try:
            returncode = proc.wait()
        except BaseException:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise
        finally:
            sampler.stop()
        wall = time.monotonic() - started
        pump.join(timeout=30)
    finally:
        if sink is not None:
            sink.close()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return Measurement(
        command=[str(c) for c in command],
        returncode=returncode,
        wall_s=round(wall, 3),
        user_s=round(after.ru_utime - before.ru_utime, 3),
        sys_s=round(after.ru_stime - before.ru_stime, 3),
        peak_rss_bytes=sampler.peak_total,
        peak_single_rss_bytes=sampler.peak_single,
        samples=sampler.samples,
        killed_at_cap=sampler.killed_at_cap,
        memory_cap_bytes=memory_cap_bytes,
        lines=lines,
        rss_timeline=sampler.timeline,
    )
