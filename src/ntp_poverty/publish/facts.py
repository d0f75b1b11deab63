"""The large facts as Parquet datasets partitioned by province and year, in every release.

``parquet/facts/<table>/province=<code>/year=<yyyy>/*.parquet`` for each table of
:data:`PARTITIONED_FACTS`, each file with the run id in its key-value metadata. The province is
the province of the document's geography (a feed report's: its folder's; a district's document:
its province); the year the row's fiscal year, else the first of its period. Every file also holds
the province's GSO code as text (``province_code``): a reader that infers the folder's type reads
``province=01`` back as the integer 1 (polars, pyarrow and pandas do), which joins to no geography.

After a full build every partition is exported from the candidate. After an incremental build
(:class:`Reuse`), only the dataset partitions that hold rows of the rebuilt feed partitions, in
this build or in the previous release, are exported; every other partition is carried over from
the previous release byte for byte with this run's id written into its footer
(:func:`ntp_poverty.publish.parquet_footer.copy_with_metadata`). Carrying over is refused (and the table
exported whole) when the previous files' columns differ from what this build would write. Either
way the rows in the dataset must add up to the table's row count, or the release fails.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from ntp_poverty.common.duckdb_connection import connect
from ntp_poverty.publish.parquet_footer import copy_with_metadata
from ntp_poverty.publish.releases import ReleaseError
from ntp_poverty.refresh.run_log import say

#: Large facts published as Parquet datasets partitioned by province and year: table -> its year.
PARTITIONED_FACTS: dict[str, str] = {
    "core.fct_plan_amount": "coalesce(fact.fiscal_year, fact.period_start_year)",
    "core.fct_reported_total": "fact.period_start_year",
    "audit.sum_checks": "coalesce(fact.fiscal_year, fact.period_start_year)",
}
PARTITION_COLUMNS = ("province", "year")


@dataclass(frozen=True)
class Reuse:
    """What an incremental release may carry over: the previous release's ``parquet/facts`` folder and
    the feed partitions (``province=<code>/year=<yyyy>``) this build computed again."""

    previous: Path
    rebuilt: tuple[str, ...]


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _rows_sql(table: str, year: str) -> str:
    """Every row of ``table`` with its dataset partition columns."""
    return f"""
        select fact.*, geography.province_code, geography.province_code as province, {year} as year
        from {table} as fact
        left join core.dim_document as document on fact.document_id = document.document_id
        left join core.dim_geography as geography on document.geography_code = geography.geography_code
    """


def _partition_key(province: object, year: object) -> str:
    return f"province={province}/year={year}"


def _affected(con: duckdb.DuckDBPyConnection, rows: str, previous: Path, rebuilt: tuple[str, ...]) -> set[str]:
    """Dataset partitions holding rows of the rebuilt feed partitions, now or in the previous release."""
    changed = ", ".join(_quote(p) for p in rebuilt)
    # coalesce: DuckDB then filters inside the scan of the table (see macros/partition_filter.sql)
    now = con.execute(
        f"select distinct province, year from ({rows}) where coalesce(source_partition in ({changed}), "
        "false) and province is not null"
    ).fetchall()
    files = _quote(str(previous / "*" / "*" / "*.parquet"))
    before = con.execute(
        f"select distinct province, year from read_parquet({files}, hive_partitioning = true, "
        f"hive_types_autocast = false) where source_partition in ({changed})"
    ).fetchall()
    return {_partition_key(p, y) for p, y in [*now, *before]}


def _same_columns(con: duckdb.DuckDBPyConnection, rows: str, previous: Path, scratch: Path) -> bool:
    """Whether the previous release's files have the columns this build writes (names and types)."""
    existing = next(previous.glob("*/*/*.parquet"), None)
    if existing is None:
        return False
    probe = scratch / "probe.parquet"
    con.execute(f"copy ({rows} limit 0) to {_quote(str(probe))} (format parquet)")
    wanted = pq.read_schema(probe).remove_metadata()
    wanted = wanted.remove(wanted.get_field_index("year")).remove(wanted.get_field_index("province"))
    return pq.read_schema(existing).remove_metadata().equals(wanted)


def _copy_partition(source: Path, target: Path, run_id: str) -> None:
    target.mkdir(parents=True)
    for file in sorted(source.glob("*.parquet")):
        copy_with_metadata(file, target / file.name, {"run_id": run_id})


def _dataset_rows(folder: Path) -> int:
    return sum(pq.read_metadata(file).num_rows for file in folder.glob("*/*/*.parquet"))


def _export(
    con: duckdb.DuckDBPyConnection, table: str, target: Path, run_id: str, reuse: Reuse | None, scratch: Path
) -> str:
    """Write one table's dataset into ``target``; say how."""
    rows = _rows_sql(table, PARTITIONED_FACTS[table])
    options = f"format parquet, partition_by ({', '.join(PARTITION_COLUMNS)}), kv_metadata {{run_id: {_quote(run_id)}}}"
    previous = reuse.previous / target.name if reuse else None
    if reuse is None or previous is None or not previous.is_dir():
        whole = "exported whole"
    elif not _same_columns(con, rows, previous, scratch):
        whole = "exported whole (the previous release's files have other columns)"
    else:
        whole = ""
    if whole or reuse is None or previous is None:  # (the last two for the type checker: whole is set)
        con.execute(f"copy ({rows}) to {_quote(str(target))} ({options})")
        return whole
    affected = _affected(con, rows, previous, reuse.rebuilt) if reuse.rebuilt else set()
    target.mkdir(parents=True)
    if affected:
        fresh = scratch / target.name
        keys = ", ".join(_quote(k) for k in sorted(affected))
        # a feed row lies in the dataset partition of its feed partition (a row's folder is its
        # province and year: validate_feeds), so only the rebuilt partitions' rows and the documents'
        # can fall in an affected one; that filter runs inside the scan, the exact one after it
        sources = ", ".join(_quote(p) for p in (*reuse.rebuilt, "documents"))
        con.execute(
            f"copy (select * from ({rows}) where coalesce(source_partition in ({sources}), false) "
            f"and 'province=' || province || '/year=' || year in ({keys})) to {_quote(str(fresh))} ({options})"
        )
        for folder in sorted(fresh.glob("*/*")):
            destination = target / folder.parent.name / folder.name
            destination.parent.mkdir(exist_ok=True)
            shutil.move(folder, destination)
    carried = 0
    for folder in sorted(previous.glob("*/*")):
        key = f"{folder.parent.name}/{folder.name}"
        if folder.is_dir() and key not in affected:
            _copy_partition(folder, target / folder.parent.name / folder.name, run_id)
            carried += 1
    return f"{len(affected)} partition(s) exported, {carried} carried over"


def export_partitioned_facts(database: Path, target: Path, run_id: str, reuse: Reuse | None = None) -> None:
    """Write each large fact as ``target/<table>/province=<code>/year=<yyyy>/*.parquet`` (run id in each
    file's key-value metadata; the two partition columns are in the folder names, as hive readers expect),
    carrying over the unchanged partitions of ``reuse``; raise ReleaseError when a dataset's rows are not
    the table's."""
    target.mkdir(parents=True)
    with connect(database) as con, tempfile.TemporaryDirectory(prefix="facts-", dir=target) as scratch:
        # rows within a partition have no order to keep; keeping it would hold them in memory
        con.execute("set preserve_insertion_order = false")
        for table in PARTITIONED_FACTS:
            folder = target / table.split(".")[1]
            how = _export(con, table, folder, run_id, reuse, Path(scratch))
            expected = con.execute(f"select count(*) from {table}").fetchall()[0][0]
            written = _dataset_rows(folder)
            if written != expected:
                raise ReleaseError(f"{folder}: {written:,} rows in the Parquet dataset, {expected:,} in {table}")
            say(f"Parquet facts {table}: {how}; {written:,} rows")
