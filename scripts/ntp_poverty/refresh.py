"""Nightly refresh with write-audit-publish: build a candidate, test it, then publish atomically.

Readers (BI tools, analysts) keep reading the published DuckDB file while the refresh works on a
candidate file beside it. Only when the preflight passes (the seeds validate, every transcribed
row is proven on its document line, every printed numeral is accounted for: see
:mod:`ntp_poverty.preflight`; it runs before dbt, so nothing unproven is ever built), ``dbt build``
passes every test and the Great Expectations checkpoint passes is the candidate renamed onto the
published path (an atomic ``rename`` on the same filesystem: a reader opens either the old or the
new file, never half of one) and the marts exported as Parquet into a release folder that a
symlink swap publishes.

Layout beside the published file ``<dir>/ntp_poverty.duckdb``::

    <dir>/ntp_poverty.previous.duckdb   the previous published file (for --rollback)
    <dir>/parquet -> .releases/<run>/   the published Parquet folder (symlink, swapped atomically)
    <dir>/.releases/<run>/              Parquet releases (the current and the previous are kept)
    <dir>/.candidates/<run>/            a run's candidate, dbt target and logs; kept when it fails
    <dir>/.refresh.lock                 the lock (flock; holds the pid of the running refresh)
    <dir>/refresh_runs.jsonl            one JSON line per run
    <dir>/docs/index.html               the dbt docs site (single page)
    <dir>/docs/ledger.{html,md,json}    the completeness ledger (every printed numeral accounted for)
    <dir>/report/index.html             the visual report
    <dir>/data_docs/                    Great Expectations Data Docs

Exit codes: 0 published (or rolled back), 2 build failure (preflight: seeds, provenance, ledger;
or models; errors name file, line and column), 3 test failure
(dbt tests, including the sum-consistency gate), 4 Great Expectations failure, 5 another refresh
holds the lock, 6 publish error.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

import duckdb

from ntp_poverty.ledger import summarize as summarize_ledger
from ntp_poverty.ledger import write_summary as write_ledger_summary
from ntp_poverty.preflight import errors_of, run_preflight
from ntp_poverty.preflight import summary as preflight_summary
from ntp_poverty.report import read_marts, render
from ntp_poverty.reporting import print_errors
from ntp_poverty.validate_marts import validate as validate_marts

EXIT_OK, EXIT_BUILD, EXIT_TESTS, EXIT_GX, EXIT_LOCKED, EXIT_PUBLISH = 0, 2, 3, 4, 5, 6
PROJECT_DIR = Path(__file__).resolve().parents[2]
FAILED_MARKER = "FAILED"


class RefreshError(Exception):
    """A refresh step failed; carries the exit code and why."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


@dataclass
class Paths:
    """Where the published warehouse and its companions live."""

    published: Path

    @property
    def root(self) -> Path:
        return self.published.parent

    @property
    def previous(self) -> Path:
        return self.root / f"{self.published.stem}.previous{self.published.suffix}"

    @property
    def parquet(self) -> Path:
        return self.root / "parquet"

    @property
    def releases(self) -> Path:
        return self.root / ".releases"

    @property
    def candidates(self) -> Path:
        return self.root / ".candidates"

    @property
    def lock(self) -> Path:
        return self.root / ".refresh.lock"

    @property
    def run_log(self) -> Path:
        return self.root / "refresh_runs.jsonl"


@dataclass
class RunRecord:
    """What the run log says about one run."""

    run_id: str
    started_at: str
    git_commit: str
    published_path: str
    ended_at: str = ""
    duration_s: float = 0.0
    published: bool = False
    reason: str = ""
    exit_code: int = 0
    mart_rows: dict[str, int] = field(default_factory=dict)
    tests: dict[str, int] = field(default_factory=dict)
    findings: dict[str, int] = field(default_factory=dict)
    candidate_dir: str = ""


def say(message: str) -> None:
    """Human progress on stdout, timestamped."""
    print(f"[refresh {datetime.now(timezone.utc):%H:%M:%S}] {message}", flush=True)


def git_commit() -> str:
    """The project's commit, or 'unknown' outside a git checkout."""
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=PROJECT_DIR, capture_output=True, text=True,
                             check=True, timeout=10)
        return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def acquire_lock(paths: Paths) -> IO[str]:
    """Take the refresh lock or raise RefreshError(EXIT_LOCKED) naming the holder.

    The lock is an flock on ``.refresh.lock``: the kernel releases it when its holder dies, so a
    lock file left by a killed refresh is stale and is taken over (and reported) here.
    """
    paths.root.mkdir(parents=True, exist_ok=True)
    handle = open(paths.lock, "a+", encoding="utf-8")  # noqa: SIM115 - held for the whole run
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "unknown"
        handle.close()
        raise RefreshError(EXIT_LOCKED, f"another refresh holds {paths.lock} ({holder}); not starting") from None
    handle.seek(0)
    stale = handle.read().strip()
    if stale:
        say(f"cleaned up a stale lock left by a refresh that did not finish ({stale})")
    handle.seek(0)
    handle.truncate()
    handle.write(f"pid {os.getpid()} since {datetime.now(timezone.utc).isoformat(timespec='seconds')}")
    handle.flush()
    return handle


def release_lock(handle: IO[str]) -> None:
    """Empty the lock file and release the lock."""
    handle.seek(0)
    handle.truncate()
    handle.flush()
    fcntl.flock(handle, fcntl.LOCK_UN)
    handle.close()


def clean_abandoned_candidates(paths: Paths) -> None:
    """Remove candidates of runs that died without finishing (no FAILED marker); keep failed ones."""
    if not paths.candidates.exists():
        return
    for run_dir in sorted(paths.candidates.iterdir()):
        if run_dir.is_dir() and not (run_dir / FAILED_MARKER).exists():
            shutil.rmtree(run_dir, ignore_errors=True)
            say(f"removed the candidate of an interrupted run: {run_dir.name}")


def _dbt(args: list[str], candidate: Path, run_dir: Path, run_vars: dict[str, str], log_name: str) -> str:
    """Run a dbt command against the candidate; return its output (also written to run_dir)."""
    env = dict(os.environ, NTP_WAREHOUSE=str(candidate), DBT_PROFILES_DIR=str(PROJECT_DIR),
               DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    cmd = [str(Path(sys.executable).parent / "dbt"), *args, "--target-path", str(run_dir / "target"),
           "--log-path", str(run_dir / "logs"), "--vars", json.dumps(run_vars)]
    proc = subprocess.run(cmd, cwd=PROJECT_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, check=False)
    (run_dir / log_name).write_text(proc.stdout, encoding="utf-8")
    return proc.stdout if proc.returncode == 0 else f"exit {proc.returncode}\n{proc.stdout}"


def run_dbt(candidate: Path, run_dir: Path, run_id: str, commit: str, record: RunRecord) -> None:
    """``dbt build`` into the candidate; raise RefreshError on model or test failures."""
    say("dbt build into the candidate (seeds, models, tests, sum-consistency gate)")
    output = _dbt(["build", "--full-refresh"], candidate, run_dir, {"run_id": run_id, "git_commit": commit},
                  "dbt_build.log")
    for line in output.splitlines():
        if "UNACKNOWLEDGED ARITHMETIC MISMATCH" in line:
            print(line[line.index("UNACKNOWLEDGED"):], file=sys.stderr)
    results = _read_run_results(run_dir / "target" / "run_results.json")
    record.tests = dict(Counter(r["status"] for r in results if r["unique_id"].startswith(("test.", "unit_test."))))
    failed_nodes = [r for r in results if r["status"] in ("error", "fail")]
    if not output.startswith("exit ") and not failed_nodes:
        return
    failed_tests = [r for r in failed_nodes if r["unique_id"].startswith(("test.", "unit_test."))]
    build_errors = [r for r in failed_nodes if r not in failed_tests]
    if build_errors or not results:
        names = ", ".join(r["unique_id"] for r in build_errors) or "dbt did not run (see dbt_build.log)"
        raise RefreshError(EXIT_BUILD, f"dbt build failed: {names}")
    raise RefreshError(EXIT_TESTS, "dbt tests failed: " + ", ".join(r["unique_id"] for r in failed_tests))


def generate_docs(candidate: Path, run_dir: Path, run_id: str, commit: str) -> Path:
    """``dbt docs generate --static`` against the candidate; return the single-page site."""
    say("dbt docs generate --static (single-page docs site)")
    output = _dbt(["docs", "generate", "--static"], candidate, run_dir, {"run_id": run_id, "git_commit": commit},
                  "dbt_docs.log")
    site = run_dir / "target" / "static_index.html"
    if output.startswith("exit ") or not site.exists():
        raise RefreshError(EXIT_BUILD, "dbt docs generate failed (see dbt_docs.log)")
    return site


def _read_run_results(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return json.loads(path.read_text(encoding="utf-8")).get("results", [])


def checkpoint_and_describe(candidate: Path, record: RunRecord) -> None:
    """Fold any write-ahead log into the file and record mart row counts and findings."""
    with duckdb.connect(str(candidate)) as con:
        con.execute("checkpoint")
    wal = candidate.with_name(candidate.name + ".wal")
    if wal.exists():
        raise RefreshError(EXIT_PUBLISH, f"{wal} still exists after checkpoint; not publishing a partial file")
    with duckdb.connect(str(candidate), read_only=True) as con:
        marts = [r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' "
            "and table_type = 'BASE TABLE' order by 1").fetchall()]
        record.mart_rows = {m: con.execute(f"select count(*) from marts.{m}").fetchone()[0] for m in marts}
        record.findings = {k: n for k, n in con.execute(
            "select classification || case when is_acknowledged then ' (acknowledged)' else '' end, count(*) "
            "from audit.sum_check_findings group by all order by 1").fetchall()}


def export_parquet(candidate: Path, release: Path) -> None:
    """Write every mart of the candidate as Parquet into ``release`` (read-only files)."""
    release.mkdir(parents=True)
    with duckdb.connect(str(candidate), read_only=True) as con:
        marts = [r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' "
            "and table_type = 'BASE TABLE'").fetchall()]
        for mart in marts:
            target = release / f"{mart}.parquet"
            con.execute(f"copy marts.{mart} to '{target}' (format parquet)")
            target.chmod(0o444)
    release.chmod(0o555)


def swap_symlink(link: Path, target: Path) -> None:
    """Point ``link`` at ``target`` atomically (rename of a new symlink over the old one)."""
    temporary = link.with_name(f".{link.name}.{secrets.token_hex(4)}")
    temporary.symlink_to(os.path.relpath(target, link.parent))
    os.replace(temporary, link)


def publish(paths: Paths, candidate: Path, run_id: str) -> None:
    """Keep the current file as previous, rename the candidate over it, swap the Parquet folder."""
    release = paths.releases / run_id
    say(f"exporting the marts as Parquet into {release}")
    export_parquet(candidate, release)
    candidate.chmod(0o444)
    if paths.published.exists():
        temporary = paths.previous.with_name(paths.previous.name + ".tmp")
        temporary.unlink(missing_ok=True)
        os.link(paths.published, temporary)
        os.replace(temporary, paths.previous)
    os.replace(candidate, paths.published)
    swap_symlink(paths.parquet, release)
    _prune_releases(paths)
    say(f"published {paths.published} and {paths.parquet} -> {release.name}")


def _prune_releases(paths: Paths, keep: int = 2) -> None:
    """Keep the newest Parquet releases (the published one and the one --rollback returns to)."""
    current = paths.parquet.resolve().name
    releases = sorted(p for p in paths.releases.iterdir() if p.is_dir())  # run ids sort by time
    for release in releases[:-keep]:
        if release.name != current:
            release.chmod(0o755)
            shutil.rmtree(release, ignore_errors=True)


def rollback(paths: Paths) -> int:
    """Put the previous published file back (and the Parquet release it was exported with)."""
    if not paths.previous.exists():
        say(f"nothing to roll back to: {paths.previous} does not exist")
        return EXIT_PUBLISH
    with duckdb.connect(str(paths.previous), read_only=True) as con:
        (previous_run,) = con.execute("select run_id from audit.warehouse_build").fetchone()
    temporary = paths.published.with_name(paths.published.name + ".rollback")
    temporary.unlink(missing_ok=True)
    os.link(paths.previous, temporary)
    os.replace(temporary, paths.published)
    release = paths.releases / previous_run
    if release.exists():
        swap_symlink(paths.parquet, release)
    say(f"rolled back {paths.published} to run {previous_run}")
    return EXIT_OK


def refresh(paths: Paths, seeds_dir: Path) -> int:
    """One write-audit-publish run; returns the exit code and appends the run log."""
    run_id = f"{datetime.now(timezone.utc):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"
    started = time.monotonic()
    record = RunRecord(run_id=run_id, started_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
                       git_commit=git_commit(), published_path=str(paths.published))
    try:
        lock = acquire_lock(paths)
    except RefreshError as exc:
        print_errors([exc.reason])
        record.reason, record.exit_code = exc.reason, exc.code
        _append_log(paths, record, started)
        return exc.code
    run_dir = paths.candidates / run_id
    try:
        clean_abandoned_candidates(paths)
        run_dir.mkdir(parents=True)
        record.candidate_dir = str(run_dir)
        candidate = run_dir / paths.published.name
        say(f"run {run_id}: preflight before building (seeds, provenance, ledger)")
        checks = run_preflight(seeds_dir, PROJECT_DIR / "documents")
        say(f"preflight: {preflight_summary(checks)}")
        if errors := errors_of(checks):
            print_errors(errors)
            raise RefreshError(EXIT_BUILD, f"preflight failed: {len(errors)} error(s), first: {errors[0]}")
        run_dbt(candidate, run_dir, run_id, record.git_commit, record)
        site = generate_docs(candidate, run_dir, run_id, record.git_commit)
        # the completeness ledger (every printed numeral accounted for), published beside the docs
        write_ledger_summary(summarize_ledger(PROJECT_DIR / "documents", seeds_dir), run_dir / "ledger")
        checkpoint_and_describe(candidate, record)
        say("Great Expectations checkpoint on the candidate's marts")
        failures = validate_marts(candidate, run_dir / "data_docs")
        if failures:
            print_errors(failures)
            raise RefreshError(EXIT_GX, f"Great Expectations: {len(failures)} expectation(s) failed")
        say("rendering the HTML report from the candidate's marts")
        report_html = run_dir / "report.html"
        report_html.write_text(render(read_marts(candidate)), encoding="utf-8")
        try:
            publish(paths, candidate, run_id)
            _publish_data_docs(paths, run_dir)
            _publish_file(site, paths.root / "docs" / "index.html")
            for name in ("ledger.html", "ledger.md", "ledger.json"):
                _publish_file(run_dir / "ledger" / name, paths.root / "docs" / name)
            _publish_file(report_html, paths.root / "report" / "index.html")
        except OSError as exc:
            raise RefreshError(EXIT_PUBLISH, f"publish failed: {exc}") from exc
        shutil.rmtree(run_dir, ignore_errors=True)
        record.published, record.reason, record.candidate_dir = True, "all checks passed", ""
        return EXIT_OK
    except RefreshError as exc:
        (run_dir / FAILED_MARKER).write_text(exc.reason + "\n", encoding="utf-8")
        print_errors([exc.reason])
        say(f"NOT published; the published warehouse is unchanged; candidate and logs kept in {run_dir}")
        record.reason, record.exit_code = exc.reason, exc.code
        return exc.code
    finally:
        _append_log(paths, record, started)
        release_lock(lock)


def _publish_data_docs(paths: Paths, run_dir: Path) -> None:
    docs = paths.root / "data_docs"
    shutil.rmtree(docs, ignore_errors=True)
    if (run_dir / "data_docs").exists():
        shutil.copytree(run_dir / "data_docs", docs)


def _publish_file(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` atomically (a temporary file renamed into place)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}")
    shutil.copyfile(source, temporary)
    os.replace(temporary, target)


def _append_log(paths: Paths, record: RunRecord, started: float) -> None:
    record.ended_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    record.duration_s = round(time.monotonic() - started, 2)
    paths.root.mkdir(parents=True, exist_ok=True)
    with open(paths.run_log, "a", encoding="utf-8") as log:
        log.write(json.dumps(record.__dict__, ensure_ascii=False) + "\n")
    state = "published" if record.published else f"not published ({record.reason})"
    say(f"run {record.run_id} {state} in {record.duration_s:.1f} s; mart rows {record.mart_rows}; "
        f"tests {record.tests}; findings {record.findings}")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: ``refresh [--rollback] [--warehouse PATH] [--seeds DIR]``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--warehouse", default=os.environ.get("NTP_WAREHOUSE", "warehouse/ntp_poverty.duckdb"),
                        help="published DuckDB file (default: $NTP_WAREHOUSE or warehouse/ntp_poverty.duckdb)")
    parser.add_argument("--seeds", default=str(PROJECT_DIR / "seeds"), help="seeds folder to validate")
    parser.add_argument("--rollback", action="store_true", help="put the previous published file back")
    args = parser.parse_args(argv)
    paths = Paths(Path(args.warehouse).absolute())
    if args.rollback:
        lock = None
        try:
            lock = acquire_lock(paths)
            return rollback(paths)
        except RefreshError as exc:
            print_errors([exc.reason])
            return exc.code
        finally:
            if lock is not None:
                release_lock(lock)
    return refresh(paths, Path(args.seeds))


if __name__ == "__main__":
    raise SystemExit(main())
