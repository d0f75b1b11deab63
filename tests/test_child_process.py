"""A memory-heavy refresh step runs in a forked child (src/ntp_poverty/common/child_process.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ntp_poverty.common.child_process import in_child


def _many_small_strings(count: int) -> int:
    # what a pandas frame of text columns is made of: small objects whose memory a process keeps
    held = [f"commune-{i:09d}" for i in range(count)]
    return len(held)


def _refuse(reason: str) -> None:
    raise ValueError(reason)


def test_the_step_runs_in_another_process_which_has_ended_when_the_result_is_back() -> None:
    # what the step allocated leaves with that process: it is not this one, and it no longer exists
    child = in_child(os.getpid)
    assert child != os.getpid()
    assert not Path(f"/proc/{child}").exists()


def test_the_result_comes_back() -> None:
    assert in_child(_many_small_strings, 1_000_000) == 1_000_000


def test_an_error_in_the_child_is_raised_here_with_its_type_and_message() -> None:
    with pytest.raises(ValueError, match=r"marts\.funding_mix is missing"):
        in_child(_refuse, "marts.funding_mix is missing")
