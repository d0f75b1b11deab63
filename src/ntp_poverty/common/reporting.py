"""How the command-line tools report problems: one ``error: ...`` line each, on stderr."""

from __future__ import annotations

import sys
from collections.abc import Iterable


def print_errors(errors: Iterable[object]) -> None:
    """Print each problem on its own ``error:`` line to stderr."""
    for error in errors:
        print(f"error: {error}", file=sys.stderr)


def report(errors: list[object], failure_summary: str, success_message: str) -> int:
    """Print the problems and a summary (exit code 1), or the success message (exit code 0)."""
    print_errors(errors)
    if errors:
        print(failure_summary, file=sys.stderr)
        return 1
    print(success_message)
    return 0
