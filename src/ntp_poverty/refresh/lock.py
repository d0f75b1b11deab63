"""One refresh at a time: an flock on ``.refresh.lock`` in the warehouse folder.

The kernel releases an flock when its holder dies, so a lock file left by a killed refresh is stale:
the next refresh takes it over and says so. The file holds the holder's pid, for people.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO

from ntp_poverty.refresh.run_log import EXIT_LOCKED, EXIT_PUBLISH, RefreshError, now_iso, say


def acquire_lock(lock_path: Path) -> IO[str]:
    """Take the refresh lock or raise RefreshError: EXIT_LOCKED naming the holder, or EXIT_PUBLISH
    when the warehouse folder does not let the lock be written (read-only, full, not a folder)."""
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(lock_path, "a+", encoding="utf-8")  # noqa: SIM115 - held for the whole run
    except OSError as exc:
        raise RefreshError(
            EXIT_PUBLISH,
            f"cannot take the lock {lock_path}: {exc.strerror or exc}; the warehouse folder must be writable "
            "(nothing was changed)",
        ) from exc
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "unknown"
        handle.close()
        raise RefreshError(EXIT_LOCKED, f"another refresh holds {lock_path} ({holder}); not starting") from None
    handle.seek(0)
    stale = handle.read().strip()
    if stale:
        say(f"cleaned up a stale lock left by a refresh that did not finish ({stale})")
    handle.seek(0)
    handle.truncate()
    handle.write(f"pid {os.getpid()} since {now_iso()}")
    handle.flush()
    return handle


def release_lock(handle: IO[str]) -> None:
    """Empty the lock file and release the lock."""
    handle.seek(0)
    handle.truncate()
    handle.flush()
    fcntl.flock(handle, fcntl.LOCK_UN)
    handle.close()
