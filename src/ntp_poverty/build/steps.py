"""The refresh's build and audit steps: dbt build, dbt docs, and proof that the candidate was written.

Each step raises :class:`~ntp_poverty.refresh.run_log.RefreshError` with the exit code of the contract
(:mod:`ntp_poverty.refresh.run_log`): model errors, a killed dbt or a candidate that could not be written
are build failures (2), failing tests are test failures (3). "dbt said success" is not taken on
trust: the candidate must open, carry this run's id and hold every mart, because a full disk or a
file-size limit can leave dbt reporting success over a file it could not write.
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb

from ntp_poverty.build.progress import ProgressDisplay, run_streaming
from ntp_poverty.build.slices import dbt_passes
from ntp_poverty.build.test_failures import describe_failures
from ntp_poverty.project import project_dir
from ntp_poverty.refresh.run_log import EXIT_BUILD, EXIT_TESTS, RefreshError, RunRecord, say
from ntp_poverty.validate.feed_files import RUN_LIST_NAME

SLOWEST_NODES = 40  # how many of the dbt build's slowest nodes the run log keeps (at 10M: every model over 5 s)
MARTS_SQL = (
    "select table_name from information_schema.tables where table_schema = 'marts' "
    "and table_type = 'BASE TABLE' order by 1"
)


def dbt_executable() -> Path:
    """The dbt of the running Python's virtualenv (beside ``sys.executable``)."""
    return Path(sys.executable).parent / "dbt"


def _dbt(
    args: list[str],
    candidate: Path,
    run_dir: Path,
    run_vars: dict[str, Any],
    log_name: str,
    executable: Path | None = None,
    env_overrides: Mapping[str, str] | None = None,
) -> tuple[int, str]:
    """Run a dbt command against the candidate; return (exit code, output).

    The output goes to ``run_dir/log_name`` line by line while dbt runs, and its progress to stdout
    (:mod:`ntp_poverty.build.progress`). ``executable`` is :func:`dbt_executable` unless given.
    """
    project = project_dir()
    env = dict(
        os.environ,
        NTP_WAREHOUSE=str(candidate),
        NTP_FEED_FILES=str(run_dir / RUN_LIST_NAME),  # the feed's files, as the refresh listed them
        # the run's values (macros/run_var.sql): unlike --vars, they leave dbt's saved parse valid
        NTP_RUN_VARS=json.dumps(run_vars),
        DBT_PROFILES_DIR=str(project),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
        PYTHONUNBUFFERED="1",  # each line as dbt prints it, even into a pipe
        **(env_overrides or {}),
    )
    cmd = [
        str(executable or dbt_executable()),
        *args,
        "--target-path",
        str(run_dir / "target"),
        "--log-path",
        str(run_dir / "logs"),
    ]
    label = f"dbt {args[0]}"
    try:
        display = ProgressDisplay.for_stdout(label)
    except ValueError as exc:
        raise RefreshError(EXIT_BUILD, str(exc)) from exc
    say(f"{label}: live output in {run_dir / log_name}, dbt's own log in {run_dir / 'logs' / 'dbt.log'}")
    code, output = run_streaming(cmd, project, env, run_dir / log_name, display)
    if code < 0:
        raise RefreshError(EXIT_BUILD, f"dbt {args[0]} was killed by signal {-code} (see {log_name})")
    return code, output


def _read_run_results(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return json.loads(path.read_text(encoding="utf-8")).get("results", [])


def node_times(
    results: list[dict[str, Any]], slowest: int = SLOWEST_NODES
) -> tuple[dict[str, float], list[dict[str, object]]]:
    """Seconds per resource type (the prefix of a node's unique id) and the ``slowest`` nodes."""
    per_type: Counter[str] = Counter()
    for result in results:
        per_type[result["unique_id"].split(".", 1)[0]] += float(result.get("execution_time") or 0.0)
    ranked = sorted(results, key=lambda r: float(r.get("execution_time") or 0.0), reverse=True)[:slowest]
    return (
        {kind: round(seconds, 2) for kind, seconds in sorted(per_type.items())},
        [{"node": r["unique_id"], "seconds": round(float(r.get("execution_time") or 0.0), 2)} for r in ranked],
    )


def parse_dbt(candidate: Path, run_dir: Path, run_vars: dict[str, Any]) -> None:
    """``dbt parse`` with the build's target folder and vars, so that the build reuses the parse
    (partial parsing) instead of parsing the project again. It needs no database: an incremental
    refresh runs it while the published file is being copied. The build parses again anyway and is
    the authority on errors, so a failed parse stops nothing (its output is kept in dbt_parse.log)."""
    _dbt(["parse"], candidate, run_dir, run_vars, "dbt_parse.log")


def run_dbt(
    candidate: Path,
    run_dir: Path,
    run_vars: dict[str, Any],
    record: RunRecord,
    full_refresh: bool = True,
    slices: Sequence[Sequence[str]] = (),
) -> None:
    """``dbt build`` into the candidate; raise RefreshError on model or test failures.

    A full refresh computes every row, in one ``dbt build`` or, given two or more ``slices`` of
    feed partitions, in passes (:mod:`ntp_poverty.build.slices`); otherwise the candidate is a copy
    of the published file and the partitioned models compute again only the partitions in
    ``run_vars["changed_partitions"]``.
    """
    passes = dbt_passes(slices, full_refresh)
    sliced = f" in {len(slices)} slices of provinces" if len(passes) > 1 else ""
    say(
        f"dbt build into the candidate ({'full' if full_refresh else 'incremental'}{sliced}: seeds, models, "
        "tests, sum-consistency gate)"
    )
    per_type: Counter[str] = Counter()
    slowest: list[dict[str, object]] = []
    for number, dbt_pass in enumerate(passes, start=1):
        if len(passes) > 1:
            say(f"dbt pass {number} of {len(passes)}: dbt {' '.join(dbt_pass.args)} ({dbt_pass.log_name})")
        code, output = _dbt(
            list(dbt_pass.args),
            candidate,
            run_dir,
            {**run_vars, **dbt_pass.extra_vars},
            dbt_pass.log_name,
            env_overrides=dbt_pass.env,
        )
        results = _read_run_results(run_dir / "target" / "run_results.json")
        seconds, pass_slowest = node_times(results)
        per_type.update(seconds)
        slowest = sorted(
            slowest + pass_slowest,
            key=lambda node: float(node["seconds"]),  # type: ignore[arg-type]
            reverse=True,
        )[:SLOWEST_NODES]
        record.dbt_seconds = {kind: round(total, 2) for kind, total in sorted(per_type.items())}
        record.dbt_slowest = slowest
        _raise_on_failures(code, output, results, record, dbt_pass.log_name, candidate, run_dir)


def _raise_on_failures(
    code: int,
    output: str,
    results: list[dict[str, Any]],
    record: RunRecord,
    log_name: str,
    candidate: Path,
    run_dir: Path,
) -> None:
    """Record the tests of one dbt invocation; raise RefreshError if it failed, naming the failing
    rows of each failed data test (:mod:`ntp_poverty.build.test_failures`)."""
    for line in output.splitlines():
        if "UNACKNOWLEDGED ARITHMETIC MISMATCH" in line:
            print(line[line.index("UNACKNOWLEDGED") :], file=sys.stderr)
    record.tests = dict(Counter(r["status"] for r in results if r["unique_id"].startswith(("test.", "unit_test."))))
    failed_nodes = [r for r in results if r["status"] in ("error", "fail")]
    if code == 0 and not failed_nodes:
        return
    failed_tests = [r for r in failed_nodes if r["unique_id"].startswith(("test.", "unit_test."))]
    build_errors = [r for r in failed_nodes if r not in failed_tests]
    if build_errors or not results:
        names = ", ".join(r["unique_id"] for r in build_errors) or f"dbt did not run (see {log_name})"
        raise RefreshError(EXIT_BUILD, f"dbt build failed: {names}")
    rows = describe_failures(candidate, failed_tests, run_dir)
    raise RefreshError(
        EXIT_TESTS, "\n".join(["dbt tests failed: " + ", ".join(r["unique_id"] for r in failed_tests), *rows])
    )


def generate_docs(candidate: Path, run_dir: Path, run_vars: dict[str, Any]) -> Path:
    """``dbt docs generate --static`` against the candidate; return the single-page site."""
    say("dbt docs generate --static --no-compile (single-page docs site)")
    # the build just wrote the manifest with every node compiled: compiling again doubled this step
    code, _ = _dbt(["docs", "generate", "--static", "--no-compile"], candidate, run_dir, run_vars, "dbt_docs.log")
    site = run_dir / "target" / "static_index.html"
    if code != 0 or not site.exists():
        raise RefreshError(EXIT_BUILD, "dbt docs generate failed (see dbt_docs.log)")
    return site


def verify_candidate(candidate: Path, run_id: str, record: RunRecord) -> list[str]:
    """Checkpoint the candidate and prove it holds this run; record mart rows and findings.

    Returns the marts. Any failure to write or read the file is a build failure that says so.
    """
    try:
        with duckdb.connect(str(candidate)) as con:
            con.execute("checkpoint")
        wal = candidate.with_name(candidate.name + ".wal")
        if wal.exists():
            raise RefreshError(EXIT_BUILD, f"the candidate could not be written: {wal} remains after checkpoint")
        with duckdb.connect(str(candidate), read_only=True) as con:
            (built_run,) = con.execute("select run_id from audit.warehouse_build").fetchone()
            marts = [r[0] for r in con.execute(MARTS_SQL).fetchall()]
            record.mart_rows = {m: con.execute(f"select count(*) from marts.{m}").fetchone()[0] for m in marts}
            record.findings = {
                k: n
                for k, n in con.execute(
                    "select classification || case when is_acknowledged then ' (acknowledged)' else '' end, count(*) "
                    "from audit.sum_check_findings group by all order by 1"
                ).fetchall()
            }
    except (duckdb.Error, OSError) as exc:
        raise RefreshError(EXIT_BUILD, f"the candidate could not be written or read back: {exc}") from exc
    if built_run != run_id:
        raise RefreshError(EXIT_BUILD, f"the candidate holds run {built_run!r}, not {run_id!r}: dbt did not write it")
    if not marts:
        raise RefreshError(EXIT_BUILD, "the candidate holds no marts: dbt did not write it")
    return marts
