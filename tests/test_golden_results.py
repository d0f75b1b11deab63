"""Results, baselines and target attainment computed by hand from the documents (file:line cited)."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from conftest import DOCUMENTS, SEEDS
from ntp_poverty.validate.provenance import check_seed

RESULTS = SEEDS / "transcription" / "plan_results.csv"
slow = pytest.mark.slow


def _rows(warehouse: Path, sql: str, *params) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def _one(warehouse: Path, sql: str, *params) -> tuple:
    rows = _rows(warehouse, sql, *params)
    assert len(rows) == 1, rows
    return rows[0]


def test_every_result_row_is_proven_by_its_document() -> None:
    with RESULTS.open(encoding="utf-8", newline="") as handle:
        expected = sum(1 for _ in csv.DictReader(handle))
    checked, problems = check_seed(RESULTS, DOCUMENTS)
    assert problems == []
    assert checked == expected > 0


SERIES = (
    "select poverty_rate, poverty_rate_source_line, poor_households_count, poverty_rate_reduction_pp, "
    "n_values_printed from marts.poverty_rate_series "
    "where geography_code = ? and reference_year = ? and value_kind = ?"
)


@slow
def test_lang_son_poverty_rate_2022_review(built_warehouse: Path) -> None:
    # 004 line 207: "tổng số hộ nghèo là 17.497 hộ, chiếm 8,92%" and "giảm 3,28% so với năm 2021
    # (từ 12,2% xuống 8,92%...)": 8,92 printed twice, 17.497 twice, 3,28 once = 5 printed values
    rate, line, households, reduction, n_printed = _one(built_warehouse, SERIES, "20", 2022, "result")
    assert rate == Decimal("8.920")
    assert line == 207
    assert households == Decimal("17497.000")
    assert reduction == Decimal("3.280")
    assert n_printed == 5


@slow
def test_lang_son_baseline_2021_and_reduction_add_up(built_warehouse: Path) -> None:
    # 004 line 207: "từ 12,2% xuống 8,92%" is the 2021 starting point; 12,2 - 8,92 = 3,28 as printed
    rate, line, _, _, _ = _one(built_warehouse, SERIES, "20", 2021, "baseline")
    assert (rate, line) == (Decimal("12.200"), 207)
    (printed_reduction,) = _one(
        built_warehouse,
        "select value_numeric from core.fct_result where indicator_code = 'poverty_rate_reduction' "
        "and geography_code = '20' and reference_year = 2022",
    )
    assert printed_reduction == rate - Decimal("8.92")


@slow
def test_lang_son_near_poor_and_ethnic_minority_2022(built_warehouse: Path) -> None:
    # 004 line 207: 20.320 near-poor households (10,36%); 16.664 of 159.826 ethnic-minority households
    # are poor (printed 10,42%); poor + near-poor 17.497 + 20.320 = 37.817 as printed
    values = dict(
        _rows(
            built_warehouse,
            "select indicator_code, max(value_numeric) from core.fct_result where document_id = "
            "'langson_2024_pip_draft' and source_line = 207 group by all",
        )
    )
    assert values["near_poor_households_count"] == Decimal("20320")
    assert values["near_poverty_rate"] == Decimal("10.36")
    assert values["ethnic_minority_poverty_rate"] == Decimal("10.42")
    assert values["ethnic_minority_households_count"] == Decimal("159826")
    assert (
        values["poor_households_count"] + values["near_poor_households_count"]
        == values["poor_and_near_poor_households_count"]
    )
    assert values["poverty_reduction_plan_attainment_rate"] == Decimal("109")


ATTAINMENT = (
    "select result_value, attainment_ratio, attainment_status, is_met, result_source_line "
    "from marts.target_attainment where target_id = ? and target_year = ?"
)


@slow
def test_models_2023_attainment_ratio(built_warehouse: Path) -> None:
    # 004 line 89: "Dự kiến thực hiện 99 mô hình" (2023 target) and "Trong 6 tháng đầu năm 2023 đã
    # phê duyệt được 32 mô hình": 32 / 99, a half-year count that does not settle the target yet
    value, ratio, status, met, line = _one(built_warehouse, ATTAINMENT, "langson_2024_pip_draft:0089:1", 2023)
    assert value == Decimal("32.000")
    assert ratio == pytest.approx(32 / 99)
    assert (status, met, line) == ("not_yet_met", None, 89)


@slow
def test_staff_training_2023_attainment_ratio(built_warehouse: Path) -> None:
    # 004 line 157: target "trên 3.300 cán bộ và cộng tác viên", result so far "gần 2.000": 2000 / 3300
    value, ratio, status, met, _ = _one(built_warehouse, ATTAINMENT, "langson_2024_pip_draft:0157:2", 2023)
    assert value == Decimal("2000.000")
    assert ratio == pytest.approx(2000 / 3300)
    assert (status, met) == ("not_yet_met", None)


@slow
def test_targets_without_result_or_not_yet_due(built_warehouse: Path) -> None:
    # 000 line 13: "đến cuối năm 2025, tỷ lệ hộ nghèo toàn tỉnh còn lại dưới 2%": nothing reported for 2025
    assert _one(built_warehouse, ATTAINMENT, "soctrang_2024_2025_draft:0013:3", 2025)[2:4] == ("no_result", None)
    # 004 line 133: about 2.092 houses for the whole Đề án 2021-2025, due at the end of the period only
    assert _one(built_warehouse, ATTAINMENT, "langson_2024_pip_draft:0133:1", 2024)[2:4] == ("not_due", None)


@slow
def test_pre_departure_training_is_not_workers_sent_abroad(built_warehouse: Path) -> None:
    # 004 line 299 supports 120 workers' training before going abroad; 000 line 14 / 002 line 4 send 60
    # workers abroad: different indicators, so no cross-province row mixes them
    (indicator,) = _one(
        built_warehouse,
        "select indicator_code from core.fct_target where target_id = ?",
        "langson_2024_pip_draft:0299:1",
    )
    assert indicator == "pre_departure_training_workers"
    sent_abroad = _rows(
        built_warehouse,
        "select geography_code, low from marts.target_comparison "
        "where indicator_code = 'overseas_contract_workers' order by all",
    )
    assert {g for g, _ in sent_abroad} == {"94"}
    # 004 line 121: 120 workers already in language training in 2023 share the indicator
    (trained_2023,) = _one(
        built_warehouse,
        "select value_numeric from core.fct_result where indicator_code = "
        "'pre_departure_training_workers' and reference_year = 2023",
    )
    assert trained_2023 == Decimal("120.000")


@slow
def test_soc_trang_2024_reduction_target_precedence(built_warehouse: Path) -> None:
    # 002 line 4 (issued plan): "Giảm tỷ lệ hộ nghèo bình quân 01%/năm" wins over 000 line 13 (draft):
    # "từ 1,5% - 2%"; the two differ
    row = _one(
        built_warehouse,
        "select poverty_rate_reduction_pp, poverty_rate_reduction_comparator, poverty_rate_reduction_document_id, "
        "poverty_rate_reduction_source_line, has_differing_values from marts.poverty_rate_series "
        "where geography_code = '94' and reference_year = 2024 and value_kind = 'target'",
    )
    assert row == (Decimal("1.000"), "=", "soctrang_2024_issued_news", 4, True)


@slow
def test_results_come_from_lang_son_only(built_warehouse: Path) -> None:
    counts = dict(_rows(built_warehouse, "select document_id, count(*) from core.fct_result group by all"))
    assert counts == {"langson_2024_pip_draft": 61}
