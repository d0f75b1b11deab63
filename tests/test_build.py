"""The whole project builds into a fresh warehouse that BI drivers on DuckDB 1.5 can open."""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

import duckdb
import pytest

from conftest import SEEDS

pytestmark = pytest.mark.slow

SCHEMAS = {"raw", "staging", "intermediate", "core", "marts", "audit"}


def _seed_rows(name: str) -> int:
    path = next(SEEDS.rglob(f"{name}.csv"))
    with path.open(encoding="utf-8", newline="") as handle:
        return sum(1 for _ in csv.DictReader(handle))


def test_readers_schemas_hold_only_what_they_should_read(built_warehouse: Path) -> None:
    """A BI tool listing marts (or core, audit) sees no building blocks; seeds live in raw."""
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        by_schema = {}
        for schema, name in con.execute("select table_schema, table_name from information_schema.tables").fetchall():
            by_schema.setdefault(schema, set()).add(name)
    for schema in ("marts", "core", "audit"):
        assert not {n for n in by_schema[schema] if n.startswith(("int_", "stg_"))}, schema
    assert {n for n in by_schema["staging"] if not n.startswith("stg_")} == set()
    assert {"plan_amounts", "plan_targets", "plan_results", "geographies"} <= by_schema["raw"]
    assert all(n.startswith("int_") for n in by_schema["intermediate"])


def test_build_creates_the_schemas(built_warehouse: Path) -> None:
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        schemas = {r[0] for r in con.sql("select schema_name from information_schema.schemata").fetchall()}
    assert schemas >= SCHEMAS
    assert not {s for s in schemas if s.startswith("main_")}


@pytest.mark.parametrize(
    ("seed", "model"),
    [
        ("plan_amounts", "stg_transcription__plan_amounts"),
        ("plan_targets", "stg_transcription__plan_targets"),
        ("documents", "stg_reference__documents"),
        ("geographies", "stg_reference__geographies"),
        ("program_components", "stg_reference__program_components"),
        ("funding_sources", "stg_reference__funding_sources"),
        ("capital_types", "stg_reference__capital_types"),
        ("plan_phases", "stg_reference__plan_phases"),
        ("indicators", "stg_reference__indicators"),
    ],
)
def test_staging_keeps_every_seed_row(built_warehouse: Path, seed: str, model: str) -> None:
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        (count,) = con.execute(f"select count(*) from staging.{model}").fetchone()
    assert count == _seed_rows(seed)


def test_amounts_are_decimal_million_vnd(built_warehouse: Path) -> None:
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        (kind,) = con.execute(
            "select data_type from information_schema.columns "
            "where table_name = 'stg_transcription__plan_amounts' and column_name = 'amount_million_vnd'"
        ).fetchone()
        (total,) = con.execute(
            "select amount_million_vnd from staging.stg_transcription__plan_amounts "
            "where amount_id = 'langson_2024_pip_draft:0133:1'"
        ).fetchone()
    assert kind == "DECIMAL(18,3)"
    assert str(total) == "66991.200"


def test_duckdb_1_5_reader_opens_the_warehouse(built_warehouse: Path, duckdb15_python: Path) -> None:
    """DuckDB 1.5 (hash-locked, in a throwaway venv) reads every staging view of the file."""
    script = (
        "import sys, duckdb\n"
        "con = duckdb.connect(sys.argv[1], read_only=True)\n"
        'names = [r[0] for r in con.sql("select table_name from information_schema.tables '
        "where table_schema = 'staging'\").fetchall()]\n"
        "for n in names: con.sql(f'select count(*) from staging.{n}').fetchall()\n"
        "print(duckdb.__version__, len(names))\n"
    )
    result = subprocess.run(
        [str(duckdb15_python), "-c", script, str(built_warehouse)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    version, count = result.stdout.split()
    assert version.startswith("1.5.")
    assert int(count) >= 9
