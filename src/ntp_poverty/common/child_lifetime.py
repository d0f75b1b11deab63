"""No child outlives the refresh: a child asks the kernel for SIGKILL when its parent dies.

A SIGKILLed refresh cannot end its children itself, and its dbt went on writing a candidate after
the lock was free. On Linux, ``prctl(PR_SET_PDEATHSIG, SIGKILL)`` in the child (between fork and
exec, :func:`die_with_parent` as a ``preexec_fn``; or first thing in a forked worker) makes the
kernel kill it the moment the process that started it dies, however that happens. Elsewhere it
does nothing (the refresh runs on Linux).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
from collections.abc import Callable

PR_SET_PDEATHSIG = 1


def _load_prctl() -> Callable[..., int] | None:
    """libc's prctl, looked up once in the parent (a preexec function must not load libraries)."""
    name = ctypes.util.find_library("c")
    return getattr(ctypes.CDLL(name, use_errno=True), "prctl", None) if name else None


_PRCTL = _load_prctl()


def die_with_parent() -> None:
    """In a child: be killed when the parent dies (Linux; a no-op where prctl is missing)."""
    if _PRCTL is None:
        return
    parent = os.getppid()
    _PRCTL(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request took effect
        os.kill(os.getpid(), signal.SIGKILL)
