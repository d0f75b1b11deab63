"""The engine floor: the project's compiled SQL run directly in one DuckDB connection, no dbt.

``dbt compile`` (outside any timing: :func:`compile_project`) writes ``manifest.json`` with every
node's ``compiled_code``. :func:`run_floor` then opens ONE DuckDB connection with the settings of
profiles.yml (memory_limit, threads, temp_directory, storage_compatibility_version, from the same
environment variables), and

1. loads every seed as dbt does: every column as declared in the seed's ``column_types`` (all
   varchar in this project), empty cells NULL, into ``raw.<seed>``;
2. executes every model in topological order of ``depends_on.nodes``: ``create or replace view`` for
   views, ``create or replace table`` for tables and incremental models (a fresh database: an
   incremental model's first build is a table of its whole select); a model with an enforced
   contract is created with its declared column types, then filled by name, as dbt-duckdb does;
   ephemeral models are inlined by dbt already and skipped;
3. runs every data test's compiled SQL as dbt does (``fail_calc`` and ``error_if`` of its config) and
   counts the failing ones (they must be 0).

Not run: dbt's unit tests (fixtures, not the warehouse's data), the on-run-end hook (it only prints
unacknowledged findings, which the tests already fail on), docs. The schemas are those of the
manifest (``macros/generate_schema_name.sql``: raw, staging, intermediate, core, marts, audit).

:func:`compare_marts` compares every table of the ``marts`` schema (and any other schema asked for)
between two DuckDB files: the same multiset of rows, doubles compared to 6 decimals, or a list of
differences. ``python -m benchmarks.floor`` runs the floor and writes its timings as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from ntp_poverty.common.duckdb_connection import profile_setting
from ntp_poverty.validate.feed_files import dbt_environment

PROJECT_DIR = Path(__file__).resolve().parents[1]
SCHEMAS = ("raw", "staging", "intermediate", "core", "marts", "audit")


class FloorError(Exception):
    """The floor could not be run (compile failed, a model failed) or disagrees with dbt's output."""


@dataclass
class FloorResult:
    """Timings and outcome of one floor run."""

    database: str
    settings: dict[str, str]
    seeds: int = 0
    models: int = 0
    tests: int = 0
    failed_tests: dict[str, int] = field(default_factory=dict)
    seeds_s: float = 0.0
    models_s: float = 0.0
    tests_s: float = 0.0
    checkpoint_s: float = 0.0
    total_s: float = 0.0
    slowest_models: list[tuple[str, float]] = field(default_factory=list)


def duckdb_settings(database: Path) -> dict[str, str]:
    """The connection settings of profiles.yml, from the same environment variables and defaults."""
    return {
        "memory_limit": profile_setting("NTP_DUCKDB_MEMORY_LIMIT"),
        "threads": profile_setting("NTP_DUCKDB_THREADS"),
        "temp_directory": os.environ.get("NTP_DUCKDB_TEMP", str(database) + ".tmp"),
        "storage_compatibility_version": "v1.5.0",
    }


def compile_project(
    target_dir: Path,
    warehouse: Path,
    feeds: Path,
    run_vars: dict[str, str],
    project_dir: Path = PROJECT_DIR,
    dbt: Path | None = None,
) -> Path:
    """``dbt compile`` against a fresh file ``warehouse`` (so no incremental model sees itself);
    return the manifest. ``run_vars`` are passed as the refresh passes them, in NTP_RUN_VARS (macros/run_var.sql)."""
    dbt = dbt or Path(sys.executable).parent / "dbt"
    env = dict(
        os.environ,
        NTP_WAREHOUSE=str(warehouse),
        DBT_PROFILES_DIR=str(project_dir),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
        NTP_RUN_VARS=json.dumps(run_vars),
    )
    env.update(dbt_environment(feeds, target_dir / "feed_files.csv"))  # the files dbt reads
    cmd = [
        str(dbt),
        "compile",
        "--target-path",
        str(target_dir),
        "--log-path",
        str(target_dir / "logs"),
        "--quiet",
    ]
    proc = subprocess.run(cmd, cwd=project_dir, env=env, capture_output=True, text=True, check=False)
    manifest = target_dir / "manifest.json"
    if proc.returncode != 0 or not manifest.exists():
        raise FloorError(f"dbt compile failed (exit {proc.returncode}):\n{proc.stdout[-4000:]}\n{proc.stderr[-2000:]}")
    for leftover in (warehouse, warehouse.with_name(warehouse.name + ".wal")):
        leftover.unlink(missing_ok=True)  # compile may open (create) the file; the floor starts empty
    return manifest


def topological(nodes: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The nodes in an order where every node comes after what it depends on (ties by id)."""
    pending = {uid: {d for d in node["depends_on"]["nodes"] if d in nodes} for uid, node in nodes.items()}
    ordered: list[dict[str, Any]] = []
    ready = sorted(uid for uid, deps in pending.items() if not deps)
    while ready:
        uid = ready.pop(0)
        ordered.append(nodes[uid])
        del pending[uid]
        freed = [other for other, deps in pending.items() if uid in deps and len(deps) == 1]
        for deps in pending.values():
            deps.discard(uid)
        ready = sorted(set(ready) | set(freed))
    if pending:
        raise FloorError(f"dependency cycle among {sorted(pending)[:5]}")
    return ordered


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _load_seed(con: duckdb.DuckDBPyConnection, node: dict[str, Any], project_dir: Path) -> None:
    path = project_dir / node["original_file_path"]
    types = {k.lower(): v for k, v in (node["config"].get("column_types") or {}).items()}
    header = con.execute(
        "select * from read_csv(?, header = true, all_varchar = true) limit 0", [str(path)]
    ).description
    columns = ", ".join(
        f"cast({_quote(c[0])} as {types.get(c[0].lower(), 'varchar')}) as {_quote(c[0])}" for c in header
    )
    con.execute(
        f"create or replace table {node['relation_name']} as select {columns} from "
        f"read_csv(?, header = true, all_varchar = true, delim = ',', quote = '\"', escape = '\"')",
        [str(path)],
    )


def _build_model(con: duckdb.DuckDBPyConnection, node: dict[str, Any]) -> None:
    relation, sql = node["relation_name"], node["compiled_code"]
    materialized = node["config"]["materialized"]
    if materialized == "view":
        con.execute(f"create or replace view {relation} as (\n{sql}\n)")
    elif materialized in ("table", "incremental"):
        if node["config"].get("contract", {}).get("enforced"):
            columns = [(name, col["data_type"]) for name, col in node["columns"].items()]
            definition = ", ".join(f"{_quote(name)} {dtype}" for name, dtype in columns)
            names = ", ".join(_quote(name) for name, _ in columns)
            con.execute(f"create or replace table {relation} ({definition})")
            con.execute(f"insert into {relation} ({names}) select {names} from (\n{sql}\n) as model_subq")
        else:
            con.execute(f"create or replace table {relation} as (\n{sql}\n)")
    elif materialized != "ephemeral":
        raise FloorError(f"{node['unique_id']}: materialization {materialized!r} is not supported by the floor")


def _run_test(con: duckdb.DuckDBPyConnection, node: dict[str, Any]) -> int:
    config = node["config"]
    fail_calc, error_if = config.get("fail_calc", "count(*)"), config.get("error_if", "!= 0")
    limit = f" limit {config['limit']}" if config.get("limit") is not None else ""
    failures, should_error = con.execute(
        f"select {fail_calc} as failures, {fail_calc} {error_if} as should_error "
        f"from (\n{node['compiled_code']}\n{limit}) as dbt_internal_test"
    ).fetchone()
    return int(failures or 0) if should_error and config.get("severity", "error").lower() == "error" else 0


def run_floor(manifest_path: Path, database: Path, project_dir: Path = PROJECT_DIR) -> FloorResult:
    """Seeds, models and data tests of ``manifest_path`` in one connection to ``database`` (fresh)."""
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    nodes = manifest["nodes"]
    settings = duckdb_settings(database)
    result = FloorResult(database=str(database), settings=settings)
    started = time.monotonic()
    database.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(database), config=dict(settings))
    try:
        schemas = {n["schema"] for n in nodes.values() if n["resource_type"] in ("seed", "model")} | set(SCHEMAS)
        for schema in sorted(schemas):
            con.execute(f"create schema if not exists {_quote(schema)}")
        seeds = sorted((n for n in nodes.values() if n["resource_type"] == "seed"), key=lambda n: n["unique_id"])
        for node in seeds:
            _load_seed(con, node, project_dir)
        result.seeds, result.seeds_s = len(seeds), round(time.monotonic() - started, 3)

        models = topological({uid: n for uid, n in nodes.items() if n["resource_type"] == "model"})
        step, timings = time.monotonic(), []
        for node in models:
            if not node.get("compiled_code") and node["config"]["materialized"] != "ephemeral":
                raise FloorError(f"{node['unique_id']} has no compiled_code: run dbt compile first")
            began = time.monotonic()
            try:
                _build_model(con, node)
            except duckdb.Error as exc:
                raise FloorError(f"{node['unique_id']} failed in the floor: {exc}") from exc
            timings.append((node["name"], round(time.monotonic() - began, 3)))
        result.models, result.models_s = len(models), round(time.monotonic() - step, 3)
        result.slowest_models = sorted(timings, key=lambda t: -t[1])[:10]

        tests = sorted((n for n in nodes.values() if n["resource_type"] == "test"), key=lambda n: n["unique_id"])
        step = time.monotonic()
        for node in tests:
            try:
                failures = _run_test(con, node)
            except duckdb.Error as exc:
                raise FloorError(f"{node['unique_id']} could not run in the floor: {exc}") from exc
            if failures:
                result.failed_tests[node["unique_id"]] = failures
        result.tests, result.tests_s = len(tests), round(time.monotonic() - step, 3)
        step = time.monotonic()
        con.execute("checkpoint")
        result.checkpoint_s = round(time.monotonic() - step, 3)
    finally:
        con.close()
    result.total_s = round(time.monotonic() - started, 3)
    return result


def _normalized_select(con: duckdb.DuckDBPyConnection, catalog: str, schema: str, table: str) -> tuple[list[str], str]:
    columns = con.execute(
        "select column_name, data_type from information_schema.columns where table_catalog = ? and "
        "table_schema = ? and table_name = ? order by ordinal_position",
        [catalog, schema, table],
    ).fetchall()
    names = [c for c, _ in columns]
    exprs = [
        f"round({_quote(c)}, 6) as {_quote(c)}" if t in ("DOUBLE", "FLOAT", "REAL") else _quote(c) for c, t in columns
    ]
    return names, f"select {', '.join(exprs)} from {_quote(catalog)}.{_quote(schema)}.{_quote(table)}"


def compare_marts(
    left: Path, right: Path, schemas: tuple[str, ...] = ("marts",), ignore_columns: dict[str, set[str]] | None = None
) -> list[str]:
    """Every table of ``schemas`` must hold the same rows in both files (doubles to 6 decimals).

    Returns the differences (an empty list when equal): tables missing on one side, different
    columns, and per table the number of rows only on each side with one example of each.
    """
    differences: list[str] = []
    con = duckdb.connect()
    try:
        con.execute(f"attach '{left}' as left_db (read_only)")
        con.execute(f"attach '{right}' as right_db (read_only)")
        for schema in schemas:
            tables = {}
            for side in ("left_db", "right_db"):
                tables[side] = {
                    r[0]
                    for r in con.execute(
                        "select table_name from information_schema.tables where table_catalog = ? and table_schema = ? "
                        "and table_type = 'BASE TABLE'",
                        [side, schema],
                    ).fetchall()
                }
            for missing in sorted(tables["left_db"] ^ tables["right_db"]):
                side = str(left) if missing not in tables["left_db"] else str(right)
                differences.append(f"{schema}.{missing}: missing in {side}")
            for table in sorted(tables["left_db"] & tables["right_db"]):
                left_cols, left_sql = _normalized_select(con, "left_db", schema, table)
                right_cols, right_sql = _normalized_select(con, "right_db", schema, table)
                ignored = (ignore_columns or {}).get(f"{schema}.{table}", set())
                if left_cols != right_cols:
                    differences.append(f"{schema}.{table}: columns differ: {left_cols} vs {right_cols}")
                    continue
                if ignored:
                    keep = ", ".join(_quote(c) for c in left_cols if c not in ignored)
                    left_sql, right_sql = (f"select {keep} from ({left_sql})", f"select {keep} from ({right_sql})")
                only_left = con.execute(
                    f"select count(*), any_value(x) from ({left_sql} except all {right_sql}) as x"
                ).fetchone()
                only_right = con.execute(
                    f"select count(*), any_value(x) from ({right_sql} except all {left_sql}) as x"
                ).fetchone()
                if only_left[0] or only_right[0]:
                    differences.append(
                        f"{schema}.{table}: {only_left[0]} row(s) only in {left} (e.g. {only_left[1]}), "
                        f"{only_right[0]} only in {right} (e.g. {only_right[1]})"
                    )
    finally:
        con.close()
    return differences


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the engine floor: compiled SQL in one DuckDB connection.")
    parser.add_argument("--manifest", required=True, type=Path, help="target/manifest.json of a dbt compile")
    parser.add_argument("--database", required=True, type=Path, help="DuckDB file to build (must not exist)")
    parser.add_argument("--out", type=Path, help="write the timings here as JSON")
    args = parser.parse_args(argv)
    if args.database.exists():
        raise SystemExit(f"{args.database} exists: the floor builds a fresh file")
    try:
        result = run_floor(args.manifest, args.database)
    except FloorError as exc:
        print(f"floor failed: {exc}", file=sys.stderr)
        return 2
    if args.out:
        args.out.write_text(json.dumps(asdict(result), indent=2) + "\n", encoding="utf-8")
    print(
        f"floor: {result.seeds} seeds in {result.seeds_s} s, {result.models} models in {result.models_s} s, "
        f"{result.tests} tests in {result.tests_s} s ({len(result.failed_tests)} failing), total {result.total_s} s"
    )
    return 1 if result.failed_tests else 0


if __name__ == "__main__":
    raise SystemExit(main())
