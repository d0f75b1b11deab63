"""Copy the published file into an incremental candidate in the background.

An incremental refresh starts its candidate as a byte copy of the published DuckDB file (6 GB at 10M
line items). The copy waits on the disk, while the preflight and dbt's parse of the project wait on
the CPU, and neither needs the other: :class:`BackgroundCopy` runs the copy in a thread so that they
overlap, and :meth:`BackgroundCopy.wait` is the point where the candidate must be complete.

The copy is done by the kernel (``os.copy_file_range``) in chunks, so that :meth:`BackgroundCopy.cancel`
stops it within one chunk when the preflight fails and nothing is to be built.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

CHUNK_BYTES = 256 * 1024 * 1024


class CopyCancelled(Exception):
    """The copy was stopped before it finished."""


class BackgroundCopy:
    """``source`` copied to ``target`` (mode 0644) by a thread started at construction."""

    def __init__(self, source: Path, target: Path) -> None:
        self.source, self.target = source, target
        self._stop = threading.Event()
        self._error: BaseException | None = None
        self._complete = False
        self._thread = threading.Thread(target=self._run, name="candidate-copy", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            with self.source.open("rb") as reader, self.target.open("wb") as writer:
                remaining = os.fstat(reader.fileno()).st_size
                while remaining:
                    if self._stop.is_set():
                        raise CopyCancelled(f"{self.target}: the copy was cancelled")
                    sent = os.copy_file_range(reader.fileno(), writer.fileno(), min(remaining, CHUNK_BYTES))
                    if sent == 0:
                        raise OSError(f"{self.source}: the file ended {remaining:,} bytes early while copying")
                    remaining -= sent
            self.target.chmod(0o644)
            self._complete = True
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
            self._error = exc

    @property
    def done(self) -> bool:
        """Whether the copy finished whole."""
        return self._complete

    def wait(self) -> None:
        """Block until the copy is complete; raise what stopped it (OSError, CopyCancelled)."""
        self._thread.join()
        if self._error is not None:
            raise self._error

    def cancel(self) -> None:
        """Stop the copy (within one chunk), wait for the thread, and remove the target, partial or whole."""
        self._stop.set()
        self._thread.join()
        self.target.unlink(missing_ok=True)
