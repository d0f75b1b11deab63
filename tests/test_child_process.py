"""A memory-heavy refresh step runs in a forked child (scripts/ntp_poverty/child_process.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ntp_poverty.child_process import in_child


def _rss_bytes() -> int:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _many_small_strings(count: int) -> int:
    # what a pandas frame of text columns is made of: small objects whose memory a process keeps
    held = [f"commune-{i:09d}" for i in range(count)]
    return len(held)


def _refuse(reason: str) -> None:
    raise ValueError(reason)


def test_the_step_runs_in_another_process() -> None:
    assert in_child(os.getpid) != os.getpid()


def test_the_result_comes_back_and_the_memory_stays_with_the_child() -> None:
    before = _rss_bytes()
    assert in_child(_many_small_strings, 3_000_000) == 3_000_000  # about 250 MB in the child
    assert _rss_bytes() - before < 50 * 1024 ** 2
    held = [f"commune-{i:09d}" for i in range(3_000_000)]  # the same held here: the measure sees it
    assert _rss_bytes() - before > 100 * 1024 ** 2
    del held


def test_an_error_in_the_child_is_raised_here_with_its_type_and_message() -> None:
    with pytest.raises(ValueError, match="marts.funding_mix is missing"):
        in_child(_refuse, "marts.funding_mix is missing")
