"""The incremental build's key tests check the keys of the rebuilt partitions against every row, on
copies of the shared build with one row moved or doubled (macros/rebuilt_rows.sql,
macros/tests/unique.sql, tests/dbt/a_document_lies_in_one_partition.sql); the incremental refresh
itself: tests/test_incremental.py."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from conftest import changed_partitions, run_dbt

PRINTINGS = "intermediate.int_plan_amounts_printings"


def broken_copy(built_warehouse: Path, tmp_path: Path) -> Path:
    """A copy of the shared build for one test to break."""
    return Path(shutil.copyfile(built_warehouse, tmp_path / "broken.duckdb"))


def feed_partitions(con: duckdb.DuckDBPyConnection, table: str, condition: str = "") -> list[str]:
    """The feed partitions (``province=...``) of ``table``'s rows, in order (``condition``: more of the where)."""
    sql = (
        f"select distinct source_partition from {table} where source_partition like 'province=%' {condition} order by 1"
    )
    return [p for (p,) in con.execute(sql).fetchall()]


@pytest.mark.exhaustive
def test_a_feed_row_outside_its_folders_province_fails_the_dbt_test(built_warehouse: Path, tmp_path: Path) -> None:
    """The province-level increments rely on it: the dbt test passes on the build, and a row moved
    into another province's partition makes it fail. make test: the preflight refuses such a row
    before dbt (tests/test_feeds.py::test_a_row_filed_under_another_province_or_year_is_refused), and
    the dbt test passes in the shared build."""
    name = "feed_rows_lie_in_their_partitions_province"
    assert run_dbt(["test", "--select", name], built_warehouse, tmp_path / "clean").returncode == 0
    broken = broken_copy(built_warehouse, tmp_path)
    with duckdb.connect(str(broken)) as con:
        moved = con.execute(
            "update core.fct_plan_amount set source_partition = 'province=01/year=2024' where plan_amount_id = "
            "(select min(plan_amount_id) from core.fct_plan_amount where source_partition like 'province=%' "
            "and source_partition not like 'province=01/%')"
        ).fetchall()[0][0]
    assert moved == 1
    result = run_dbt(["test", "--select", name], broken, tmp_path / "broken")
    assert result.returncode != 0 and "Got 1 result" in result.stdout


def test_an_incremental_build_checks_the_keys_of_the_rebuilt_partitions_against_every_row(
    built_warehouse: Path, tmp_path: Path
) -> None:
    """Key tests with a partition column (macros/tests/unique_combination_of_columns.sql) check, in an
    incremental refresh's build, only the keys that occur in the rebuilt partitions, each counted over
    the whole table: a rebuilt row that repeats the key of an unchanged partition's row fails; a
    duplicate wholly outside the rebuilt partitions is not looked at; a full build sees every key."""
    broken = broken_copy(built_warehouse, tmp_path)
    with duckdb.connect(str(broken)) as con:
        [(kept, copied_into)] = con.execute(
            "select min(source_partition), max(source_partition) from core.fct_plan_amount "
            "where source_partition like 'province=%'"
        ).fetchall()
        assert kept != copied_into
        # a row of partition `kept`, copied with its coordinates into partition `copied_into` (a new
        # plan_amount_id: DuckDB enforces the contract's primary key itself)
        con.execute(
            "insert into core.fct_plan_amount by name select * replace ($1 as source_partition, "
            "plan_amount_id || ':copy' as plan_amount_id) "
            "from core.fct_plan_amount where plan_amount_id = (select min(plan_amount_id) from "
            "core.fct_plan_amount where source_partition = $2)",
            [copied_into, kept],
        )
        [(others,)] = con.execute(
            "select min(source_partition) from core.fct_plan_amount where source_partition "
            "like 'province=%' and source_partition not in ($1, $2)",
            [kept, copied_into],
        ).fetchall()
    selection = ["--select", "fct_plan_amount,test_name:unique_combination_of_columns", "--resource-type", "test"]

    def key_tests(workdir: str, changed: list[str] | None) -> subprocess.CompletedProcess[str]:
        return run_dbt(["test", *selection], broken, tmp_path / workdir, **changed_partitions(changed))

    coordinates = "Failure in test unique_combination_of_columns_fct_plan_amount_document_id__geography_code"
    for workdir, changed in (("full", None), ("rebuilt", [copied_into]), ("original", [kept])):
        result = key_tests(workdir, changed)  # the original's side of the pair, rebuilt, finds it too
        assert result.returncode != 0 and result.stdout.count("Failure in test") == 1, result.stdout[-3000:]
        assert coordinates in result.stdout
    elsewhere = key_tests("elsewhere", [others])
    assert elsewhere.returncode == 0 and "Failure in test" not in elsewhere.stdout, elsewhere.stdout[-3000:]


def test_an_incremental_build_checks_unique_values_of_the_rebuilt_partitions_against_every_row(
    built_warehouse: Path, tmp_path: Path
) -> None:
    """The project's `unique` (macros/tests/unique.sql) with a partition column counts, in an
    incremental refresh's build, the values of the rebuilt partitions over the whole table: a value
    repeated across two partitions is found from either side and in a full build, and not looked at
    when neither side is rebuilt."""
    broken = broken_copy(built_warehouse, tmp_path)
    table = PRINTINGS
    with duckdb.connect(str(broken)) as con:
        partitions = feed_partitions(con, table, "and not is_repeat_printing")
        kept, others, copied_into = partitions[0], partitions[1], partitions[-1]
        assert len({kept, copied_into, others}) == 3
        # a printing of partition `kept` with its amount id in partition `copied_into`: a duplicate
        # amount_id across two partitions
        con.execute(
            f"insert into {table} by name select * replace ($1 as source_partition) from {table} "
            f"where amount_id = (select min(amount_id) from {table} where source_partition = $2 "
            "and not is_repeat_printing)",
            [copied_into, kept],
        )
    failure = "Failure in test unique_int_plan_amounts_printings_amount_id__source_partition"

    def unique_tests(workdir: str, changed: list[str] | None) -> str:
        result = run_dbt(
            ["test", "--select", "int_plan_amounts_printings,test_name:unique"],
            broken,
            tmp_path / workdir,
            **changed_partitions(changed),
        )
        assert result.returncode in (0, 1), result.stdout[-3000:]
        return result.stdout

    for workdir, changed in (("full", None), ("rebuilt", [copied_into]), ("original", [kept])):
        out = unique_tests(workdir, changed)
        assert failure in out and out.count("Failure in test") == 1 and "Runtime Error" not in out, out[-3000:]
    assert "Failure in test" not in unique_tests("elsewhere", [others])


def test_a_key_that_determines_the_partition_reads_only_the_rebuilt_partitions_and_finds_a_duplicate_inside(
    built_warehouse: Path, tmp_path: Path
) -> None:
    """unique_combination_of_columns whose key determines the partition (key_determines_partition: the
    feed staging key, file and row, as a file lies in one folder) reads, in an incremental build, only
    the rows of the rebuilt partitions' provinces (the stored province column, filtered inside the
    scan): a line item repeated inside a partition fails when that partition is rebuilt and in a full
    build, and passes when only another province's partition is rebuilt."""
    broken = broken_copy(built_warehouse, tmp_path)
    table = "staging.stg_feeds__line_items_csv"
    partition = "'province=' || partition_province_code || '/year=' || cast(partition_year as varchar)"
    with duckdb.connect(str(broken)) as con:
        partitions = [p for (p,) in con.execute(f"select distinct {partition} from {table} order by 1").fetchall()]
        assert len(partitions) >= 2
        con.execute(f"insert into {table} select * from {table} where {partition} = $1 limit 1", [partitions[0]])
    failure = "Failure in test unique_combination_of_columns_stg_feeds__line_items_csv"

    def key_test(workdir: str, changed: list[str] | None) -> subprocess.CompletedProcess[str]:
        return run_dbt(
            ["test", "--select", "stg_feeds__line_items_csv,test_name:unique_combination_of_columns"],
            broken,
            tmp_path / workdir,
            **changed_partitions(changed),
        )

    for workdir, changed in (("full", None), ("rebuilt", [partitions[0]])):
        result = key_test(workdir, changed)
        assert result.returncode == 1 and failure in result.stdout, result.stdout[-3000:]
        assert "Runtime Error" not in result.stdout, result.stdout[-3000:]
    elsewhere = next(p for p in partitions if p.split("/")[0] != partitions[0].split("/")[0])
    result = key_test("elsewhere", [elsewhere])
    assert result.returncode == 0, result.stdout[-3000:]
    [compiled] = [
        text
        for path in (tmp_path / "elsewhere" / "target" / "compiled").rglob("*.sql")
        if "stg_feeds__line_items_csv" in (text := path.read_text(encoding="utf-8"))
    ]
    province = elsewhere.split("/")[0].removeprefix("province=")
    assert f"where coalesce(partition_province_code in ('{province}'), false)" in compiled
    assert "exists" not in compiled  # no semi-join


def test_a_document_spread_over_two_partitions_fails_from_either_side(built_warehouse: Path, tmp_path: Path) -> None:
    """tests/dbt/a_document_lies_in_one_partition.sql, which the printings' key test relies on to read
    only the rebuilt partitions (key_determines_partition): a printing of a report copied into another
    partition fails it in a full build and in an incremental build rebuilding either partition, and
    not one rebuilding neither."""
    broken = broken_copy(built_warehouse, tmp_path)
    table = PRINTINGS
    with duckdb.connect(str(broken)) as con:
        partitions = feed_partitions(con, table)
        kept, others, copied_into = partitions[0], partitions[1], partitions[-1]
        con.execute(
            f"insert into {table} by name select * replace ($1 as source_partition, amount_id || ':copy' "
            f"as amount_id) from {table} where amount_id = (select min(amount_id) from {table} "
            "where source_partition = $2 and not is_repeat_printing)",
            [copied_into, kept],
        )

    def singular(workdir: str, changed: list[str] | None) -> subprocess.CompletedProcess[str]:
        return run_dbt(
            ["test", "--select", "a_document_lies_in_one_partition"],
            broken,
            tmp_path / workdir,
            **changed_partitions(changed),
        )

    for workdir, changed in (("full", None), ("rebuilt", [copied_into]), ("original", [kept])):
        result = singular(workdir, changed)
        assert result.returncode == 1 and "Failure in test a_document_lies_in_one_partition" in result.stdout, (
            result.stdout[-3000:]
        )
        assert "Got 1 result" in result.stdout and "Error" not in result.stdout, result.stdout[-3000:]
    assert singular("elsewhere", [others]).returncode == 0
