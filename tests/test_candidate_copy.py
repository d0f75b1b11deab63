"""The background copy that starts an incremental candidate: the bytes arrive whole and writable, a
failure reaches the waiting thread, and a cancelled copy leaves no partial candidate behind."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from ntp_poverty.build import candidate_copy
from ntp_poverty.build.candidate_copy import BackgroundCopy, CopyCancelled


def _published(tmp_path: Path, size: int = 3 * 1024 * 1024 + 17) -> Path:
    source = tmp_path / "published.duckdb"
    source.write_bytes(os.urandom(size))
    source.chmod(0o444)  # a sealed release's file
    return source


def test_the_copy_is_byte_for_byte_and_writable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(candidate_copy, "CHUNK_BYTES", 1024 * 1024)  # several chunks
    source = _published(tmp_path)
    copy = BackgroundCopy(source, tmp_path / "candidate.duckdb")
    copy.wait()
    assert copy.done
    assert copy.target.read_bytes() == source.read_bytes()
    assert stat.S_IMODE(copy.target.stat().st_mode) == 0o644


def test_a_failed_copy_raises_where_the_refresh_waits(tmp_path: Path) -> None:
    copy = BackgroundCopy(tmp_path / "missing.duckdb", tmp_path / "candidate.duckdb")
    with pytest.raises(FileNotFoundError):
        copy.wait()
    assert not copy.done


def test_a_cancelled_copy_stops_and_leaves_no_candidate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The preflight failed while the copy ran: it stops at the next chunk and its file is removed."""
    monkeypatch.setattr(candidate_copy, "CHUNK_BYTES", 1024)
    first_chunk, go_on = threading.Event(), threading.Event()
    real = os.copy_file_range

    def slow(src: int, dst: int, count: int) -> int:
        first_chunk.set()
        go_on.wait(5)
        return real(src, dst, count)

    monkeypatch.setattr(candidate_copy.os, "copy_file_range", slow)
    copy = BackgroundCopy(_published(tmp_path), tmp_path / "candidate.duckdb")
    assert first_chunk.wait(5)
    canceller = threading.Thread(target=copy.cancel)
    canceller.start()
    while not copy._stop.is_set():  # noqa: SLF001 - the cancel has been asked before the chunk returns
        threading.Event().wait(0.01)
    go_on.set()
    canceller.join(10)
    assert not canceller.is_alive()
    assert not copy.done and not copy.target.exists()
    with pytest.raises(CopyCancelled):
        copy.wait()
