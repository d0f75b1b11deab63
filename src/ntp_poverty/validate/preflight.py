"""Checks that run before anything is built, so that nothing unproven is published.

dbt loads whatever the seeds say: a row whose fragment is no longer on its document line, a
printed number that Babel would read leniently, or a truncated document all build and publish
without complaint. The refresh therefore runs this registry first and refuses to build (exit 2)
when any check reports a problem. Each check takes the seeds and documents folders and returns
located error strings (``file:line:column: message``); the checks are cheap (well under a second
each on the five documents), so every check runs even when an earlier one failed, and the person
fixing the input sees every problem at once.

Adding a check: write a function ``(inputs: Inputs) -> list[str]`` and decorate it with
``@check("name", "why it must hold before building")``; the refresh and the command line pick it up.

Usage: ``ntp preflight [--seeds DIR] [--documents DIR] [--only NAME ...]``;
exit 0 when every check passes, 1 otherwise.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ntp_poverty.common.arguments import existing_dir
from ntp_poverty.common.reporting import print_errors
from ntp_poverty.project import project_dir
from ntp_poverty.validate.feed_files import FeedListing


@dataclass(frozen=True)
class Inputs:
    """What the checks read: the seeds folder and the documents folder beside it."""

    seeds_dir: Path
    documents_dir: Path
    #: An incremental refresh validates only the feed partitions it rebuilds (None: every partition).
    feed_partitions: tuple[str, ...] | None = None
    #: The feed's file list the refresh made once and dbt reads (None: the check lists the feed).
    feed_listing: FeedListing | None = None


CheckFunction = Callable[[Inputs], list[str]]


@dataclass(frozen=True)
class Check:
    """A registered preflight check: its name, why it runs before dbt, and the function."""

    name: str
    why: str
    run: CheckFunction


@dataclass(frozen=True)
class Result:
    """What one check found and how long it took."""

    name: str
    errors: list[str]
    seconds: float


REGISTRY: list[Check] = []


def check(name: str, why: str) -> Callable[[CheckFunction], CheckFunction]:
    """Register ``function`` as a preflight check (in definition order)."""

    def register(function: CheckFunction) -> CheckFunction:
        REGISTRY.append(Check(name, why, function))
        return function

    return register


@check("seeds", "every seed matches its YAML declaration and printed numbers agree with stored values")
def seed_validation(inputs: Inputs) -> list[str]:
    from ntp_poverty.validate.seeds import validate  # noqa: PLC0415 - a check imports its tool when it runs

    return [str(e) for e in validate(inputs.seeds_dir)]


@check("transcription_rules", "the rules dbt's tests enforce on transcribed rows hold, each named where it breaks")
def transcription_rules(inputs: Inputs) -> list[str]:
    from ntp_poverty.validate.seed_rules import check_rules  # noqa: PLC0415 - a check imports its tool when it runs

    return [str(e) for e in check_rules(inputs.seeds_dir)]


@check("document_texts", "every registered document's text is the one it was transcribed from (its SHA-256)")
def document_texts(inputs: Inputs) -> list[str]:
    from ntp_poverty.validate.document_texts import check_texts  # noqa: PLC0415 - a check imports its tool when it runs

    return [str(e) for e in check_texts(inputs.seeds_dir, inputs.documents_dir)]


@check("provenance", "every row of every seed with meta.provenance is printed on its document line")
def provenance(inputs: Inputs) -> list[str]:
    from ntp_poverty.validate.provenance import prove  # noqa: PLC0415 - a check imports its tool when it runs

    return prove(inputs.seeds_dir, inputs.documents_dir)


@check("ledger", "every numeral printed in the documents is transcribed or classified")
def ledger(inputs: Inputs) -> list[str]:
    from ntp_poverty.ledger.numerals import find_unaccounted  # noqa: PLC0415 - a check imports its tool when it runs

    return find_unaccounted(inputs.documents_dir, inputs.seeds_dir)


@check("table_layouts", "every declared layout of a table whose header the text lost names known codes and columns")
def table_layouts(inputs: Inputs) -> list[str]:
    from ntp_poverty.propose.layouts import LayoutError, read_layouts  # noqa: PLC0415 - only this check

    try:
        read_layouts(inputs.documents_dir, inputs.seeds_dir)
    except LayoutError as exc:
        return [str(exc)]
    return []


@check("feeds", "every line-item feed file (NTP_FEEDS, default feeds/sample) follows the feed contract")
def feeds(inputs: Inputs) -> list[str]:
    from ntp_poverty.validate.feed_contract import feeds_dir  # noqa: PLC0415 - a check imports its tool when it runs
    from ntp_poverty.validate.feeds import validate  # noqa: PLC0415 - a check imports its tool when it runs

    feed = inputs.feed_listing.root if inputs.feed_listing else feeds_dir(inputs.seeds_dir.resolve().parent)
    return validate(
        feed, inputs.seeds_dir / "reference", partitions=inputs.feed_partitions, listing=inputs.feed_listing
    )


def _run_one(item: Check, inputs: Inputs) -> Result:
    """Run one check; an exception becomes one error line naming the check, never a traceback."""
    started = time.monotonic()
    try:
        errors = list(item.run(inputs))
    except Exception as exc:  # noqa: BLE001 - a crashing check must refuse the build, readably
        errors = [f"preflight check {item.name!r} could not run: {type(exc).__name__}: {exc}"]
    return Result(item.name, errors, round(time.monotonic() - started, 3))


def run_preflight(
    seeds_dir: Path,
    documents_dir: Path,
    only: Iterable[str] = (),
    feed_partitions: tuple[str, ...] | None = None,
    feed_listing: FeedListing | None = None,
) -> list[Result]:
    """Run every registered check (or those named in ``only``) against the two folders.

    ``feed_partitions`` limits the feed check to those partitions (an incremental refresh: the others
    were proven when they were built and have not changed since).
    """
    wanted = set(only)
    unknown = wanted - {c.name for c in REGISTRY}
    if unknown:
        raise ValueError(f"unknown preflight check(s): {', '.join(sorted(unknown))}")
    inputs = Inputs(seeds_dir, documents_dir, feed_partitions, feed_listing)
    return [_run_one(c, inputs) for c in REGISTRY if not wanted or c.name in wanted]


def errors_of(results: Iterable[Result]) -> list[str]:
    """Every error of every check, in order, each once (two checks may read the same broken file)."""
    return list(dict.fromkeys(e for r in results for e in r.errors))


def summary(results: Iterable[Result]) -> str:
    """One line: each check, its error count and time."""
    return "; ".join(
        f"{r.name} {'ok' if not r.errors else f'{len(r.errors)} error(s)'} in {r.seconds:.2f} s" for r in results
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``ntp preflight [--seeds DIR] [--documents DIR] [--only NAME ...] [--list]``."""
    parser.add_argument("--seeds", type=existing_dir, help="seeds folder (default: the project's seeds/)")
    parser.add_argument(
        "--documents", type=existing_dir, help="documents folder (default: documents/ beside the seeds folder)"
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="NAME",
        choices=[item.name for item in REGISTRY],
        help="run only this check",
    )
    parser.add_argument("--list", action="store_true", help="list the checks and exit")


def run(args: argparse.Namespace) -> int:
    """Print located errors to stderr and a summary to stdout; exit 1 on any error."""
    if args.list:
        for item in REGISTRY:
            print(f"{item.name}: {item.why}")
        return 0
    seeds_dir = args.seeds or project_dir() / "seeds"
    documents_dir = args.documents or seeds_dir.parent / "documents"
    results = run_preflight(seeds_dir, documents_dir, args.only)
    errors = errors_of(results)
    print_errors(errors)
    print(f"preflight: {summary(results)}")
    if errors:
        print(f"preflight failed: {len(errors)} error(s); nothing may be built from these inputs", file=sys.stderr)
        return 1
    return 0
