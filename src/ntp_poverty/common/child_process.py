"""Run one memory-heavy step of the refresh in a forked child process.

Great Expectations and the report read national-scale marts into pandas: millions of small Python
objects whose memory stays in the process once freed (at 10 million feed rows, 1.6 GB after both).
Run in the refresh's own process, that memory adds to the release that follows (the DuckDB exports
hold up to the profile's memory limit), and the process tree passed 4 GB. In a child, it is returned
to the system when the step ends. A fork (not a fresh interpreter) starts in milliseconds with every
module already imported; an exception raised in the child is raised again here, type and message kept.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import ParamSpec, TypeVar

from ntp_poverty.common.child_lifetime import die_with_parent

P = ParamSpec("P")
R = TypeVar("R")


def in_child(function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """``function(*args, **kwargs)`` in a forked child process; its result (or its exception) here.
    The child dies with this process (:func:`~ntp_poverty.common.child_lifetime.die_with_parent`)."""
    with ProcessPoolExecutor(
        max_workers=1, mp_context=multiprocessing.get_context("fork"), initializer=die_with_parent
    ) as pool:
        return pool.submit(function, *args, **kwargs).result()
