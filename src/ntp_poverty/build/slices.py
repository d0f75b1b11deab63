"""A full build in slices of provinces: the memory a build needs follows the slice, not the feed.

A full build of a large feed runs as several dbt invocations (:func:`dbt_passes`) instead of one:

1. ``dbt build --full-refresh`` without tests, every partitioned model leaving out the partitions of
   the later slices (the var ``deferred_partitions``, macros/in_rebuilt_partitions.sql): the
   documents' rows, the first slice, and every small table;
2. one ``dbt run`` per further slice over the partitioned models and the tables between them, as an
   incremental run whose ``changed_partitions`` are that slice's (partitions added, exactly as an
   incremental refresh adds a new partition);
3. ``dbt build`` with no partition to rebuild and ``check_every_row``: every small model and mart
   again over all rows, and every test over every row (macros/rebuilt_rows.sql).

Slices are whole provinces (the models recomputed by province never see half a province), packed in
code order up to :data:`DEFAULT_SLICE_ROWS` feed rows (``NTP_SLICE_ROWS``; 0 never slices). A feed of
at most :data:`DEFAULT_AT_ONCE_ROWS` feed rows (``NTP_BUILD_AT_ONCE_ROWS``), or one that fits in one
slice, builds in one ``dbt build`` as before: slicing costs time (each further slice is an
incremental run, which writes its rows twice), so it is kept for the feeds that need it. Why slice
at all: at 50M leaf rows single queries over the whole feed (joins feeding a group by) ran out of
DuckDB's memory limit instead of spilling; a slice of the size proven at 10M leaf rows does not.
tests/test_incremental.py proves a sliced build equals an unsliced one, table by table.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq

from ntp_poverty.validate.feed_files import FeedListing, list_feed

#: Feed rows (leaf rows and printed totals) per slice. A 14.1M-row slice of the 50M feed ran out of
#: memory in the earlier one-query form of int_sum_check_component_parts; in slices of 10M the whole
#: 50M feed (70.6M feed rows, 8 slices) built and published within 3.78 GB (BENCHMARKS.md, 3296b05).
#: Since the aggregate-then-join sum checks (issue 31), int_sum_checks_components runs a 10M slice out
#: of the 3 GB limit even on one thread (the 50M feed's second slice, 9.5M printings, at 5f99c17);
#: either half of that slice computes in 14-30 s. Hence slices of half that size.
DEFAULT_SLICE_ROWS = 5_000_000
SLICE_ROWS_ENV = "NTP_SLICE_ROWS"
#: Feed rows up to which a full build runs at once, unsliced. The 10M-leaf synthetic feed (16.5M feed
#: rows) builds at once within the limits at this code: the engine floor runs every model over it in
#: one DuckDB connection under 3 GB, and the refresh built it unsliced within 3.78 GB (BENCHMARKS.md,
#: at 6cfd00f); in two slices it took about 100 s longer (1,313 s against the floor's 841 s at
#: ba53c4f, above the 1.5x target).
DEFAULT_AT_ONCE_ROWS = 17_000_000
AT_ONCE_ROWS_ENV = "NTP_BUILD_AT_ONCE_ROWS"
#: The models a slice's pass runs: the partitioned (incremental) models and every model between two
#: of them (for example int_documents, read by the marts, built from the staged feed rows).
SLICE_SELECTOR = "config.materialized:incremental+,+config.materialized:incremental"
#: DuckDB threads of a sliced build's passes (``NTP_SLICED_DUCKDB_THREADS``). One: with two, the
#: 50M-leaf feed's first slice ran int_sum_checks_components out of the 3 GB limit (2.7 GiB used
#: after 187 s, at efdfed2), where one thread built and published the whole 50M feed (3296b05). An
#: unsliced build keeps NTP_DUCKDB_THREADS (the machine's cores).
SLICED_THREADS_ENV = "NTP_SLICED_DUCKDB_THREADS"
DEFAULT_SLICED_THREADS = 1


@dataclass(frozen=True)
class DbtPass:
    """One dbt invocation of a build: its arguments, extra vars and the log file it writes."""

    args: tuple[str, ...]
    extra_vars: Mapping[str, object]
    log_name: str
    #: environment the pass's dbt runs with besides the build's (the DuckDB threads of a slice)
    env: Mapping[str, str] = field(default_factory=dict)


def province_of(partition: str) -> str:
    """The province part of ``province=<code>/year=<yyyy>``, as macros/rebuilt_partitions.sql reads it."""
    return partition.split("/", maxsplit=1)[0].rsplit("=", maxsplit=1)[-1]


def _data_rows(path: Path) -> int:
    """Rows of one feed file: a Parquet file's footer, a CSV file's lines after the header. A
    quoted line break would count twice; the count only sizes slices, it decides no row."""
    if path.suffix == ".parquet":
        return pq.read_metadata(path).num_rows
    lines, last = 0, b"\n"
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            lines += block.count(b"\n")
            last = block[-1:]
    lines += last != b"\n"  # a last line without its line break
    return max(lines - 1, 0)


def partition_rows(feed: Path | FeedListing) -> dict[str, int]:
    """Feed rows per partition (empty when there is none), over the files of the feed's one list
    (:func:`ntp_poverty.validate.feed_files.list_feed`; listed here when given a folder)."""
    listing = feed if isinstance(feed, FeedListing) else list_feed(feed, with_hashes=False)
    rows: dict[str, int] = {}
    for item in listing.data_files():
        rows[item.source_partition] = rows.get(item.source_partition, 0) + _data_rows(item.path)
    return rows


def _rows_setting(environ: Mapping[str, str], name: str, default: int) -> int:
    """A whole number (feed rows, threads) from the environment variable ``name`` (``default`` when unset)."""
    text = environ.get(name, "").strip()
    if not text:
        return default
    try:
        rows = int(text.replace("_", ""))
    except ValueError:
        rows = -1
    if rows < 0:
        raise ValueError(f"{name}={text!r}: expected a whole number (docs/data-engineers.md)")
    return rows


def slice_rows_limit(environ: Mapping[str, str] = os.environ) -> int:
    """The rows per slice from ``NTP_SLICE_ROWS`` (default :data:`DEFAULT_SLICE_ROWS`; 0: one slice)."""
    return _rows_setting(environ, SLICE_ROWS_ENV, DEFAULT_SLICE_ROWS)


def at_once_rows_limit(environ: Mapping[str, str] = os.environ) -> int:
    """The feed rows up to which a full build runs unsliced, from ``NTP_BUILD_AT_ONCE_ROWS`` (default
    :data:`DEFAULT_AT_ONCE_ROWS`; 0: every feed larger than one slice is sliced)."""
    return _rows_setting(environ, AT_ONCE_ROWS_ENV, DEFAULT_AT_ONCE_ROWS)


def plan_slices(rows: Mapping[str, int], max_rows: int, at_once_rows: int = 0) -> list[list[str]]:
    """The partitions in slices of whole provinces, in code order, each up to ``max_rows`` rows (a
    province larger than that is a slice of its own). One slice when everything fits in one slice
    or in ``at_once_rows``, or ``max_rows`` is 0; none for a feed without partitions."""
    provinces: dict[str, list[str]] = {}
    for partition in sorted(rows):
        provinces.setdefault(province_of(partition), []).append(partition)
    if max_rows == 0 or sum(rows.values()) <= max(max_rows, at_once_rows):
        return [sorted(rows)] if rows else []
    slices: list[list[str]] = []
    current: list[str] = []
    current_rows = 0
    for province in sorted(provinces):
        size = sum(rows[p] for p in provinces[province])
        if current and current_rows + size > max_rows:
            slices.append(current)
            current, current_rows = [], 0
        current = current + provinces[province]
        current_rows += size
    if current:
        slices.append(current)
    return slices


def sliced_threads(environ: Mapping[str, str] = os.environ) -> int:
    """The DuckDB threads of a sliced build's passes (``NTP_SLICED_DUCKDB_THREADS``, default 1)."""
    return max(_rows_setting(environ, SLICED_THREADS_ENV, DEFAULT_SLICED_THREADS), 1)


def dbt_passes(
    slices: Sequence[Sequence[str]], full_refresh: bool, environ: Mapping[str, str] = os.environ
) -> list[DbtPass]:
    """The dbt invocations of a build (see the module's docstring); the last one's tests decide."""
    if not full_refresh or len(slices) < 2:
        return [DbtPass(("build", "--full-refresh") if full_refresh else ("build",), {}, "dbt_build.log")]
    threads = {"NTP_DUCKDB_THREADS": str(sliced_threads(environ))}
    later = [partition for later_slice in slices[1:] for partition in later_slice]
    passes = [
        DbtPass(
            ("build", "--full-refresh", "--exclude-resource-type", "test", "unit_test"),
            {"deferred_partitions": later},
            "dbt_slice_1.log",
            threads,
        )
    ]
    passes += [
        DbtPass(
            ("run", "--select", SLICE_SELECTOR),
            {"changed_partitions": list(partitions)},
            f"dbt_slice_{number}.log",
            threads,
        )
        for number, partitions in enumerate(slices[1:], start=2)
    ]
    passes.append(DbtPass(("build",), {"changed_partitions": [], "check_every_row": True}, "dbt_build.log", threads))
    return passes
