"""Argument types the commands share: a path that does not exist is a usage error (exit 2), never
a check that "passed" over nothing."""

from __future__ import annotations

import argparse
from pathlib import Path


def existing_dir(value: str) -> Path:
    """An existing folder, else an argparse error naming it."""
    path = Path(value)
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"{value}: no such folder")
    return path


def existing_file(value: str) -> Path:
    """An existing file, else an argparse error naming it."""
    path = Path(value)
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"{value}: no such file")
    return path
