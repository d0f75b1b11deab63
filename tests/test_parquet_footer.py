"""A Parquet file copied with new key-value metadata keeps every value and changes only its footer."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ntp_poverty.publish.parquet_footer import FooterError, copy_with_metadata, key_value_metadata


@pytest.fixture
def duckdb_file(tmp_path: Path) -> Path:
    """A file as the release writes them: several row groups, decimals, text, dates, nulls, run id."""
    path = tmp_path / "facts.parquet"
    with duckdb.connect() as con:
        con.execute(f"""
            copy (
                select i as id, cast(i * 1.5 as decimal(18, 3)) as amount,
                       case when i % 7 = 0 then null else 'Sơn La ' || i end as name,
                       date '2021-01-01' + cast(i % 1000 as integer) as day, i % 2 = 0 as even
                from range(50000) as t(i)
            ) to '{path}' (format parquet, row_group_size 10000, kv_metadata {{run_id: 'first', other: 'kept'}})
        """)
    return path


def test_the_copy_has_the_new_run_id_and_the_same_rows(duckdb_file: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.parquet"
    copy_with_metadata(duckdb_file, copy, {"run_id": "second"})
    assert key_value_metadata(duckdb_file)["run_id"] == "first"
    assert pq.read_metadata(copy).metadata == {b"run_id": b"second", b"other": b"kept"}
    assert pq.read_metadata(copy).num_row_groups == 5
    assert pq.read_table(copy).equals(pq.read_table(duckdb_file))
    with duckdb.connect() as con:
        assert con.execute(f"select count(*) from (from '{duckdb_file}' except all from '{copy}')").fetchall() == [(0,)]
        assert con.execute(f"select count(*) from '{copy}'").fetchall() == [(50000,)]


def test_only_the_footer_changes(duckdb_file: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.parquet"
    copy_with_metadata(duckdb_file, copy, {"run_id": "second"})
    original, copied = duckdb_file.read_bytes(), copy.read_bytes()
    data_end = len(original) - 8 - int.from_bytes(original[-8:-4], "little")
    assert copied[:data_end] == original[:data_end]
    assert copied[data_end:] != original[data_end:]


def test_metadata_is_added_to_a_file_without_any(tmp_path: Path) -> None:
    plain = tmp_path / "plain.parquet"
    pq.write_table(pa.table({"a": [1, 2, 3], "b": ["x", None, "z"]}), plain, store_schema=False)
    assert pq.read_metadata(plain).metadata is None
    copy = tmp_path / "copy.parquet"
    copy_with_metadata(plain, copy, {"run_id": "r"})
    assert pq.read_metadata(copy).metadata == {b"run_id": b"r"}
    assert pq.read_table(copy).equals(pq.read_table(plain))


def test_fifteen_keys_or_more_use_the_long_list_header(duckdb_file: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.parquet"
    many = {f"key{i}": "đồng " * i for i in range(20)}
    copy_with_metadata(duckdb_file, copy, many)
    assert key_value_metadata(copy) == {"run_id": "first", "other": "kept", **many}
    assert pq.read_table(copy).equals(pq.read_table(duckdb_file))


def test_a_file_that_is_not_parquet_is_refused_by_name(tmp_path: Path) -> None:
    text = tmp_path / "notes.parquet"
    text.write_text("province,year\n14,2024\n", encoding="utf-8")
    with pytest.raises(FooterError, match=r"notes\.parquet: not a Parquet file"):
        copy_with_metadata(text, tmp_path / "out.parquet", {"run_id": "r"})


def test_a_damaged_footer_is_refused(duckdb_file: Path, tmp_path: Path) -> None:
    data = bytearray(duckdb_file.read_bytes())
    footer_length = int.from_bytes(data[-8:-4], "little")
    start = len(data) - 8 - footer_length
    data[start : start + footer_length] = b"\xff" * footer_length  # no valid Thrift struct
    damaged = tmp_path / "damaged.parquet"
    damaged.write_bytes(bytes(data))
    with pytest.raises(FooterError, match=r"damaged\.parquet: footer byte"):
        copy_with_metadata(damaged, tmp_path / "out.parquet", {"run_id": "r"})
