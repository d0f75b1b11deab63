"""The Great Expectations checkpoint passes on the built marts and fails on a broken one."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from ntp_poverty.validate.marts import SPECS, validate

pytestmark = pytest.mark.slow


def test_every_mart_has_a_suite(built_warehouse: Path) -> None:
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        marts = {
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts' "
                "and table_name not like 'int_%'"
            ).fetchall()
        }
    assert marts == set(SPECS)


def test_checkpoint_passes_and_writes_data_docs(built_warehouse: Path, tmp_path: Path) -> None:
    docs = tmp_path / "data_docs"
    assert validate(built_warehouse, docs) == []
    assert (docs / "index.html").exists()


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        (
            "update marts.funding_mix set share_central = 1.5 where project_code = 'ALL'",
            "marts.funding_mix: expect_column_values_to_be_between",
        ),
        (
            "update marts.funding_mix set total_funding = total_funding + 1 where project_code = 'DA2'",
            "marts.funding_mix: expect_column_values_to_be_between {'batch_id': 'marts-funding_mix', "
            "'column': 'check_total_is_sum_of_sources'",
        ),
        (
            "insert into marts.target_comparison select * from marts.target_comparison limit 1",
            "marts.target_comparison: expect_compound_columns_to_be_unique",
        ),
        (
            "insert into marts.target_attainment select * from marts.target_attainment limit 1",
            "marts.target_attainment: expect_compound_columns_to_be_unique",
        ),
        (
            "update marts.target_attainment set is_met = true where attainment_status = 'no_result'",
            "marts.target_attainment: expect_column_values_to_be_between {'batch_id': 'marts-target_attainment', "
            "'column': 'check_met_flag_only_when_settled'",
        ),
        (
            "update marts.poverty_rate_series set poverty_rate = 120 where poverty_rate is not null",
            "marts.poverty_rate_series: expect_column_values_to_be_between {'batch_id': 'marts-poverty_rate_series', "
            "'column': 'poverty_rate'",
        ),
    ],
)
def test_checkpoint_fails_on_a_broken_mart(
    built_warehouse: Path, tmp_path: Path, statement: str, expected: str
) -> None:
    broken = tmp_path / "broken.duckdb"
    shutil.copy(built_warehouse, broken)
    with duckdb.connect(str(broken)) as con:
        con.execute(statement)
    failures = validate(broken, tmp_path / "data_docs")
    assert any(f.startswith(expected) for f in failures), failures
