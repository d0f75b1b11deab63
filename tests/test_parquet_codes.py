"""Readers keep GSO codes: a ``province=01`` partition of the published facts read back with DuckDB,
polars and pyarrow gives the code ``01``, from the text column inside every file and from the folder
read with its type given; inferring the folder's type gives the integer 1, which joins to nothing."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.dataset as ds
import pytest

from ntp_poverty.publish.facts import PARTITIONED_FACTS, export_partitioned_facts


@pytest.fixture(scope="module")
def facts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The facts of a small warehouse with rows of Hà Nội (01) and Sơn La (14), exported."""
    work = tmp_path_factory.mktemp("codes")
    database = work / "w.duckdb"
    with duckdb.connect(str(database)) as con:
        con.execute("create schema core; create schema audit")
        con.execute(
            "create table core.dim_geography as select * from (values ('01', '01'), ('14', '14')) "
            "as t(geography_code, province_code)"
        )
        con.execute(
            "create table core.dim_document as select * from (values ('r01', '01'), ('r14', '14')) "
            "as t(document_id, geography_code)"
        )
        for table in PARTITIONED_FACTS:
            con.execute(
                f"create table {table} as select * from (values ('a', 'r01', 2024, 2024, 'province=01/year=2024', "
                "1.5), ('b', 'r14', 2024, 2024, 'province=14/year=2024', 2.5)) "
                "as t(id, document_id, fiscal_year, period_start_year, source_partition, amount)"
            )
    export_partitioned_facts(database, work / "facts", "run-1")
    return work / "facts" / "fct_plan_amount"


def test_every_file_holds_the_code_as_text(facts: Path) -> None:
    (file,) = (facts / "province=01" / "year=2024").glob("*.parquet")
    table = pl.read_parquet(file)
    assert table.schema["province_code"] == pl.String and table["province_code"].to_list() == ["01"]


def test_duckdb_reads_01_with_hive_types(facts: Path) -> None:
    with duckdb.connect() as con:
        rows = con.execute(
            f"select province, province_code from read_parquet('{facts}/*/*/*.parquet', hive_partitioning = true, "
            "hive_types = {'province': varchar, 'year': integer}) order by 1"
        ).fetchall()
    assert rows == [("01", "01"), ("14", "14")]


def test_polars_reads_01_with_a_hive_schema(facts: Path) -> None:
    inferred = pl.scan_parquet(f"{facts}/**/*.parquet", hive_partitioning=True).collect()
    assert inferred["province"].dtype != pl.String and sorted(inferred["province"].to_list()) == [1, 14]
    typed = pl.scan_parquet(
        f"{facts}/**/*.parquet", hive_partitioning=True, hive_schema={"province": pl.String, "year": pl.Int32}
    ).collect()
    assert sorted(typed["province"].to_list()) == ["01", "14"]
    assert sorted(inferred["province_code"].to_list()) == ["01", "14"]  # the text column, whatever the folder


def test_pyarrow_reads_01_with_a_string_partitioning(facts: Path) -> None:
    inferred = ds.dataset(facts, format="parquet", partitioning="hive").to_table()
    assert pa.types.is_integer(inferred.schema.field("province").type)
    typed = ds.dataset(
        facts,
        format="parquet",
        partitioning=ds.partitioning(pa.schema([("province", pa.string()), ("year", pa.int32())]), flavor="hive"),
    ).to_table()
    assert sorted(typed.column("province").to_pylist()) == ["01", "14"]
    assert sorted(inferred.column("province_code").to_pylist()) == ["01", "14"]
