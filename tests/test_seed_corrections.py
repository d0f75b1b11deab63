"""The transcription follows the documents' own periods, capital types and repeats (issue 9, §1).

These read the seeds and documents directly (no build): each asserts a class of rule over every row
it applies to, so a new row that breaks the rule fails here with its id.
"""

from __future__ import annotations

import csv
import re
import unicodedata

import pytest

from conftest import DOCUMENTS, SEEDS
from ntp_poverty.validate.seed_rules import REPEAT_COLUMNS

VINH_LONG = "vinhlong_2022_2025_qd1424"
CELL = re.compile(r"cột (\d+):")


def _rows(name: str) -> list[dict[str, str]]:
    with (SEEDS / "transcription" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _line(file_name: str, number: int) -> str:
    text = (DOCUMENTS / file_name).read_text(encoding="utf-8")
    return unicodedata.normalize("NFC", text.split("\n")[number - 1])


AMOUNTS = _rows("plan_amounts")
BY_ID = {r["amount_id"]: r for r in AMOUNTS}


def test_period_printed_is_on_the_rows_own_line() -> None:
    wrong = [
        r["amount_id"]
        for r in AMOUNTS
        if r["period_printed"] and r["period_printed"] not in _line(r["source_file"], int(r["source_line"]))
    ]
    assert wrong == []


def test_an_inferred_period_states_its_rule_and_is_never_also_printed() -> None:
    for r in AMOUNTS:
        assert not (r["period_printed"] and r["period_inferred"]), r["amount_id"]
        assert bool(r["period_inferred"]) == bool(r["period_rule"]) or r["period_printed"], r["amount_id"]
        if r["period_start_year"] and not r["period_printed"]:
            assert r["period_inferred"] and r["period_rule"], r["amount_id"]


def test_the_heading_period_of_langson_line_49_is_inferred_not_printed() -> None:
    row = BY_ID["langson_2024_pip_draft:0049:1"]
    assert row["period_printed"] == ""
    assert row["period_inferred"] == "6 tháng đầu năm"
    assert "line 13" in row["period_rule"]


def _appendix_cells() -> dict[tuple[int, int], dict[str, str]]:
    """Vĩnh Long's appendix by (line of the row's first cell, column number)."""
    cells = {}
    for r in AMOUNTS:
        if r["document_id"] == VINH_LONG and r["statement_group"] == "appendix":
            column = int(CELL.search(r["locator"]).group(1))
            cells[(int(r["source_line"]) - column + 1, column)] = r
    return cells


def test_vinh_long_per_year_cells_hold_only_for_the_years_of_their_sources() -> None:
    """Footnote [1]: central budget 2022-2025, local budget 2023-2025. A per-year cell that includes a
    non-nil local part (columns 5, 6, 7 with columns 12, 13, 14) holds for 2023-2025 only."""
    cells = _appendix_cells()
    checked = 0
    for (row_start, column), cell in cells.items():
        if cell["amount_basis"] != "per_year":
            continue
        if column in (12, 13, 14):
            assert cell["period_start_year"] == "2023", cell["amount_id"]
        if column in (5, 6, 7):
            local = cells[(row_start, column + 7)]
            expected = "2023" if local["amount_million_vnd"] != "0" else "2022"
            assert (cell["period_start_year"], cell["period_end_year"]) == (expected, "2025"), cell["amount_id"]
            checked += 1
    assert checked == 42  # 14 rows × columns 5, 6, 7


def test_line_289_is_a_2023_2025_figure() -> None:
    row = BY_ID[f"{VINH_LONG}:0289:1"]
    assert (row["value_printed"], row["period_start_year"], row["period_end_year"]) == ("15.750", "2023", "2025")
    assert "footnote [1]" in row["period_rule"]


def test_repeats_are_marked_in_the_seed_and_point_at_the_same_cell() -> None:
    repeats = [r for r in AMOUNTS if r["repeats_amount_id"]]
    assert len(repeats) == 15
    for r in repeats:
        original = BY_ID[r["repeats_amount_id"]]
        assert not original["repeats_amount_id"]
        for key in (*REPEAT_COLUMNS, "value_printed"):
            assert r[key] == original[key], (r["amount_id"], key)


def test_housing_scheme_is_one_period_amount_2021_2025_in_amounts_and_targets() -> None:
    amounts = [
        r for r in AMOUNTS if r["amount_id"].startswith("langson_2024_pip_draft:0133:") and r["unit_printed"] != "%"
    ]
    targets = [r for r in _rows("plan_targets") if r["target_id"].startswith("langson_2024_pip_draft:0133:")]
    assert {(r["period_start_year"], r["period_end_year"]) for r in amounts} == {("2021", "2025")}
    assert {(r["target_year_start"], r["target_year_end"]) for r in targets} == {("2021", "2025")}
    assert all("footnote 4" in r["period_rule"] for r in amounts)


@pytest.mark.parametrize(
    ("amount_id", "basis"),
    [
        ("songma_2024_plan:0091:1", "parts"),  # section V central parts all "vốn sự nghiệp"
        (f"{VINH_LONG}:0070:1", "total"),  # line 191: the whole local budget is "(vốn sự nghiệp)"
        (f"{VINH_LONG}:0162:1", "total"),
        ("soctrang_2024_2025_draft:0030:1", "parts"),  # restates Phụ lục I + II, both sự nghiệp
        ("soctrang_2024_2025_draft:0102:1", "parts"),
    ],
)
def test_capital_type_follows_the_printed_parts_or_total(amount_id: str, basis: str) -> None:
    row = BY_ID[amount_id]
    assert (row["capital_type_code"], row["capital_type_basis"]) == ("recurrent", basis)


def test_songma_central_total_equals_its_recurrent_parts() -> None:
    """The evidence for basis = parts on 001 line 91: every section V central amount is recurrent."""
    parts = [
        r
        for r in AMOUNTS
        if r["document_id"] == "songma_2024_plan"
        and r["statement_group"] == "section_V"
        and r["funding_source_code"] == "central_budget"
    ]
    assert {r["capital_type_code"] for r in parts} == {"recurrent"}
    assert sum(int(r["amount_million_vnd"]) for r in parts) == int(
        BY_ID["songma_2024_plan:0091:1"]["amount_million_vnd"]
    )


def test_vinh_long_local_budget_parts_add_up_to_the_recurrent_total_of_line_191() -> None:
    parts = [
        r
        for r in AMOUNTS
        if r["document_id"] == VINH_LONG
        and r["statement_group"] == "section_III"
        and r["funding_source_code"] == "local_budget"
    ]
    total = BY_ID[f"{VINH_LONG}:0191:1"]
    assert (total["capital_type_code"], "(vốn sự nghiệp)" in total["source_text"]) == ("recurrent", True)
    assert {r["capital_type_code"] for r in parts} == {"recurrent"}
    assert sum(float(r["amount_million_vnd"]) for r in parts) == float(total["amount_million_vnd"])
