"""The slices of a full build (src/ntp_poverty/build/slices.py): whole provinces up to a number of
feed rows, the rows counted from the files, and the dbt passes they become. That a sliced build equals
an unsliced one is proven in tests/test_incremental.py."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from test_incremental import run_refresh

from conftest import ROOT, run_dbt, run_vars
from ntp_poverty.build.slices import (
    DEFAULT_AT_ONCE_ROWS,
    DEFAULT_SLICE_ROWS,
    SLICE_SELECTOR,
    at_once_rows_limit,
    dbt_passes,
    partition_rows,
    plan_slices,
    province_of,
    slice_rows_limit,
)

ROWS = {
    "province=01/year=2021": 4,
    "province=01/year=2022": 4,
    "province=02/year=2021": 3,
    "province=80@2025/year=2025": 2,
    "province=80/year=2024": 6,
}


def test_slices_are_whole_provinces_in_code_order_up_to_the_limit() -> None:
    slices = plan_slices(ROWS, 9)
    assert slices == [
        ["province=01/year=2021", "province=01/year=2022"],
        ["province=02/year=2021", "province=80/year=2024"],
        ["province=80@2025/year=2025"],
    ]
    assert sorted(p for s in slices for p in s) == sorted(ROWS)  # every partition exactly once
    for one_slice in slices:
        assert all(
            province_of(p) not in {province_of(q) for s in slices if s is not one_slice for q in s} for p in one_slice
        )


def test_a_province_above_the_limit_is_a_slice_of_its_own() -> None:
    assert plan_slices(ROWS, 1) == [
        ["province=01/year=2021", "province=01/year=2022"],
        ["province=02/year=2021"],
        ["province=80/year=2024"],
        ["province=80@2025/year=2025"],
    ]


def test_a_feed_within_the_limit_or_without_a_limit_is_one_slice() -> None:
    assert plan_slices(ROWS, 19) == [sorted(ROWS)]
    assert plan_slices(ROWS, 0) == [sorted(ROWS)]
    assert plan_slices({}, 5) == []


def test_a_feed_within_the_at_once_rows_builds_at_once_and_a_larger_one_in_slices() -> None:
    assert plan_slices(ROWS, 9, at_once_rows=19) == [sorted(ROWS)]
    assert plan_slices(ROWS, 9, at_once_rows=18) == plan_slices(ROWS, 9) == plan_slices(ROWS, 9, 0)
    assert len(plan_slices(ROWS, 9, at_once_rows=18)) == 3


def test_one_slice_is_one_dbt_build_and_several_are_passes() -> None:
    assert [p.args for p in dbt_passes([sorted(ROWS)], True)] == [("build", "--full-refresh")]
    assert [p.args for p in dbt_passes([], False)] == [("build",)]
    first, *middle, last = dbt_passes(plan_slices(ROWS, 9), True)
    assert first.args[:2] == ("build", "--full-refresh") and "test" in first.args
    assert first.extra_vars == {
        "deferred_partitions": ["province=02/year=2021", "province=80/year=2024", "province=80@2025/year=2025"]
    }
    assert [(p.args, p.extra_vars) for p in middle] == [
        (
            ("run", "--select", SLICE_SELECTOR),
            {"changed_partitions": ["province=02/year=2021", "province=80/year=2024"]},
        ),
        (("run", "--select", SLICE_SELECTOR), {"changed_partitions": ["province=80@2025/year=2025"]}),
    ]
    assert last.args == ("build",) and last.extra_vars == {"changed_partitions": [], "check_every_row": True}
    assert last.log_name == "dbt_build.log"


def test_rows_are_counted_from_csv_lines_and_parquet_footers(tmp_path: Path) -> None:
    """The sample feed's CSV partitions, one of them also as Parquet, against DuckDB's own count."""
    feed = tmp_path / "feed"
    for source in (ROOT / "feeds" / "sample").rglob("*.csv"):
        if "province=" in source.as_posix():
            target = feed / source.relative_to(ROOT / "feeds" / "sample")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes().rstrip(b"\n"))  # a last line without its line break
    (feed / "province=99" / "year=2021").mkdir(parents=True)
    pq.write_table(pa.table({"x": list(range(7))}), feed / "province=99" / "year=2021" / "extra.parquet")
    counted = partition_rows(feed)
    with duckdb.connect() as con:
        expected = dict(
            con.execute(
                "select regexp_extract(filename, '(province=[^/]+/year=[^/]+)', 1), count(*) "
                f"from read_csv('{feed}/*/*/*.csv', filename = true, all_varchar = true) group by 1"
            ).fetchall()
        )
    assert expected and counted == {**expected, "province=99/year=2021": 7}


@pytest.mark.parametrize(
    ("limit", "name", "default"),
    [
        (slice_rows_limit, "NTP_SLICE_ROWS", DEFAULT_SLICE_ROWS),
        (at_once_rows_limit, "NTP_BUILD_AT_ONCE_ROWS", DEFAULT_AT_ONCE_ROWS),
    ],
)
def test_the_row_limits_come_from_the_environment(limit, name: str, default: int) -> None:
    assert limit({}) == default
    assert limit({name: "2_000_000"}) == 2_000_000
    assert limit({name: "0"}) == 0
    for bad in ("many", "-1", "1.5"):
        with pytest.raises(ValueError, match=name):
            limit({name: bad})


def test_the_10m_bench_feed_builds_at_once_and_the_50m_feed_in_slices() -> None:
    """The defaults against the synthetic feeds' sizes (feed rows, BENCHMARKS.md): 16.5M at once,
    70.6M in slices of at most 10M rows where a province allows."""
    assert DEFAULT_SLICE_ROWS < 16_532_148 <= DEFAULT_AT_ONCE_ROWS < 70_610_796


@pytest.mark.parametrize("name", ["NTP_SLICE_ROWS", "NTP_BUILD_AT_ONCE_ROWS"])
def test_a_bad_slice_setting_stops_the_refresh_before_it_builds(tmp_path: Path, name: str) -> None:
    proc = run_refresh(tmp_path / "w" / "ntp_poverty.duckdb", ROOT / "feeds" / "sample", **{name: "many"})
    assert proc.returncode == 2 and f"{name}='many'" in proc.stdout + proc.stderr
    assert not (tmp_path / "w" / "ntp_poverty.duckdb").exists()


@pytest.mark.slow
def test_the_first_pass_leaves_out_the_deferred_partitions_at_every_level(tmp_path: Path) -> None:
    """The first pass of a sliced build (``deferred_partitions``) computes the documents and the other
    provinces, and none of the deferred partitions' rows: not in the staged feed, the facts, the sum
    checks, nor the province-level models. Without this the later passes would only repeat work (their
    delete+insert hides it, so the equality in tests/test_incremental.py cannot see it)."""
    sample = partition_rows(ROOT / "feeds" / "sample")
    deferred = [p for p in sample if province_of(p) == "93"]
    assert deferred and len(deferred) < len(sample)
    first = dbt_passes([[p for p in sample if p not in deferred], deferred], True)[0]
    warehouse = tmp_path / "first.duckdb"
    result = run_dbt(list(first.args), warehouse, tmp_path, **run_vars(**first.extra_vars))
    assert result.returncode == 0, result.stdout[-4000:]
    partition = "'province=' || partition_province_code || '/year=' || cast(partition_year as varchar)"
    with duckdb.connect(str(warehouse), read_only=True) as con:

        def provinces(sql: str) -> set[str]:
            return {row[0] for row in con.execute(sql).fetchall()}

        staged = provinces(f"select distinct split_part({partition}, '/', 1) from staging.stg_feeds__line_items_csv")
        facts = provinces("select distinct split_part(source_partition, '/', 1) from core.fct_plan_amount")
        checks = provinces("select distinct split_part(source_partition, '/', 1) from audit.sum_checks")
        preferred = provinces("select distinct province_code from intermediate.int_plan_amounts_preferred")
    assert staged == {"province=11", "province=92@2025"}
    assert facts == checks == {"documents", "province=11", "province=92@2025"}
    assert "93" not in preferred and {"11", "92@2025"} <= preferred


def test_a_sliced_build_runs_duckdb_on_one_thread_unless_told() -> None:
    """With two threads the 50M feed's first slice ran out of DuckDB's memory limit; a sliced build's
    passes run on NTP_SLICED_DUCKDB_THREADS (default 1), an unsliced build keeps NTP_DUCKDB_THREADS."""
    sliced = dbt_passes(plan_slices(ROWS, 9), True, environ={"NTP_DUCKDB_THREADS": "2"})
    assert len(sliced) > 2 and all(p.env == {"NTP_DUCKDB_THREADS": "1"} for p in sliced)
    told = dbt_passes(plan_slices(ROWS, 9), True, environ={"NTP_SLICED_DUCKDB_THREADS": "2"})
    assert all(p.env == {"NTP_DUCKDB_THREADS": "2"} for p in told)
    assert all(not p.env for p in dbt_passes([sorted(ROWS)], True) + dbt_passes([], False))
    with pytest.raises(ValueError, match="NTP_SLICED_DUCKDB_THREADS='two'"):
        dbt_passes(plan_slices(ROWS, 9), True, environ={"NTP_SLICED_DUCKDB_THREADS": "two"})
