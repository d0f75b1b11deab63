"""Nightly refresh with write-audit-publish: one release per run, published by one atomic switch.

The refresh reads as its steps:

1. **lock**: one refresh at a time (:mod:`ntp_poverty.refresh.lock`); runs killed earlier are logged
   as ``interrupted`` and their leftovers cleaned (:func:`recover`);
2. **validate**: the warehouse folder must accept the writes and renames publishing needs (fail fast,
   exit 6); the build is planned (:mod:`ntp_poverty.build.increments`: full, or incremental when only some
   feed partitions changed since the published build); then the preflight proves the inputs (seeds,
   provenance, ledger, the feed partitions to build; exit 2) before anything is built
   (:mod:`ntp_poverty.validate.preflight`); an incremental build copies the published file into its candidate
   meanwhile, and parses the project (:mod:`ntp_poverty.build.candidate_copy`);
3. **build**: ``dbt build`` into a candidate file in ``.candidates/<run>/`` (for an incremental build the
   copy of the published file, whose changed partitions are deleted and inserted again) with every
   test and the sum-consistency gate, then the docs site (:mod:`ntp_poverty.build.steps`);
4. **audit**: the candidate must hold this run's marts; the Great Expectations checkpoint validates
   them (exit 4); the report is rendered from them;
5. **release**: every published form goes into ``releases/<run>/``, which is then sealed read-only
   (:mod:`ntp_poverty.publish.forms`);
6. **switch**: ``current -> releases/<run>`` is swapped atomically (:mod:`ntp_poverty.publish.releases`): the
   only step readers can see; retention then keeps the current and the previous release;
7. **log**: one line in ``refresh_runs.jsonl`` (:mod:`ntp_poverty.refresh.run_log`), whatever happened.

Every failure ends in the exit code of the contract in :mod:`ntp_poverty.refresh.run_log` with a reason, a
``FAILED`` marker beside the run's logs in ``.candidates/<run>/``, and a run-log line; an exception no
step expected is exit 7 with its traceback kept there. ``--rollback`` switches ``current`` back to the
previous release (every form at once) and logs that too.

Layout of the warehouse folder (``--warehouse`` names the DuckDB file inside it)::

    ntp_poverty.duckdb, parquet/, docs/, report/, data_docs/   stable paths: symlinks through current/
    current -> releases/<run>        the published release
    releases/<run>/                  one sealed, read-only folder per published run (current + previous)
    .candidates/<run>/               a run's workspace: candidate, dbt target and logs; kept when it fails
    .refresh.lock                    the lock (flock; holds the pid of the running refresh)
    refresh_runs.jsonl               one JSON line per run, rollback and interrupted run
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import subprocess
import time
import traceback
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from ntp_poverty.build.candidate_copy import BackgroundCopy
from ntp_poverty.build.increments import INCREMENTAL, BuildPlan, plan_build, published_feed_bytes, shrink_refusals
from ntp_poverty.build.slices import at_once_rows_limit, partition_rows, plan_slices, slice_rows_limit
from ntp_poverty.build.steps import generate_docs, parse_dbt, run_dbt, verify_candidate
from ntp_poverty.common.arguments import existing_dir
from ntp_poverty.common.reporting import LINE_LIMIT, cut, print_errors
from ntp_poverty.ledger.numerals import summarize as summarize_ledger
from ntp_poverty.ledger.summary import write_summary as write_ledger_summary
from ntp_poverty.project import project_dir
from ntp_poverty.publish import releases
from ntp_poverty.publish.facts import Reuse
from ntp_poverty.publish.forms import assemble
from ntp_poverty.publish.releases import Layout, ReleaseError
from ntp_poverty.refresh import faults
from ntp_poverty.refresh.lock import acquire_lock, release_lock
from ntp_poverty.refresh.run_log import (
    EXIT_BUILD,
    EXIT_GX,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_PUBLISH,
    RUN_LOG_NAME,
    RefreshError,
    RunRecord,
    append_run,
    now_iso,
    say,
)
from ntp_poverty.report.html import write_report
from ntp_poverty.validate.feed_contract import feeds_dir
from ntp_poverty.validate.feed_files import RUN_LIST_NAME as FEED_LIST_NAME
from ntp_poverty.validate.feed_files import FeedListing, list_feed, write_list
from ntp_poverty.validate.feeds import declarations
from ntp_poverty.validate.preflight import errors_of, run_preflight
from ntp_poverty.validate.preflight import summary as preflight_summary

FAILED_MARKER = "FAILED"
RUNNING_MARKER = "RUNNING"


@dataclass(frozen=True)
class Paths:
    """Where the published warehouse, its releases and the refresh's workspaces live."""

    published: Path

    @property
    def root(self) -> Path:
        return self.published.parent

    @property
    def layout(self) -> Layout:
        return Layout(self.root, self.published.name)

    @property
    def candidates(self) -> Path:
        return self.root / ".candidates"

    @property
    def lock(self) -> Path:
        return self.root / ".refresh.lock"

    @property
    def run_log(self) -> Path:
        return self.root / RUN_LOG_NAME


def validate_marts(warehouse: Path, data_docs: Path) -> list[str]:
    """The Great Expectations checkpoint (:mod:`ntp_poverty.validate.marts`), imported only when a run
    gets that far: Great Expectations takes seconds to import, which a rollback, a refused or a failed
    run need not pay."""
    if (faked := faults.fake_validation(data_docs)) is not None:  # tests only, with a fake build
        return faked
    from ntp_poverty.validate.marts import validate  # noqa: PLC0415

    return validate(warehouse, data_docs)


def git_commit() -> str:
    """The project's commit, or 'unknown' outside a git checkout."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=project_dir(), capture_output=True, text=True, check=True, timeout=10
        )
        return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def new_run_id() -> str:
    """Sortable by start time, unique across machines."""
    return f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def recover(paths: Paths, record: RunRecord) -> None:
    """Log runs that were killed outright, clean what they left, and apply retention.

    A workspace with a RUNNING marker and no FAILED marker belongs to a run that never finished: its
    ``interrupted`` line names what it left (the workspace, an unsealed release) and what was cleaned.
    A run killed after its switch published its release: the line says so (published = true).
    """
    layout = paths.layout
    current = releases.current_run(layout)
    if paths.candidates.exists():
        for workspace in sorted(p for p in paths.candidates.iterdir() if p.is_dir()):
            if (workspace / FAILED_MARKER).exists():
                continue
            marker = workspace / RUNNING_MARKER
            started = marker.read_text(encoding="utf-8").strip() if marker.exists() else ""
            left = sorted(p.name for p in workspace.iterdir())
            release = layout.release(workspace.name)
            if release.exists():
                left.append(
                    f"releases/{workspace.name}"
                    + (" (sealed)" if releases.is_sealed(layout, workspace.name) else " (unsealed)")
                )
            shutil.rmtree(workspace, ignore_errors=True)
            interrupted = RunRecord(
                run_id=workspace.name,
                started_at=started,
                git_commit="unknown",
                published_path=str(paths.published),
                action="interrupted",
                published=workspace.name == current,
                exit_code=None,
                reason="the run was killed before it finished; logged by run " + record.run_id,
                release=workspace.name if workspace.name == current else "",
                left=left,
                cleaned=[f".candidates/{workspace.name}"],
            )
            append_run(paths.run_log, interrupted)
            say(f"removed the candidate of an interrupted run: {workspace.name}")
    for name in prune_failed_workspaces(paths.candidates):
        say(f"removed the workspace of failed run {name} (the last {kept_failed_runs()} failed runs are kept)")
        record.cleaned.append(f".candidates/{name}")
    removed = releases.prune(layout)
    for name in removed:
        say(f"removed release folder {name} (not current, not previous)")
    record.cleaned += [f"releases/{name}" for name in removed]


#: Failed runs whose workspace (logs, candidate) is kept for inspection: NTP_KEEP_FAILED_RUNS.
KEEP_FAILED_DEFAULT = 5


def kept_failed_runs() -> int:
    """How many failed runs' workspaces are kept (``NTP_KEEP_FAILED_RUNS``, default 5)."""
    value = os.environ.get("NTP_KEEP_FAILED_RUNS", "")
    return int(value) if value.isdigit() else KEEP_FAILED_DEFAULT


def prune_failed_workspaces(candidates: Path) -> list[str]:
    """Remove the workspaces of failed runs but the newest :func:`kept_failed_runs` (run ids sort by
    start time); return the removed runs. A day of faults left 48 folders, 156 MB."""
    if not candidates.exists():
        return []
    failed = sorted(p for p in candidates.iterdir() if p.is_dir() and (p / FAILED_MARKER).exists())
    keep = kept_failed_runs()
    removed = failed[: max(len(failed) - keep, 0)]
    for workspace in removed:
        shutil.rmtree(workspace, ignore_errors=True)
    return [p.name for p in removed]


def _workspace(paths: Paths, run_id: str) -> Path:
    run_dir = paths.candidates / run_id
    run_dir.mkdir(parents=True)
    (run_dir / RUNNING_MARKER).write_text(now_iso() + "\n", encoding="utf-8")
    return run_dir


def _list_feed(run_dir: Path) -> FeedListing:
    """The feed's files, listed once (:mod:`ntp_poverty.validate.feed_files`): the preflight validates
    them, the plan hashes them, and dbt reads exactly them from ``run_dir/feed_files.csv``."""
    try:
        feed = feeds_dir(project_dir())
    except ValueError as exc:
        raise RefreshError(EXIT_BUILD, str(exc)) from exc
    listing = list_feed(feed)
    try:
        write_list(listing, run_dir / FEED_LIST_NAME)
    except OSError as exc:
        raise RefreshError(EXIT_BUILD, f"the feed's file list could not be written: {exc}") from exc
    say(f"feed {feed}: {len(listing.data_files())} data file(s) listed in {FEED_LIST_NAME}")
    return listing


def _plan(paths: Paths, record: RunRecord, options: RefreshOptions, listing: FeedListing) -> BuildPlan:
    """Full or incremental (:mod:`ntp_poverty.build.increments`), recorded in the run log; a feed that
    lost partitions or most of its bytes since the published build is refused unless that is declared."""
    current = releases.current_run(paths.layout)
    published = paths.layout.release(current) / paths.layout.database_name if current else None
    if not listing.errors:  # a refused file is named by the preflight, which runs next
        declared, _ = declarations(listing.root / "declarations.csv")
        current_bytes: dict[str, int] = {}
        for item in listing.data_files():
            current_bytes[item.source_partition] = current_bytes.get(item.source_partition, 0) + item.file_bytes
        refusals = shrink_refusals(
            published_feed_bytes(published),
            current_bytes,
            declared["removed_partition"],
            set(options.allow_removals),
            options.allow_shrink,
        )
        if refusals:
            print_errors(refusals)
            raise RefreshError(EXIT_BUILD, f"the feed shrank: {refusals[0]}")
    plan = plan_build(
        published, project_dir(), listing.root, options.full_refresh, partitions=listing.partition_hashes()
    )
    record.mode, record.mode_reason = plan.mode, plan.reason
    record.rebuilt_partitions = list(plan.changed) if plan.incremental else []
    say(f"{plan.mode} build: {plan.reason}")
    return plan


def _start_candidate(paths: Paths, candidate: Path, plan: BuildPlan) -> BackgroundCopy | None:
    """An incremental candidate starts as a writable copy of the published file, made in the
    background (:mod:`ntp_poverty.build.candidate_copy`) while the preflight and dbt's parse run."""
    if not plan.incremental:
        return None
    published = paths.layout.release(releases.current_run(paths.layout) or "") / paths.layout.database_name
    say(
        f"copying the published file into the candidate ({published.stat().st_size / 1e6:,.0f} MB), "
        "meanwhile the preflight and dbt parse"
    )
    return BackgroundCopy(published, candidate)


def _prepare(
    paths: Paths, run_dir: Path, seeds_dir: Path, plan: BuildPlan, run_vars: dict[str, object], listing: FeedListing
) -> Path:
    """Preflight, then (incremental) dbt parse while the candidate is copied; returns the candidate."""
    candidate = run_dir / paths.published.name
    copy = _start_candidate(paths, candidate, plan)
    try:
        checks = run_preflight(
            seeds_dir,
            project_dir() / "documents",
            feed_partitions=plan.changed if plan.incremental else None,
            feed_listing=listing,
        )
        say(f"preflight: {preflight_summary(checks)}")
        if errors := errors_of(checks):
            print_errors(errors)
            raise RefreshError(
                EXIT_BUILD, f"preflight failed: {len(errors)} error(s), first: {cut(errors[0], LINE_LIMIT)}"
            )
        try:
            faults.point("before_build")
        except OSError as exc:
            raise RefreshError(EXIT_BUILD, f"build failed: {exc}") from exc
        if copy is not None:
            say("waiting for the copy of the published file (dbt parse meanwhile)")
            parse_dbt(candidate, run_dir, run_vars)
            try:
                copy.wait()
            except OSError as exc:  # only the copy's own errors: a preflight error keeps its message
                raise RefreshError(
                    EXIT_BUILD, f"the published file could not be copied into the candidate: {exc}"
                ) from exc
            say("the candidate is a copy of the published file")
    except BaseException:
        if copy is not None:  # nothing is built from it: an unfinished copy stops, a finished one goes
            copy.cancel()
        raise
    return candidate


def check_feed_read_as_listed(candidate: Path, listing: FeedListing) -> None:
    """The files dbt read (``audit.feed_files``: path and MD5 of the bytes it read) must be the files
    the preflight listed and validated, byte for byte: a file written into the feed meanwhile would
    otherwise be built without being validated."""
    listed = {item.feed_file: item.content_md5 for item in listing.data_files()}
    try:
        with duckdb.connect(str(candidate), read_only=True) as con:
            read = dict(con.execute("select feed_file, content_md5 from audit.feed_files").fetchall())
    except duckdb.Error as exc:
        raise RefreshError(EXIT_BUILD, f"the candidate does not record the feed files it read: {exc}") from exc
    differ = sorted(name for name in listed.keys() | read.keys() if listed.get(name) != read.get(name))
    if differ:
        shown = ", ".join(differ[:5]) + (f" and {len(differ) - 5} more" if len(differ) > 5 else "")
        raise RefreshError(
            EXIT_BUILD,
            f"the feed changed while it was built: {shown} differ from what the preflight validated; "
            "write a feed beside it and rename it into place, then refresh again",
        )


def _build_and_audit(
    paths: Paths, run_dir: Path, run_id: str, seeds_dir: Path, record: RunRecord, options: RefreshOptions
) -> dict[str, Path]:
    """Steps 2-4: plan, preflight, dbt build, docs, proof of the candidate, GX, report. Returns the pages."""
    listing = _list_feed(run_dir)
    plan = _plan(paths, record, options, listing)
    try:
        slice_rows, at_once_rows = slice_rows_limit(), at_once_rows_limit()
    except ValueError as exc:
        raise RefreshError(EXIT_BUILD, str(exc)) from exc
    say(f"run {run_id}: preflight before building (seeds, provenance, ledger, feed)")
    documents_dir = project_dir() / "documents"
    run_vars: dict[str, object] = {
        "run_id": run_id,
        "git_commit": record.git_commit,
        "project_fingerprint": plan.fingerprint,
    }
    if plan.incremental:
        run_vars["changed_partitions"] = list(plan.changed)
    candidate = _prepare(paths, run_dir, seeds_dir, plan, run_vars, listing)
    slices = [] if plan.incremental else plan_slices(partition_rows(listing), slice_rows, at_once_rows)
    record.slice_partitions = [len(partitions) for partitions in slices] if len(slices) > 1 else []
    try:
        site = faults.fake_build(candidate, run_dir, run_id)  # None unless a test asks for a fake build
        built_by_dbt = site is None
        if built_by_dbt:
            run_dbt(candidate, run_dir, run_vars, record, full_refresh=not plan.incremental, slices=slices)
            site = generate_docs(candidate, run_dir, run_vars)
        write_ledger_summary(summarize_ledger(documents_dir, seeds_dir), run_dir / "ledger")
    except OSError as exc:
        raise RefreshError(EXIT_BUILD, f"build failed: {exc}") from exc
    verify_candidate(candidate, run_id, record)
    if built_by_dbt:  # a fake build's candidate read another feed (tests/test_feed_faults.py proves the check)
        check_feed_read_as_listed(candidate, listing)
    say("Great Expectations checkpoint on the candidate's marts")
    failures = validate_marts(candidate, run_dir / "data_docs")
    if failures:
        print_errors(failures)
        raise RefreshError(EXIT_GX, f"Great Expectations: {len(failures)} expectation(s) failed")
    say("rendering the HTML report from the candidate's marts")
    report_html = run_dir / "report.html"
    try:
        write_report(candidate, report_html)
    except OSError as exc:
        raise RefreshError(EXIT_BUILD, f"the report could not be written: {exc}") from exc
    return {
        "candidate": candidate,
        "docs": site,
        "ledger": run_dir / "ledger",
        "report": report_html,
        "data_docs": run_dir / "data_docs",
    }


def _free_release(layout: Layout, run_id: str, record: RunRecord) -> None:
    """After a failed publish, remove the release folder this run began (a full disk gets its space
    back); when that fails too (a read-only filesystem), the next run's retention removes it."""
    if not layout.release(run_id).exists() or releases.current_run(layout) == run_id:
        return
    try:
        releases.remove(layout, run_id)
    except (OSError, ReleaseError) as exc:
        say(f"the unpublished release {run_id} could not be removed ({exc}); the next run removes it")
        return
    record.cleaned.append(f"releases/{run_id}")
    say(f"removed the unpublished release folder {run_id}")


def _release_and_switch(paths: Paths, run_id: str, pages: dict[str, Path], record: RunRecord) -> None:
    """Steps 5-6: assemble and seal ``releases/<run>``, switch ``current`` to it, apply retention."""
    layout = paths.layout
    previous = releases.current_run(layout)
    try:
        say(f"assembling release {run_id} (DuckDB file, Parquet, Excel, data package, docs, ledger, report, Data Docs)")
        reuse = (
            Reuse(layout.release(previous) / "parquet" / "facts", tuple(record.rebuilt_partitions))
            if previous and record.mode == INCREMENTAL
            else None
        )
        assemble(
            layout.release(run_id),
            layout.database_name,
            pages["candidate"],
            run_id,
            sorted(record.mart_rows),
            pages,
            reuse,
        )
        releases.seal(layout, run_id, previous)
        faults.point("before_switch")
        releases.switch(layout, run_id)
    except (OSError, ReleaseError, duckdb.Error) as exc:  # a full disk too: DuckDB's exports say IOException
        _free_release(layout, run_id, record)
        raise RefreshError(EXIT_PUBLISH, f"publish failed: {cut(exc, LINE_LIMIT)}") from exc
    record.published, record.release = True, run_id
    say(f"published release {run_id}: {paths.published} and every form beside it")
    faults.point("after_switch")
    try:
        for name in releases.prunable(layout):
            releases.remove(layout, name)
            say(f"removed release folder {name} (not current, not previous)")
            record.cleaned.append(f"releases/{name}")
            faults.point("during_prune")
    except (OSError, ReleaseError) as exc:  # published already: retention is retried by the next run
        say(f"retention could not finish ({exc}); the next run retries it")


@dataclass(frozen=True)
class RefreshOptions:
    """What the command line asks of a refresh."""

    full_refresh: bool = False
    #: partitions the published build read that this feed may drop (``--allow-removals``)
    allow_removals: tuple[str, ...] = ()
    #: a feed of less than half the published feed's bytes may be built (``--allow-shrink``)
    allow_shrink: bool = False


def refresh(paths: Paths, seeds_dir: Path, options: RefreshOptions | None = None) -> int:
    """One write-audit-publish run; returns the exit code and appends the run log."""
    run_id = new_run_id()
    started = time.monotonic()
    record = RunRecord(
        run_id=run_id, started_at=now_iso(), git_commit=git_commit(), published_path=str(paths.published)
    )
    try:
        lock = acquire_lock(paths.lock)
    except RefreshError as exc:
        print_errors([exc.reason])
        record.reason, record.exit_code = exc.reason, exc.code
        append_run(paths.run_log, record, started)
        return exc.code
    run_dir: Path | None = None
    try:
        recover(paths, record)
        try:
            releases.check_publishable(paths.layout)
        except OSError as exc:
            raise RefreshError(EXIT_PUBLISH, f"cannot publish into {paths.root}: {exc}; nothing was built") from exc
        try:
            run_dir = _workspace(paths, run_id)
        except OSError as exc:  # a full disk before anything is built
            raise RefreshError(EXIT_BUILD, f"the run's workspace could not be written: {exc}") from exc
        record.candidate_dir = str(run_dir)
        pages = _build_and_audit(paths, run_dir, run_id, seeds_dir, record, options or RefreshOptions())
        _release_and_switch(paths, run_id, pages, record)
        shutil.rmtree(run_dir, ignore_errors=True)
        record.reason, record.candidate_dir = "all checks passed", ""
        return EXIT_OK
    except RefreshError as exc:
        return _fail(record, run_dir, exc.code, exc.reason)
    except Exception as exc:  # noqa: BLE001 - the exit-code contract holds for bugs too
        if run_dir is not None:
            (run_dir / "traceback.txt").write_text(traceback.format_exc(), encoding="utf-8")
        return _fail(record, run_dir, EXIT_INTERNAL, f"internal error: {type(exc).__name__}: {exc}")
    finally:
        append_run(paths.run_log, record, started)
        release_lock(lock)
        state = "published" if record.published else f"not published ({record.reason})"
        say(
            f"run {record.run_id} {state} in {record.duration_s:.1f} s; mart rows {record.mart_rows}; "
            f"tests {record.tests}; findings {record.findings}"
        )


def _fail(record: RunRecord, run_dir: Path | None, code: int, reason: str) -> int:
    """Record a failure: the FAILED marker beside the kept logs, the reason on stderr and in the record."""
    if run_dir is not None:
        try:
            (run_dir / FAILED_MARKER).write_text(f"exit {code}: {reason}\n", encoding="utf-8")
        except OSError as exc:
            reason += f" (and the FAILED marker could not be written: {exc})"
    print_errors([reason])
    if record.published:
        say(f"run {record.run_id} published its release, then failed: {reason}")
    else:
        say(f"NOT published; the published release is unchanged; logs kept in {run_dir or 'nothing was built'}")
    record.reason, record.exit_code = reason, code
    return code


def rollback(paths: Paths) -> int:
    """Switch ``current`` back to the release the current one replaced; log it."""
    started = time.monotonic()
    record = RunRecord(
        run_id=new_run_id(),
        started_at=now_iso(),
        git_commit=git_commit(),
        published_path=str(paths.published),
        action="rollback",
    )
    lock = None
    try:
        lock = acquire_lock(paths.lock)
        try:
            before, after = releases.rollback(paths.layout)
        except (OSError, ReleaseError) as exc:
            raise RefreshError(EXIT_PUBLISH, f"rollback failed: {exc}") from exc
        record.published, record.release = True, after
        record.reason = f"rolled back from {before} to {after}"
        say(record.reason)
        return EXIT_OK
    except RefreshError as exc:
        print_errors([exc.reason])
        record.reason, record.exit_code = exc.reason, exc.code
        return exc.code
    finally:
        append_run(paths.run_log, record, started)
        if lock is not None:
            release_lock(lock)


def add_rollback_arguments(parser: argparse.ArgumentParser) -> None:
    """``ntp rollback [--warehouse PATH]``."""
    parser.add_argument(
        "--warehouse",
        default=os.environ.get("NTP_WAREHOUSE", "warehouse/ntp_poverty.duckdb"),
        help="published DuckDB file (default: $NTP_WAREHOUSE or warehouse/ntp_poverty.duckdb)",
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``ntp refresh [--full-refresh] [--warehouse PATH] [--seeds DIR]``."""
    add_rollback_arguments(parser)
    parser.add_argument("--seeds", type=existing_dir, help="seeds folder to validate (default: the project's seeds/)")
    parser.add_argument(
        "--full-refresh",
        action="store_true",
        help="compute every row again (default: only the feed partitions whose files changed, "
        "when the published build had the same project fingerprint)",
    )
    parser.add_argument(
        "--allow-removals",
        nargs="+",
        default=[],
        metavar="PARTITION",
        help="feed partitions (province=<code>/year=<yyyy>) the published build read that this feed may "
        "drop (or declare them in the feed's declarations.csv); any other dropped partition is refused",
    )
    parser.add_argument(
        "--allow-shrink",
        action="store_true",
        help="build a feed of less than half the published feed's bytes (refused otherwise)",
    )


def run(args: argparse.Namespace) -> int:
    """Refresh the warehouse; return the exit code of the contract."""
    options = RefreshOptions(args.full_refresh, tuple(args.allow_removals), args.allow_shrink)
    return refresh(Paths(Path(args.warehouse).absolute()), args.seeds or project_dir() / "seeds", options)


def run_rollback(args: argparse.Namespace) -> int:
    """Switch back to the previous release; return the exit code of the contract."""
    return rollback(Paths(Path(args.warehouse).absolute()))
