"""``ntp bench`` and ``ntp bench-spark``: the benchmark harness lives beside its results in the
project's ``benchmarks/`` folder (BENCHMARKS.md is written from them), not in this package; these
commands run it from the project folder."""

from __future__ import annotations

import argparse
import importlib
import sys
from types import ModuleType

from ntp_poverty.project import project_dir


def _harness(name: str) -> ModuleType:
    """``benchmarks.<name>`` of the project (its folder on the import path for this process)."""
    root = str(project_dir())
    if root not in sys.path:
        sys.path.insert(0, root)
    return importlib.import_module(f"benchmarks.{name}")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``benchmarks/run.py``."""
    _harness("run").add_arguments(parser)


def run(args: argparse.Namespace) -> int:
    """The bench of BENCHMARKS.md (full refresh, engine floor, pandas, incremental, real data)."""
    return int(_harness("run").run(args))


def add_spark_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``benchmarks/spark_bench.py``."""
    _harness("spark_bench").add_arguments(parser)


def run_spark(args: argparse.Namespace) -> int:
    """The same dbt build on Spark and on DuckDB, timed."""
    return int(_harness("spark_bench").run(args))
