"""The sum-consistency gate closes: a broken identity fails the build and names the total."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from conftest import copy_project, run_dbt

pytestmark = pytest.mark.slow


def _rewrite_csv(path: Path, keep) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    fields = list(rows[0])
    rows = [r for r in (keep(dict(r)) for r in rows) if r is not None]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _build(project: Path, tmp_path: Path):
    return run_dbt(["build", "--full-refresh"], tmp_path / "w.duckdb", tmp_path, project)


def test_changing_one_leaf_by_one_million_fails_the_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path)

    def bump(row: dict[str, str]) -> dict[str, str]:
        if row["amount_id"] == "soctrang_2024_2025_draft:0195:1":  # Phụ lục I, DA2, central budget
            assert row["amount_million_vnd"] == "27195"
            row["amount_million_vnd"] = row["value_numeric"] = "27196"
        return row

    _rewrite_csv(project / "seeds" / "transcription" / "plan_amounts.csv", bump)
    result = _build(project, tmp_path)
    assert result.returncode != 0
    assert (
        "UNACKNOWLEDGED ARITHMETIC MISMATCH: check funding_sources_to_total, "
        "document soctrang_2024_2025_draft, line 194 (Phụ lục I, STT 2, cột Tổng cộng): printed "
    ) in result.stdout
    assert "check components_to_total, document soctrang_2024_2025_draft, line 174" in result.stdout


def test_removing_an_acknowledgment_fails_the_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    _rewrite_csv(
        project / "seeds" / "reference" / "acknowledged_source_errors.csv",
        lambda row: None if row["source_line"] == "159" else row,
    )
    result = _build(project, tmp_path)
    assert result.returncode != 0
    assert (
        "UNACKNOWLEDGED ARITHMETIC MISMATCH: check funding_sources_to_total, document langson_2024_pip_draft, line 159"
    ) in result.stdout


def test_the_audit_lists_exactly_the_printed_inconsistencies(built_warehouse: Path) -> None:
    """Every arithmetic inconsistency printed in the five documents, with exact differences."""
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        rows = con.execute(
            "select document_id, source_line, check_code, capital_type_code, "
            "cast(difference_million_vnd as varchar), is_acknowledged "
            "from audit.sum_check_findings where classification = 'arithmetic_mismatch' "
            "order by 1, 2, 3, 4"
        ).fetchall()
    assert rows == [
        ("langson_2024_pip_draft", 35, "capital_types_to_total", "total", "53.000", True),
        ("langson_2024_pip_draft", 159, "funding_sources_to_total", "unspecified", "-1789.000", True),
        ("langson_2024_pip_draft", 261, "funding_sources_to_total", "recurrent", "30.000", True),
        ("langson_2024_pip_draft", 325, "funding_sources_to_total", "unspecified", "20.000", True),
        ("langson_2024_pip_draft", 357, "components_to_total", "recurrent", "50.000", True),
        ("langson_2024_pip_draft", 357, "components_to_total", "total", "50.000", True),
        ("langson_2024_pip_draft", 359, "components_to_total", "total", "50.000", True),
    ]


def test_a_per_year_total_claimed_one_year_too_long_fails_the_build(tmp_path: Path) -> None:
    """Vĩnh Long line 289 (15.750 = 14.750 central + 500 local + 500 other) holds for 2023-2025:
    claiming it for 2022 too, when the local budget does not exist yet, must close the gate."""
    project = copy_project(tmp_path)

    def lengthen(row: dict[str, str]) -> dict[str, str]:
        if row["amount_id"] == "vinhlong_2022_2025_qd1424:0289:1":
            assert (row["period_start_year"], row["period_end_year"]) == ("2023", "2025")
            row["period_start_year"] = "2022"
        return row

    _rewrite_csv(project / "seeds" / "transcription" / "plan_amounts.csv", lengthen)
    result = _build(project, tmp_path)
    assert result.returncode != 0
    assert (
        "UNACKNOWLEDGED ARITHMETIC MISMATCH: check per_year_total_equals_leaves, "
        "document vinhlong_2022_2025_qd1424, line 289 in fiscal year 2022"
    ) in result.stdout
    # the years the total really holds for still agree: only 2022 is named
    assert "line 289 in fiscal year 2023" not in result.stdout


def test_an_unmarked_repeat_printing_fails_the_build(tmp_path: Path) -> None:
    """Column 8 of Vĩnh Long's appendix repeats column 15; without the seed's flag the cell would be
    counted twice, and the uniqueness test on the printings closes the gate."""
    project = copy_project(tmp_path)

    def unmark(row: dict[str, str]) -> dict[str, str]:
        if row["amount_id"] == "vinhlong_2022_2025_qd1424:0292:1":
            assert row["repeats_amount_id"] == "vinhlong_2022_2025_qd1424:0299:1"
            row["repeats_amount_id"] = ""
        return row

    _rewrite_csv(project / "seeds" / "transcription" / "plan_amounts.csv", unmark)
    result = _build(project, tmp_path)
    assert result.returncode != 0
    assert "unique_combination_of_columns_int_plan_amounts_printings" in result.stdout


def test_a_repeat_pointing_at_another_cell_fails_the_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path)

    def misdirect(row: dict[str, str]) -> dict[str, str]:
        if row["amount_id"] == "vinhlong_2022_2025_qd1424:0292:1":
            row["repeats_amount_id"] = "vinhlong_2022_2025_qd1424:0298:1"  # local recurrent, also 500
        return row

    _rewrite_csv(project / "seeds" / "transcription" / "plan_amounts.csv", misdirect)
    result = _build(project, tmp_path)
    assert result.returncode != 0
    assert "repeat_printings_match_original" in result.stdout


def test_per_year_totals_are_checked_in_every_year_they_claim(built_warehouse: Path) -> None:
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        years = con.execute(
            "select reported_total_id, list(fiscal_year order by fiscal_year), "
            "bool_and(difference_million_vnd = 0) "
            "from audit.sum_checks where check_code = 'per_year_total_equals_leaves' "
            "and reported_total_id in ('vinhlong_2022_2025_qd1424:0289:1', "
            "'vinhlong_2022_2025_qd1424:0293:1') group by 1 order by 1"
        ).fetchall()
        (n_checks,) = con.execute(
            "select count(*) from audit.sum_checks where check_code = 'per_year_total_equals_leaves'"
        ).fetchone()
    assert years == [
        ("vinhlong_2022_2025_qd1424:0289:1", [2023, 2024, 2025], True),  # includes local budget
        ("vinhlong_2022_2025_qd1424:0293:1", [2022, 2023, 2024, 2025], True),  # central only
    ]
    assert n_checks == 328
