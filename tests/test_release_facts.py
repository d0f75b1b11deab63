"""The partitioned facts of a release: exported whole, or carried over where nothing changed.

A small warehouse with the three partitioned facts (rows of two feed partitions and of the
transcribed documents) is exported; then one feed partition changes and one is removed, and the
export that reuses the first release must equal a whole export of the changed warehouse, with
every file carrying the new run id and the unchanged partitions copied, not written again.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from ntp_poverty.publish.facts import PARTITIONED_FACTS, Reuse, export_partitioned_facts
from ntp_poverty.publish.releases import ReleaseError

CHANGED, REMOVED, KEPT = "province=14/year=2024", "province=94/year=2023", "province=14/year=2023"


def make_warehouse(path: Path) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema core; create schema audit")
        con.execute(
            "create table core.dim_geography as select * from (values ('14', '14'), ('126', '14'), "
            "('94', '94'), ('VN', null)) as t(geography_code, province_code)"
        )
        con.execute(
            "create table core.dim_document as select * from (values ('r14a', '126'), ('r14b', '14'), "
            "('r94', '94'), ('doc', 'VN'), ('doc94', '94')) as t(document_id, geography_code)"
        )
        rows = """
            select * from (values
                ('a1', 'r14a', 2024, 2024, 'province=14/year=2024', 10.5),
                ('a2', 'r14a', 2024, 2024, 'province=14/year=2024', 20.0),
                ('b1', 'r14b', 2023, 2023, 'province=14/year=2023', 30.0),
                ('c1', 'r94', 2023, 2023, 'province=94/year=2023', 40.0),
                ('d1', 'doc', null, 2021, 'documents', 50.0),
                ('d2', 'doc94', 2023, 2021, 'documents', 60.0)
            ) as t(id, document_id, fiscal_year, period_start_year, source_partition, amount)
        """
        for table in PARTITIONED_FACTS:
            con.execute(
                f"create table {table} as select id, document_id, fiscal_year, period_start_year, "
                f"source_partition, cast(amount as decimal(18, 3)) as amount from ({rows})"
            )
    return path


def change(path: Path) -> None:
    """CHANGED gets other amounts and one more row, REMOVED's rows go."""
    with duckdb.connect(str(path)) as con:
        for table in PARTITIONED_FACTS:
            con.execute(f"update {table} set amount = amount + 1 where source_partition = '{CHANGED}'")
            con.execute(f"insert into {table} values ('a3', 'r14a', 2024, 2024, '{CHANGED}', 5)")
            con.execute(f"delete from {table} where source_partition = '{REMOVED}'")


def dataset(folder: Path) -> list[tuple]:
    with duckdb.connect() as con:
        return con.execute(
            f"select * from read_parquet('{folder}/*/*/*.parquet', hive_partitioning = true) order by all"
        ).fetchall()


def run_ids(folder: Path) -> set[str]:
    return {(pq.read_metadata(f).metadata or {}).get(b"run_id", b"").decode() for f in folder.rglob("*.parquet")}


@pytest.fixture
def releases(tmp_path: Path) -> dict[str, Path]:
    first_db = make_warehouse(tmp_path / "first.duckdb")
    export_partitioned_facts(first_db, tmp_path / "first", "run-1")
    second_db = tmp_path / "second.duckdb"
    shutil.copyfile(first_db, second_db)
    change(second_db)
    return {"first": tmp_path / "first", "second_db": second_db, "tmp": tmp_path}


def test_a_reusing_export_equals_a_whole_export(releases: dict[str, Path]) -> None:
    tmp = releases["tmp"]
    export_partitioned_facts(releases["second_db"], tmp / "whole", "run-2")
    export_partitioned_facts(
        releases["second_db"], tmp / "reused", "run-2", Reuse(releases["first"], (CHANGED, REMOVED))
    )
    for table in PARTITIONED_FACTS:
        name = table.split(".")[1]
        assert dataset(tmp / "reused" / name) == dataset(tmp / "whole" / name)
        assert dataset(tmp / "reused" / name) != dataset(releases["first"] / name)  # the change is real
        ids = [row[0] for row in dataset(tmp / "reused" / name)]
        assert "c1" not in ids and "d2" in ids  # the removed partition's row is gone, the document's stays
    # in fct_plan_amount the document's row shares the removed rows' folder: it stays alone there
    mixed = tmp / "reused" / "fct_plan_amount" / "province=94" / "year=2023"
    with duckdb.connect() as con:
        assert con.execute(f"select id from read_parquet('{mixed}/*.parquet')").fetchall() == [("d2",)]
    assert run_ids(tmp / "reused") == {"run-2"}
    assert not list((tmp / "reused").glob("facts-*"))  # no scratch folder left behind


def test_unchanged_partitions_are_copied_not_exported_again(releases: dict[str, Path]) -> None:
    tmp = releases["tmp"]
    export_partitioned_facts(
        releases["second_db"], tmp / "reused", "run-2", Reuse(releases["first"], (CHANGED, REMOVED))
    )
    for table in PARTITIONED_FACTS:
        name = table.split(".")[1]
        kept = sorted((releases["first"] / name / KEPT).glob("*.parquet"))
        assert kept
        for old in kept:
            new = tmp / "reused" / name / KEPT / old.name
            data_end = old.stat().st_size - 8 - int.from_bytes(old.read_bytes()[-8:-4], "little")
            assert new.read_bytes()[:data_end] == old.read_bytes()[:data_end]
        # the changed partition was written again: its rows differ from the first release's
        assert dataset(tmp / "reused" / name) != dataset(releases["first"] / name)


def test_a_partition_missing_from_the_previous_release_fails_the_release(releases: dict[str, Path]) -> None:
    tmp = releases["tmp"]
    for file in (releases["first"] / "fct_plan_amount" / KEPT).glob("*.parquet"):
        file.unlink()
    with pytest.raises(ReleaseError, match=r"fct_plan_amount: \d+ rows in the Parquet dataset, \d+ in core"):
        export_partitioned_facts(
            releases["second_db"], tmp / "reused", "run-2", Reuse(releases["first"], (CHANGED, REMOVED))
        )


def test_previous_files_with_other_columns_are_not_carried_over(releases: dict[str, Path]) -> None:
    tmp = releases["tmp"]
    with duckdb.connect(str(releases["second_db"])) as con:
        for table in PARTITIONED_FACTS:
            con.execute(f"alter table {table} add column note varchar default 'new'")
    export_partitioned_facts(
        releases["second_db"], tmp / "reused", "run-2", Reuse(releases["first"], (CHANGED, REMOVED))
    )
    export_partitioned_facts(releases["second_db"], tmp / "whole", "run-2")
    assert dataset(tmp / "reused" / "sum_checks") == dataset(tmp / "whole" / "sum_checks")
    assert all(row[-4] == "new" for row in dataset(tmp / "reused" / "sum_checks"))  # then province_code, province, year
