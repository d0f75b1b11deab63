"""Fault injection and a fake build for the refresh's proofs, in tests only.

The publishing guarantees (every published form on one run id, whatever happens) are proven by
tests that kill the refresh at each publish step. The refresh calls :func:`point` at those steps;
it does nothing unless the environment asks for it twice over: ``NTP_REFRESH_TESTING=1`` and
``NTP_REFRESH_FAULT=<step>:<action>`` with action ``kill`` (SIGKILL to itself, like an OOM kill or
a power cut), ``oserror`` (an OSError, like a read-only or full filesystem) or ``stop`` (SIGSTOP to
itself: the run holds still, lock and all, until the test sends SIGCONT).

Most of those proofs are about the orchestration around the build (lock, release, switch, rollback,
retention, run log, exit codes), not about dbt, so they need not pay for a dbt build each. With
``NTP_REFRESH_TESTING=1`` and ``NTP_REFRESH_FAKE_BUILD=<an already built DuckDB file>``,
:func:`fake_build` replaces the build step: it copies that file into the candidate and stamps this
run's id into ``audit.warehouse_build`` (with a project fingerprint no project has, so the next
refresh plans a full build), the docs step yields a stub page, and so does Great Expectations
(:func:`fake_validation`): the copied marts are those of a build its suites already passed
(tests/test_validate_marts.py validates that build; every real refresh validates its own), so
validating them again would prove nothing new and cost seven seconds a run. Everything else (lock,
recovery, preflight, plan, the candidate's proof, report, release, seal, switch, retention, run
log, exit codes) runs for real.

A deployment never sets ``NTP_REFRESH_TESTING``, so a stray ``NTP_REFRESH_FAULT`` or
``NTP_REFRESH_FAKE_BUILD`` is ignored there (tests/test_refresh.py proves it).
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
from pathlib import Path

import duckdb

from ntp_poverty.refresh.run_log import say

#: The steps a fault can be injected at, in the order a publishing run reaches them.
POINTS: tuple[str, ...] = (
    "before_build",  # after the preflight, before dbt
    "after_export",  # the release folder holds the DuckDB file and the Parquet export, nothing sealed
    "before_switch",  # the release is complete and sealed; the pointer still names the old one
    "after_switch",  # the pointer names the new release; retention and the run log not done yet
    "during_prune",  # retention has started removing old folders
)

#: The project fingerprint a fake build records: it matches no project, so no refresh after it is incremental.
FAKE_FINGERPRINT = "fake build (NTP_REFRESH_FAKE_BUILD)"
FAKE_DOCS = "<!doctype html><html><head><title>fake build</title></head><body>fake build: no dbt docs</body></html>\n"
FAKE_DATA_DOCS = (
    "<!doctype html><html><head><title>fake build</title></head>"
    "<body>fake build: Great Expectations did not run again on the copied marts</body></html>\n"
)


def _testing() -> bool:
    return os.environ.get("NTP_REFRESH_TESTING") == "1"


def point(step: str) -> None:
    """Inject the configured fault if the test environment asks for one at ``step``."""
    if step not in POINTS:
        raise ValueError(f"unknown fault point {step!r}")
    if not _testing():
        return
    wanted, _, action = os.environ.get("NTP_REFRESH_FAULT", "").partition(":")
    if wanted != step:
        return
    if action == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    if action == "stop":
        os.kill(os.getpid(), signal.SIGSTOP)
    if action == "oserror":
        raise OSError(errno.EROFS, f"injected fault at {step}: read-only file system")
    if action == "enospc":  # a full disk, as Python's file functions report it
        raise OSError(errno.ENOSPC, f"injected fault at {step}: No space left on device")
    if action == "duckdb_enospc":  # a full disk, as DuckDB reports it while it writes (COPY, checkpoint)
        raise duckdb.IOException(f"IO Error: injected fault at {step}: No space left on device")


def fake_build(candidate: Path, run_dir: Path, run_id: str) -> Path | None:
    """Build the candidate by copying ``NTP_REFRESH_FAKE_BUILD`` if the test environment asks for it.

    Returns the docs page the build would have made, or None when the build must run for real.
    """
    source = os.environ.get("NTP_REFRESH_FAKE_BUILD", "")
    if not _testing() or not source:
        return None
    say(f"fake build (tests only): copying {source} into the candidate; dbt does not run")
    shutil.copyfile(source, candidate)  # not the mode: the source may be a sealed, read-only release
    with duckdb.connect(str(candidate)) as con:
        con.execute("update audit.warehouse_build set run_id = ?, project_fingerprint = ?", [run_id, FAKE_FINGERPRINT])
    site = run_dir / "target" / "static_index.html"
    site.parent.mkdir(parents=True, exist_ok=True)
    site.write_text(FAKE_DOCS, encoding="utf-8")
    return site


def fake_validation(data_docs: Path) -> list[str] | None:
    """With a fake build (:func:`fake_build`), or NTP_REFRESH_SKIP_VALIDATION=1 in a test of what comes
    before or after the validation (the increments of a real build, a kill while publishing), the Great
    Expectations step writes a stub Data Docs page and finds nothing; None when the validation must run
    for real (always outside tests: NTP_REFRESH_TESTING)."""
    skip = os.environ.get("NTP_REFRESH_SKIP_VALIDATION", "") == "1"
    if not _testing() or not (os.environ.get("NTP_REFRESH_FAKE_BUILD", "") or skip):
        return None
    say("tests only: Great Expectations does not run (a fake build's copied marts, or NTP_REFRESH_SKIP_VALIDATION)")
    data_docs.mkdir(parents=True, exist_ok=True)
    (data_docs / "index.html").write_text(FAKE_DATA_DOCS, encoding="utf-8")
    return []
