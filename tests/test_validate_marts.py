"""The Great Expectations checkpoint passes on the built marts and fails on a broken one."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from ntp_poverty.validate.marts import SpecError, mart_specs, validate

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def test_every_mart_has_a_suite_from_its_dbt_yaml(built_warehouse: Path) -> None:
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        marts = sorted(
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        )
    specs = mart_specs(ROOT, marts)
    assert set(specs) == set(marts)
    # the suites are the YAML's declarations, not a list of their own
    funding_mix = specs["funding_mix"]
    assert funding_mix.grain == ("geography_code", "fiscal_year", "phase_code", "project_code")
    assert funding_mix.columns["total_funding"] == "float"
    assert funding_mix.columns["fiscal_year"] == "int"
    assert funding_mix.ranges["share_central"] == (0, 1)
    assert "check: total_funding = central_budget + local_budget + other_mobilized + unspecified_source" in (
        funding_mix.identities
    )
    assert "is_met" not in specs["target_attainment"].required  # null until a result settles it
    assert "target_year" in specs["target_attainment"].required  # a not_null constraint


def test_a_mart_without_a_yaml_entry_or_contract_has_no_suite(tmp_path: Path) -> None:
    (tmp_path / "models" / "marts").mkdir(parents=True)
    (tmp_path / "models" / "marts" / "_m.yml").write_text(
        "version: 2\nmodels:\n- name: amounts\n  columns:\n  - name: a\n    data_type: integer\n",
        encoding="utf-8",
    )
    with pytest.raises(SpecError, match=r"_m\.yml: mart amounts has no enforced contract"):
        mart_specs(tmp_path, ["amounts"])
    with pytest.raises(SpecError, match=r"marts without a dbt YAML entry: other"):
        mart_specs(tmp_path, ["other"])


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
            "marts.funding_mix: expect_column_values_to_be_in_set {'batch_id': 'marts-funding_mix', "
            "'column': 'check: total_funding = central_budget + local_budget + other_mobilized + unspecified_source'",
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
            "marts.target_attainment: expect_column_values_to_be_in_set {'batch_id': 'marts-target_attainment', "
            # (the expression holds quotes: Python quotes its name with double quotes)
            "'column': \"check: case when is_met is null then attainment_status not in",
        ),
        (
            # an identity with a where filter: only the rows it selects must hold
            "update marts.yoy_change set abs_change = abs_change + 1 "
            "where is_like_for_like and prior_year_amount is not null",
            "marts.yoy_change: expect_column_values_to_be_in_set {'batch_id': 'marts-yoy_change', "
            "'column': 'check: abs_change = amount - prior_year_amount where prior_year_amount is not null",
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
