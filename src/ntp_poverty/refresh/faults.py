"""Fault injection for the refresh's proofs: kill or fail the run at a named step, in tests only.

The publishing guarantees (every published form on one run id, whatever happens) are proven by
tests that kill the refresh at each publish step. The refresh calls :func:`point` at those steps;
it does nothing unless the environment asks for it twice over: ``NTP_REFRESH_TESTING=1`` and
``NTP_REFRESH_FAULT=<step>:<action>`` with action ``kill`` (SIGKILL to itself, like an OOM kill or
a power cut) or ``oserror`` (an OSError, like a read-only or full filesystem). A deployment never
sets ``NTP_REFRESH_TESTING``, so a stray ``NTP_REFRESH_FAULT`` is ignored there.
"""

from __future__ import annotations

import errno
import os
import signal

#: The steps a fault can be injected at, in the order a publishing run reaches them.
POINTS: tuple[str, ...] = (
    "before_build",  # after the preflight, before dbt
    "after_export",  # the release folder holds the DuckDB file and the Parquet export, nothing sealed
    "before_switch",  # the release is complete and sealed; the pointer still names the old one
    "after_switch",  # the pointer names the new release; retention and the run log not done yet
    "during_prune",  # retention has started removing old folders
)


def point(step: str) -> None:
    """Inject the configured fault if the test environment asks for one at ``step``."""
    if step not in POINTS:
        raise ValueError(f"unknown fault point {step!r}")
    if os.environ.get("NTP_REFRESH_TESTING") != "1":
        return
    wanted, _, action = os.environ.get("NTP_REFRESH_FAULT", "").partition(":")
    if wanted != step:
        return
    if action == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    if action == "oserror":
        raise OSError(errno.EROFS, f"injected fault at {step}: read-only file system")
