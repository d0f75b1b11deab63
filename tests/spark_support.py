"""The Spark build for the tests: run dbt-spark from .venv-spark and compare its tables with DuckDB's.

The Spark build writes managed Parquet tables under its warehouse directory (one folder
``<schema>.db/<table>`` per table); they are read here with DuckDB's ``read_parquet``, so the
comparison needs nothing from the Spark virtualenv but its ``dbt``.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import duckdb

from conftest import ROOT, dbt_env

SPARK_BIN = ROOT / ".venv-spark" / "bin"
#: Schemas whose every table is compared: the marts, the core facts and dimensions, the audit.
COMPARED_SCHEMAS = ("marts", "core", "audit")
#: Columns that differ between any two builds by design (when the build ran).
VOLATILE_COLUMNS = {("audit", "warehouse_build", "built_at")}


def spark_env(warehouse_dir: Path, **extra: str) -> dict[str, str]:
    """Environment for a Spark build into ``warehouse_dir`` (master local[2] unless ``extra`` says)."""
    env = dbt_env(warehouse_dir / "unused.duckdb")
    env.update(NTP_SPARK_WAREHOUSE=str(warehouse_dir), NTP_SPARK_MASTER="local[2]")
    env.update(extra)
    env.pop("PYSPARK_SUBMIT_ARGS", None)
    return env


def run_spark_dbt(
    args: list[str], warehouse_dir: Path, workdir: Path, project: Path = ROOT, **extra_env: str
) -> subprocess.CompletedProcess[str]:
    """Run the Spark virtualenv's dbt with target spark on ``project``; target and logs under ``workdir``."""
    dbt = SPARK_BIN / "dbt"
    if not dbt.exists():
        raise RuntimeError(f"{dbt} is missing: run `make spark-venv` (make test does)")
    cmd = [
        str(dbt),
        *args,
        "--target",
        "spark",
        "--target-path",
        str(workdir / "target"),
        "--log-path",
        str(workdir / "logs"),
    ]
    env = spark_env(warehouse_dir, **extra_env)
    env["DBT_PROFILES_DIR"] = str(project)
    return subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True, check=False)


@dataclass(frozen=True)
class TableComparison:
    """One table of both builds: rows on each side and rows that only one side has."""

    schema: str
    table: str
    duckdb_rows: int
    spark_rows: int
    only_in_duckdb: list[tuple]
    only_in_spark: list[tuple]
    column_problem: str | None = None

    @property
    def equal(self) -> bool:
        return (
            self.column_problem is None
            and self.duckdb_rows == self.spark_rows
            and not self.only_in_duckdb
            and not self.only_in_spark
        )

    def describe(self) -> str:
        if self.column_problem:
            return f"{self.schema}.{self.table}: {self.column_problem}"
        return (
            f"{self.schema}.{self.table}: {self.duckdb_rows} rows in DuckDB, {self.spark_rows} in Spark; "
            f"only in DuckDB {self.only_in_duckdb[:3]}, only in Spark {self.only_in_spark[:3]}"
        )


def _normalized(column: str, data_type: str) -> str:
    """The column as both engines must agree on it: amounts to 0.001 million VND, ratios to 1e-9."""
    quoted = f'"{column}"'
    kind = data_type.upper()
    if kind.startswith("DECIMAL"):
        return f"round(cast({quoted} as decimal(38, 3)), 3) as {quoted}"
    if kind in {"DOUBLE", "FLOAT", "REAL"}:
        return f"round(cast({quoted} as double), 9) as {quoted}"
    return f"cast({quoted} as {kind}) as {quoted}"


def compare_table(con: duckdb.DuckDBPyConnection, spark_warehouse: Path, schema: str, table: str) -> TableComparison:
    """Compare one table of the attached DuckDB build (``duck``) with the Spark build's Parquet files."""
    columns = con.execute(
        "select column_name, data_type from duckdb_columns() where database_name = 'duck' "
        "and schema_name = ? and table_name = ? order by column_index",
        [schema, table],
    ).fetchall()
    folder = spark_warehouse / f"{schema}.db" / table
    files = sorted(folder.glob("*.parquet"))
    if not files:
        return TableComparison(schema, table, 0, 0, [], [], f"no Parquet files in {folder}")
    spark_source = f"read_parquet('{folder}/*.parquet')"
    spark_columns = [r[0] for r in con.execute(f"describe select * from {spark_source}").fetchall()]
    duck_columns = [c for c, _ in columns]
    if spark_columns != duck_columns:
        return TableComparison(
            schema, table, 0, 0, [], [], f"columns differ: DuckDB {duck_columns}, Spark {spark_columns}"
        )
    compared = [(c, t) for c, t in columns if (schema, table, c) not in VOLATILE_COLUMNS]
    select_list = ", ".join(_normalized(c, t) for c, t in compared)
    duck_sql = f'select {select_list} from duck."{schema}"."{table}"'
    spark_sql = f"select {select_list} from {spark_source}"
    (duck_rows,) = con.execute(f'select count(*) from duck."{schema}"."{table}"').fetchone()
    (spark_rows,) = con.execute(f"select count(*) from {spark_source}").fetchone()
    only_duck = con.execute(f"{duck_sql} except all {spark_sql} limit 5").fetchall()
    only_spark = con.execute(f"{spark_sql} except all {duck_sql} limit 5").fetchall()
    return TableComparison(schema, table, duck_rows, spark_rows, only_duck, only_spark)


def compare_builds(
    duckdb_file: Path,
    spark_warehouse: Path,
    schemas: tuple[str, ...] = COMPARED_SCHEMAS,
    tables: set[str] | None = None,
) -> list[TableComparison]:
    """Compare every table of ``schemas`` (or only ``tables``) of the DuckDB build with the Spark build."""
    con = duckdb.connect()
    try:
        con.execute(f"attach '{duckdb_file}' as duck (read_only)")
        names = con.execute(
            "select schema_name, table_name from duckdb_tables() where database_name = 'duck' "
            f"and schema_name in ({', '.join('?' for _ in schemas)}) order by 1, 2",
            list(schemas),
        ).fetchall()
        return [
            compare_table(con, spark_warehouse, schema, table)
            for schema, table in names
            if tables is None or table in tables
        ]
    finally:
        con.close()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    import socket  # noqa: PLC0415 - only the cluster fixture needs it

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def spark_class() -> Path:
    """The installed pyspark's spark-class launcher (starts a master or a worker in the foreground)."""
    matches = sorted((ROOT / ".venv-spark" / "lib").glob("python3*/site-packages/pyspark/bin/spark-class"))
    if not matches:
        raise RuntimeError("pyspark is not installed in .venv-spark: run `make spark-venv`")
    os.chmod(matches[0], 0o755)
    return matches[0]
