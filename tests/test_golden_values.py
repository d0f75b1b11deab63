"""Mart values computed by hand from the documents (line numbers cite the source of each)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.slow


def _one(warehouse: Path, sql: str, *params):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(sql, list(params)).fetchall()
    assert len(rows) == 1, rows
    return rows[0]


FUNDING_MIX = (
    "select {col} from marts.funding_mix where geography_code = ? and fiscal_year = ? "
    "and phase_code = ? and project_code = ?"
)


@pytest.mark.parametrize(
    ("column", "key", "expected", "source"),
    [
        # 000 Phụ lục I, row "Tổng cộng", line 174: central budget 78.529
        ("central_budget", ("94", 2024, "requested", "ALL"), Decimal("78529"), "000:174"),
        # 000 Phụ lục II lines 315 + 318: 87.674 (central + local) + 1.850 other mobilised
        ("total_funding", ("94", 2025, "requested", "ALL"), Decimal("89524"), "000:315,318"),
        # 001 line 89: 15.555,25 allocated in 2024
        ("total_funding", ("126", 2024, "allocated", "ALL"), Decimal("15555.25"), "001:89"),
        # 003 appendix, "Kinh phí các dự án 01 năm", line 601: 53.175 per year (2023: all sources)
        ("total_funding", ("86", 2023, "requested", "ALL"), Decimal("53175"), "003:601"),
        # 003 footnote [1], line 648: no local budget in 2022
        ("local_budget", ("86", 2022, "requested", "ALL"), Decimal("0"), "003:648"),
        # 004 line 267: DA2 policy credit 820.000, kept apart from total funding (41.128 + 1.234)
        ("policy_credit", ("20", 2024, "requested", "DA2"), Decimal("820000"), "004:267"),
        ("total_funding", ("20", 2024, "requested", "DA2"), Decimal("42362"), "004:267"),
        # 004 line 357: development investment 108.571 in the 2024 request
        ("development_investment", ("20", 2024, "requested", "ALL"), Decimal("108571"), "004:357"),
    ],
)
def test_funding_mix(built_warehouse: Path, column: str, key: tuple, expected: Decimal, source: str) -> None:
    (value,) = _one(built_warehouse, FUNDING_MIX.format(col=column), *key)
    assert value == expected, source


def test_funding_mix_counterpart_ratio_song_ma(built_warehouse: Path) -> None:
    # 001 lines 91 and 93: local counterpart 466,25 against central 15.089
    (ratio,) = _one(built_warehouse, FUNDING_MIX.format(col="counterpart_ratio"), "126", 2024, "allocated", "ALL")
    assert ratio == pytest.approx(466.25 / 15089)


def test_cross_province_ranking_of_livelihoods_2024(built_warehouse: Path) -> None:
    # DA2 2024 requests: Lạng Sơn 41.128 + 1.234 (004:267); Sóc Trăng 29.920 + 1.000 (000:194,197);
    # Vĩnh Long 14.750 + 500 + 500 per year (003:295,298,299)
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        rows = con.execute(
            "select geography_code, amount, rank_in_admin_level from marts.cross_province_comparison "
            "where fiscal_year = 2024 and phase_code = 'requested' and component_code = 'DA2' order by 3"
        ).fetchall()
    assert rows == [("20", Decimal("42362.000"), 1), ("94", Decimal("30920.000"), 2), ("86", Decimal("15750.000"), 3)]


def test_cross_province_share_of_geography_total(built_warehouse: Path) -> None:
    # Sông Mã DA2 7.133,25 of 15.555,25 (001:129, 001:89); districts are ranked only among districts
    share, rank, n = _one(
        built_warehouse,
        "select share_of_geography_total, rank_in_admin_level, n_geographies_compared "
        "from marts.cross_province_comparison where geography_code = '126' and component_code = 'DA2'",
    )
    assert share == pytest.approx(7133.25 / 15555.25)
    assert (rank, n) == (1, 1)


YOY = (
    "select amount, prior_year_amount, abs_change, is_like_for_like from marts.yoy_change "
    "where geography_code = ? and component_code = 'ALL' and funding_source_code = 'ALL' and fiscal_year = ?"
)


def test_yoy_soc_trang_2025(built_warehouse: Path) -> None:
    # 000: 2025 87.674 + 1.850 (lines 315, 318) vs 2024 86.419 + 1.850 (lines 173, 176)
    assert _one(built_warehouse, YOY, "94", 2025) == (Decimal("89524"), Decimal("88269"), Decimal("1255"), True)


def test_yoy_vinh_long_2023_local_budget_starts(built_warehouse: Path) -> None:
    # 003: local budget (3.100 a year, line 608) starts in 2023 (footnote, line 648)
    assert _one(built_warehouse, YOY, "86", 2023) == (Decimal("53175"), Decimal("50075"), Decimal("3100"), True)


def test_yoy_lang_son_change_across_phases_is_flagged(built_warehouse: Path) -> None:
    amount, prior, change, like_for_like = _one(built_warehouse, YOY, "20", 2024)
    assert like_for_like is False  # 2023 allocated (part A) vs 2024 requested (part B)
    assert prior is not None and change is None  # shown, but never subtracted across phases
    assert amount == Decimal("265551")  # the parts of 265.601 (004:357); see audit for the 50


def test_target_conflict_soc_trang_stunting(built_warehouse: Path) -> None:
    # 002 line 4: "xuống dưới 12%" (issued plan) wins over 000 line 18: "xuống dưới 8%" (draft)
    row = _one(
        built_warehouse,
        "select comparator, low, document_id, has_conflict, conflicting_values, conflicting_document_ids "
        "from marts.target_comparison where indicator_code = 'child_stunting_rate' and geography_code = '94' "
        "and target_year = 2024",
    )
    assert row == ("<", Decimal("12.000"), "soctrang_2024_issued_news", True, "< 8", "soctrang_2024_2025_draft")


def test_target_without_conflict_vinh_long(built_warehouse: Path) -> None:
    # 003 line 50: "ít nhất 60% hộ nghèo, hộ cận nghèo sử dụng nhà tiêu hợp vệ sinh"
    row = _one(
        built_warehouse,
        "select comparator, low, has_conflict from marts.target_comparison "
        "where indicator_code = 'hygienic_latrine_rate' and geography_code = '86' and target_year = 2025",
    )
    assert row == ("≥", Decimal("60.000"), False)
