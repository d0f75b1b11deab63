"""``ntp``: the one command-line entry point of the warehouse; the Makefile's targets call it.

Each command is a module with ``add_arguments(parser)`` and ``run(args) -> int``; only the module of
the command given is imported, so ``ntp --help`` is instant and a command pays only for what it uses.
Exit codes are the commands' own (the refresh's contract is in :mod:`ntp_poverty.refresh.run_log`);
a usage error (an unknown command, a missing argument, a path that does not exist) is 2.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass

from ntp_poverty.project import PROJECT_ENV, ProjectNotFoundError

EXIT_USAGE = 2


@dataclass(frozen=True)
class Command:
    """One command: the words that name it, the module that runs it, and what it does."""

    words: tuple[str, ...]
    module: str
    summary: str
    run: str = "run"
    add_arguments: str = "add_arguments"


COMMANDS = (
    Command(
        ("refresh",),
        "ntp_poverty.refresh.pipeline",
        "build, test, audit and publish the warehouse (write-audit-publish; incremental by feed partition)",
    ),
    Command(
        ("rollback",),
        "ntp_poverty.refresh.pipeline",
        "switch the published release back to the previous one (every form at once)",
        run="run_rollback",
        add_arguments="add_rollback_arguments",
    ),
    Command(
        ("preflight",),
        "ntp_poverty.validate.preflight",
        "every input check the refresh runs before building (seeds, provenance, ledger, feeds)",
    ),
    Command(
        ("validate", "seeds"),
        "ntp_poverty.validate.seeds",
        "check the seed CSVs against their YAML declarations (file:line:column errors)",
    ),
    Command(("validate", "feeds"), "ntp_poverty.validate.feeds", "check a line-item feed folder against its contract"),
    Command(
        ("validate", "provenance"),
        "ntp_poverty.validate.provenance",
        "prove every transcribed row against its document line",
    ),
    Command(
        ("validate", "marts"),
        "ntp_poverty.validate.marts",
        "the Great Expectations checkpoint on a built warehouse's marts",
    ),
    Command(
        ("ledger",),
        "ntp_poverty.ledger.numerals",
        "completeness ledger: every numeral printed in documents/ is transcribed or classified",
    ),
    Command(
        ("propose",),
        "ntp_poverty.propose.command",
        "proposed plan_amounts rows for a new document, a review file, and --apply of its verdicts",
    ),
    Command(
        ("synthetic",),
        "ntp_poverty.synthetic.feed",
        "write (or --revise) a deterministic synthetic national line-item feed",
    ),
    Command(("report",), "ntp_poverty.report.html", "render the HTML report from a built warehouse"),
    Command(
        ("geography",),
        "ntp_poverty.reference.geography",
        "regenerate the geography seeds from the pinned administrative-unit packages",
    ),
    Command(
        ("offline-docs",), "ntp_poverty.publish.offline_docs", "rewrite Great Expectations Data Docs for offline use"
    ),
    Command(("bench",), "ntp_poverty.bench", "the benchmarks of BENCHMARKS.md (refresh, engine floor, pandas)"),
    Command(
        ("bench-spark",),
        "ntp_poverty.bench",
        "the same dbt build on Spark and on DuckDB, timed",
        run="run_spark",
        add_arguments="add_spark_arguments",
    ),
)


def _listing(prefix: tuple[str, ...]) -> str:
    rows = [(" ".join(c.words[len(prefix) :]), c.summary) for c in COMMANDS if c.words[: len(prefix)] == prefix]
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"  {name.ljust(width)}  {summary}" for name, summary in rows)


def _usage(prefix: tuple[str, ...]) -> str:
    name = " ".join(("ntp", *prefix))
    return (
        f"usage: {name}{'' if prefix else ' [--project-dir DIR]'} COMMAND [options]\n\ncommands:\n"
        f"{_listing(prefix)}\n\n`{name} COMMAND --help` describes each command's options."
    )


def _find(words: Sequence[str]) -> tuple[Command | None, tuple[str, ...], list[str]]:
    """The command named by the leading words, the longest group prefix matched, and the rest."""
    for command in COMMANDS:
        if tuple(words[: len(command.words)]) == command.words:
            return command, command.words, list(words[len(command.words) :])
    groups = {c.words[:1] for c in COMMANDS if len(c.words) > 1}
    prefix = tuple(words[:1]) if tuple(words[:1]) in groups else ()
    return None, prefix, list(words[len(prefix) :])


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``ntp [--project-dir DIR] COMMAND [options]``; return its exit code."""
    words = list(sys.argv[1:] if argv is None else argv)
    # DuckDB uses every core of the machine unless told otherwise (profiles.yml's fallback, for a
    # bare `dbt build`, is one thread): dbt, the engine floor and the refresh's own connections
    # inherit this from the environment of the command
    os.environ.setdefault("NTP_DUCKDB_THREADS", str(os.cpu_count() or 1))
    if words[:1] == ["--project-dir"] and len(words) > 1:
        os.environ[PROJECT_ENV] = words[1]
        words = words[2:]
    elif words[:1] and words[0].startswith("--project-dir="):
        os.environ[PROJECT_ENV] = words[0].split("=", 1)[1]
        words = words[1:]
    command, prefix, rest = _find(words)
    if command is None:
        if not rest or rest[0] in ("-h", "--help"):
            print(_usage(prefix))
            return 0
        print(f"{_usage(prefix)}\n\nntp: error: unknown command: {' '.join(words)}", file=sys.stderr)
        return EXIT_USAGE
    module = importlib.import_module(command.module)
    parser = argparse.ArgumentParser(prog=" ".join(("ntp", *command.words)), description=command.summary)
    getattr(module, command.add_arguments)(parser)
    args = parser.parse_args(rest)
    try:
        return int(getattr(module, command.run)(args))
    except ProjectNotFoundError as exc:
        print(f"ntp: error: {exc}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    raise SystemExit(main())
