"""The refresh's run log and exit-code contract: every run, failed, killed or rolled back, leaves a line.

``refresh_runs.jsonl`` beside the published warehouse gets one JSON object per run. A run that ends
(published, refused, failed, rolled back) writes its own line; a run killed outright cannot, so the
next run finds its workspace (``.candidates/<run>/RUNNING`` without ``FAILED``) and writes an
``interrupted`` line for it, saying what it left and what was cleaned.

Exit codes (documented in docs/operators.md, asserted by the tests):

====  =====================================================================================
0     published (or rolled back)
2     build failure: preflight (seeds, provenance, ledger), dbt models, docs, or a candidate
      that could not be written (disk full, file too large, dbt killed)
3     test failure: dbt tests, including the sum-consistency gate
4     Great Expectations failure
5     another refresh holds the lock
6     publish failure: the warehouse folder cannot be written or renamed in (checked before the
      build), or assembling, sealing or switching the release failed; or nothing to roll back to
7     internal error: an exception no step expected (a bug); the traceback is kept in the workspace
====  =====================================================================================
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from ntp_poverty.common.reporting import LINE_LIMIT, cut

EXIT_OK, EXIT_BUILD, EXIT_TESTS, EXIT_GX, EXIT_LOCKED, EXIT_PUBLISH, EXIT_INTERNAL = 0, 2, 3, 4, 5, 6, 7
RUN_LOG_NAME = "refresh_runs.jsonl"


class RefreshError(Exception):
    """A refresh step failed; carries the exit code and why."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def now_iso() -> str:
    """UTC now, to the second, ISO 8601."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def say(message: str, file: TextIO | None = None) -> None:
    """Human progress on stdout (or ``file``), timestamped (tests and operators read these lines)."""
    print(f"[refresh {datetime.now(UTC):%H:%M:%S}] {message}", file=file, flush=True)


@dataclass
class RunRecord:
    """What the run log says about one run (or one rollback, or one interrupted run)."""

    run_id: str
    started_at: str
    git_commit: str
    published_path: str
    action: str = "refresh"  # refresh | rollback | interrupted
    mode: str = ""  # full | incremental (refresh runs that got as far as planning the build)
    mode_reason: str = ""
    rebuilt_partitions: list[str] = field(default_factory=list)
    # a full build in slices of provinces (ntp_poverty.build.slices): partitions per slice
    slice_partitions: list[int] = field(default_factory=list)
    ended_at: str = ""
    duration_s: float = 0.0
    published: bool = False
    reason: str = ""
    exit_code: int | None = 0
    release: str = ""
    mart_rows: dict[str, int] = field(default_factory=dict)
    tests: dict[str, int] = field(default_factory=dict)
    findings: dict[str, int] = field(default_factory=dict)
    # where the dbt build's time went: seconds per resource type (model, test, seed, unit_test) and
    # the slowest nodes, each {"node": unique_id, "seconds": execution time}
    dbt_seconds: dict[str, float] = field(default_factory=dict)
    dbt_slowest: list[dict[str, object]] = field(default_factory=list)
    candidate_dir: str = ""
    cleaned: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)


def append_run(run_log: Path, record: RunRecord, started: float | None = None) -> None:
    """Close the record (end time, duration) and append it as one JSON line."""
    record.ended_at = now_iso()
    if started is not None:
        record.duration_s = round(time.monotonic() - started, 2)
    record.reason = cut(record.reason, LINE_LIMIT)
    try:
        run_log.parent.mkdir(parents=True, exist_ok=True)
        with open(run_log, "a", encoding="utf-8") as log:
            log.write(json.dumps(asdict(record), ensure_ascii=False) + "\n")
    except OSError as exc:  # a read-only or full warehouse folder: say so, never a traceback
        print(
            f"error: the run log {run_log} could not be written ({exc.strerror or exc}); this run: "
            f"{record.action} {record.run_id}, exit {record.exit_code}: {record.reason}",
            file=sys.stderr,
        )


def read_runs(run_log: Path) -> list[dict[str, object]]:
    """Every line of the run log, parsed (an empty list before the first run)."""
    if not run_log.exists():
        return []
    return [json.loads(line) for line in run_log.read_text(encoding="utf-8").splitlines() if line.strip()]
