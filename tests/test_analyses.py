"""Every analysis compiles and runs against the built marts, and answers its question correctly."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT, run_dbt

pytestmark = pytest.mark.slow

ANALYSES = sorted(p.stem for p in (ROOT / "analyses").glob("*.sql"))


@pytest.fixture(scope="module")
def answers(built_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple]]:
    workdir = tmp_path_factory.mktemp("analyses")
    result = run_dbt(["compile", "--select", "resource_type:analysis"], built_warehouse, workdir)
    assert result.returncode == 0, result.stdout[-3000:]
    compiled = workdir / "target" / "compiled" / "ntp_poverty" / "analyses"
    out = {}
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        for name in ANALYSES:
            sql = (compiled / f"{name}.sql").read_text(encoding="utf-8")
            assert "staging." not in sql and '"staging"' not in sql and '"core"' not in sql, name
            out[name] = con.execute(sql).fetchall()
    return out


def test_there_are_at_least_eight_analyses_each_with_a_question() -> None:
    assert len(ANALYSES) >= 8
    for name in ANALYSES:
        header = (ROOT / "analyses" / f"{name}.sql").read_text(encoding="utf-8").splitlines()[:3]
        assert header[0].startswith("-- Question:"), name


@pytest.mark.parametrize("name", ANALYSES)
def test_every_analysis_returns_rows(answers: dict[str, list[tuple]], name: str) -> None:
    assert answers[name], name


def test_livelihoods_share_2024(answers: dict[str, list[tuple]]) -> None:
    first = answers["01_livelihoods_share_2024"][0]
    # Sóc Trăng: DA2 29.920 + 1.000 (000:194,197) of 86.419 + 1.850 (000:173,176)
    assert first[:2] == ("94", "Sóc Trăng") and first[-1] == 1
    assert first[6] == pytest.approx(round(30920 / 88269, 4))
    district = [r for r in answers["01_livelihoods_share_2024"] if r[2] == "district"]
    assert district[0][-1] is None  # Sông Mã is not ranked against provinces


def test_counterpart_ratio_vs_floors(answers: dict[str, list[tuple]]) -> None:
    rows = {(r[0], r[3], r[4]): r for r in answers["02_counterpart_ratio_vs_floors"]}
    soc_trang = rows[("94", 2024, "requested")]  # 7.890 / 78.529 (000:175,174)
    assert soc_trang[8].startswith("not known")
    assert soc_trang[9:] == (True, True, False)
    assert rows[("86", 2022, "requested")][9:] == (False, False, False)  # no local budget in 2022


def test_largest_sub_project_change(answers: dict[str, list[tuple]]) -> None:
    top = answers["03_largest_yoy_changes_by_sub_project"][0]
    # Vĩnh Long DA4.1: local budget 1.650 a year starts in 2023 (003:416, footnote 648)
    assert top[:4] == ("86", "DA4.1", 2023, "requested")
    assert top[6] == Decimal("1650.000")


def test_target_conflicts(answers: dict[str, list[tuple]]) -> None:
    rows = answers["04_target_conflicts_draft_vs_issued"]
    assert len(rows) == 9
    assert {r[7] for r in rows} == {"soctrang_2024_issued_news"}


def test_unreconciled_totals(answers: dict[str, list[tuple]]) -> None:
    rows = {(r[0], r[1]): r for r in answers["05_unreconciled_printed_totals"]}
    # one row per phase, never added: allocated 1.789 (004:159), disbursed 53 (004:35), requested
    # 30 + 20 + 3 x 50 (004 lines 261, 325, 357, 357, 359)
    langson = {phase: rows[("langson_2024_pip_draft", phase)] for phase in ("allocated", "disbursed", "requested")}
    assert {phase: row[9] for phase, row in langson.items()} == {
        "allocated": Decimal("1789.000"),
        "disbursed": Decimal("53.000"),
        "requested": Decimal("200.000"),
    }
    assert sum(row[5] for row in langson.values()) == 7 and all(row[5] == row[6] for row in langson.values())
    # the 2023 disbursements of DA2, DA3.1 and DA3.2 print no source split (004:89, 97, 101)
    assert (langson["disbursed"][8], langson["disbursed"][10]) == (3, Decimal("22462.000"))
    for (document, _phase), row in rows.items():
        if document in ("soctrang_2024_2025_draft", "songma_2024_plan", "vinhlong_2022_2025_qd1424"):
            assert row[5] == 0 and row[9] == 0


def test_development_vs_recurrent(answers: dict[str, list[tuple]]) -> None:
    rows = {(r[0], r[2], r[3]): r for r in answers["06_development_vs_recurrent_by_province"]}
    assert rows[("20", 2024, "requested")][4] == Decimal("108571.000")  # 004:357
    assert rows[("94", 2024, "requested")][8] == pytest.approx(round(86419 / 88269, 4))  # appendices are recurrent


def test_vocational_ranking(answers: dict[str, list[tuple]]) -> None:
    rows = answers["07_vocational_education_ranking_2024"]
    assert [r[5] for r in rows] == sorted(r[5] for r in rows)
    # Lạng Sơn DA4: 4.436 + 8.340 + 1.651 + 3.541 + 6.642 (004:293-319) > Sóc Trăng 21.978 (000:222)
    assert [(r[0], r[3]) for r in rows] == [
        ("20", Decimal("24610.000")),
        ("94", Decimal("21978.000")),
        ("86", Decimal("17400.000")),
    ]


def test_policy_credit(answers: dict[str, list[tuple]]) -> None:
    rows = answers["08_policy_credit_against_budget"]
    assert [(r[0], r[4], r[6]) for r in rows] == [
        ("20", "ALL", Decimal("820000.000")),
        ("20", "DA2", Decimal("820000.000")),
    ]  # 004:267


def test_findings_by_line(answers: dict[str, list[tuple]]) -> None:
    lines = {(r[0], r[1]) for r in answers["09_data_quality_findings_by_line"]}
    assert lines == {("langson_2024_pip_draft", n) for n in (31, 35, 159, 261, 325, 357, 359)}
