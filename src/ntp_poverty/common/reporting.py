"""How the command-line tools report problems: one ``error: ...`` line each, on stderr."""

from __future__ import annotations

import sys
from collections.abc import Iterable

#: The most characters of a value (a rejected cell, a path, a message) any tool prints or logs.
VALUE_LIMIT = 200
#: The most characters of one error line: a located message around values cut to VALUE_LIMIT.
LINE_LIMIT = 1000


def cut(value: object, limit: int = VALUE_LIMIT) -> str:
    """``value`` as text, cut to ``limit`` characters with the length it had (a 1 MB cell stays readable)."""
    text = str(value)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text):,} characters in all)"


def print_errors(errors: Iterable[object]) -> None:
    """Print each problem on its own ``error:`` line to stderr, cut to LINE_LIMIT characters."""
    for error in errors:
        print(f"error: {cut(error, LINE_LIMIT)}", file=sys.stderr)


def report(errors: list[object], failure_summary: str, success_message: str) -> int:
    """Print the problems and a summary (exit code 1), or the success message (exit code 0)."""
    print_errors(errors)
    if errors:
        print(failure_summary, file=sys.stderr)
        return 1
    print(success_message)
    return 0
