"""Documents nobody here transcribed before, brought in as a new user would (tests/documents/: texts
written for the tests, never in documents/): registered with their SHA-256, transcribed with
provenance, the preflight clean, `dbt build` green; then every amount of theirs is in a mart or in
the accounting with its reason.

- t01 (Cao Bằng, 2024 allocation): a project amount with no source split (Dự án 2, 5.000) beside a
  project split by source (Dự án 3).
- t02 (Bảo Lạc district, 2024 request): a district counterpart budget (ngân sách huyện đối ứng) and an
  amount printed with a qualifier (hơn 100).
- t03 (Điện Biên, a news item of July 2025): a disbursement to a date (lũy kế đến 30/6/2025, 1.720 tỷ)
  beside the year's allocation (2.300 tỷ), with the percentage it prints (74,80 %), which the printed
  amounts give within their printed precision (1.720 / 2.300 = 74,78 %).
- t04 (Cần Thơ, a news item of September 2025 about the province merged on 1 July 2025 with Hậu Giang
  and Sóc Trăng): a five-year allocation (2021-2025) split by source and capital type, keyed to the
  2025 version 92@2025.

One full build of a copy of the project: `make test-all` (make test proves each rule on the shared
build: tests/test_amount_accounting.py).
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from conftest import NTP, ROOT, copy_project, run_dbt

pytestmark = pytest.mark.exhaustive

TEST_DOCUMENTS = ROOT / "tests" / "documents"
#: seed of the project -> the fragment of rows tests/documents/seeds/ adds to it
FRAGMENTS = {
    "reference/documents.csv": "documents.csv",
    "reference/statement_groups.csv": "statement_groups.csv",
    "transcription/plan_amounts.csv": "plan_amounts.csv",
    "transcription/printed_percentages.csv": "printed_percentages.csv",
    "transcription/plan_targets.csv": "plan_targets.csv",
    "transcription/plan_results.csv": "plan_results.csv",
}


def add_test_documents(project: Path) -> None:
    """The texts into the copy's documents/, their rows after the seeds' own (same header)."""
    for text in TEST_DOCUMENTS.glob("*.txt"):
        shutil.copyfile(text, project / "documents" / text.name)
    for seed, fragment in FRAGMENTS.items():
        header, *rows = (TEST_DOCUMENTS / "seeds" / fragment).read_text(encoding="utf-8").splitlines()
        target = project / "seeds" / seed
        text = target.read_text(encoding="utf-8")
        assert text.splitlines()[0] == header, f"{fragment}: header differs from seeds/{seed}"
        target.write_text(text + "".join(row + "\n" for row in rows), encoding="utf-8")


@pytest.fixture(scope="module")
def new_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("new_documents")
    project = copy_project(work)
    add_test_documents(project)
    preflight = subprocess.run(
        [str(NTP), "preflight", "--seeds", str(project / "seeds"), "--documents", str(project / "documents")],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert preflight.returncode == 0, preflight.stdout + preflight.stderr
    warehouse = work / "ntp_poverty.duckdb"
    result = run_dbt(["build", "--full-refresh"], warehouse, work / "dbt", project=project)
    assert result.returncode == 0, result.stdout[-6000:]
    return warehouse


def _rows(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_every_amount_of_the_new_documents_is_counted_or_has_its_reason(new_build: Path) -> None:
    rows = _rows(
        new_build,
        "select amount_key, reason_code, counted_in from audit.amount_accounting "
        "where document_id like 'test_%' order by amount_key",
    )
    reasons = {key.rsplit(":", 1)[0] if key.count(":") == 3 else key: reason for key, reason, _ in rows}
    assert reasons == {
        "test_baolac_2024:0004:1": "annual_leaf",
        "test_baolac_2024:0004:2": "annual_leaf",
        "test_baolac_2024:0004:3": "annual_leaf",
        "test_caobang_2024:0004:1": "unitemised_total",
        "test_caobang_2024:0005:1": "checked_total",
        "test_caobang_2024:0005:2": "annual_leaf",
        "test_caobang_2024:0005:3": "annual_leaf",
        "test_dienbien_2025:0004:1": "annual_leaf",
        "test_dienbien_2025:0005:1": "to_date_leaf",
        "test_cantho_2025:0004:1": "checked_total",
        "test_cantho_2025:0005:1": "checked_total",
        "test_cantho_2025:0005:2": "multi_year_leaf",
        "test_cantho_2025:0005:3": "multi_year_leaf",
        "test_cantho_2025:0006:1": "checked_total",
        "test_cantho_2025:0006:2": "multi_year_leaf",
        "test_cantho_2025:0006:3": "multi_year_leaf",
    }
    assert all(counted for _, reason, counted in rows if reason != "checked_total")


def test_a_project_amount_with_no_source_split_keeps_its_money(new_build: Path) -> None:
    [mix] = _rows(
        new_build,
        "select central_budget, local_budget, unspecified_source, total_funding from marts.funding_mix "
        "where geography_code = '04' and fiscal_year = 2024 and phase_code = 'allocated' and project_code = 'ALL'",
    )
    assert mix == (Decimal("1000"), Decimal("200"), Decimal("5000"), Decimal("6200"))
    [rec] = _rows(
        new_build,
        "select n_unitemised_totals, unitemised_amount_million_vnd from marts.document_reconciliation "
        "where document_id = 'test_caobang_2024' and phase_code = 'allocated'",
    )
    assert rec == (1, Decimal("5000"))


def test_a_district_counterpart_budget_rolls_up_to_the_local_budget(new_build: Path) -> None:
    [(level, qualifier)] = _rows(
        new_build,
        "select budget_level, qualifier_printed from core.fct_plan_amount "
        "where document_id = 'test_baolac_2024' and funding_source_code = 'local_budget'",
    )
    assert (level, qualifier) == ("district", None)
    [(other_qualifier,)] = _rows(
        new_build,
        "select qualifier_printed from core.fct_plan_amount "
        "where document_id = 'test_baolac_2024' and funding_source_code = 'other_mobilized'",
    )
    assert other_qualifier == "hơn"
    [mix] = _rows(
        new_build,
        "select central_budget, local_budget, other_mobilized from marts.funding_mix "
        "where geography_code = '043' and fiscal_year = 2024 and phase_code = 'requested' and project_code = 'ALL'",
    )
    assert mix == (Decimal("800"), Decimal("40"), Decimal("100"))


def test_a_disbursement_to_a_date_is_its_own_grain_beside_its_allocation(new_build: Path) -> None:
    """The amount to 30 June 2025 is in no annual mart (the year's disbursed amount is not 1.720 tỷ) and
    is in execution_progress beside the allocation of the same cell: 1.720 / 2.300 = 74,78 %."""
    assert _rows(
        new_build,
        "select fiscal_year, is_to_date_amount from core.fct_plan_amount where amount_id = 'test_dienbien_2025:0005:1'",
    ) == [(None, True)]
    assert _rows(
        new_build,
        "select counted_in from audit.amount_accounting where amount_key like 'test_dienbien_2025:0005:1:%'",
    ) == [("execution_progress",)]
    [row] = _rows(
        new_build,
        "select as_of_date, amount_to_date_million_vnd, allocated_million_vnd, allocation_origin, "
        "round(execution_rate, 4) from marts.execution_progress where document_id = 'test_dienbien_2025'",
    )
    assert row[0].isoformat() == "2025-06-30"
    assert row[1:] == (Decimal("1720000"), Decimal("2300000"), "printed_for_period", 0.7478)


def test_a_printed_percentage_is_checked_within_printed_precision(new_build: Path) -> None:
    """74,80 % of 2.300 tỷ is printed beside 1.720 tỷ: 74,78 % exactly, and 74,74-74,82 % within the
    rounding of two amounts printed in whole tỷ, so the percentage agrees (no finding)."""
    [row] = _rows(
        new_build,
        "select outcome, round(computed_percent, 2), round(computed_percent_low, 2), round(computed_percent_high, 2) "
        "from audit.percentage_checks where document_id = 'test_dienbien_2025'",
    )
    assert row == ("within_rounding", 74.78, 74.74, 74.82)
    assert _rows(new_build, "select count(*) from marts.data_quality_findings where document_id like 'test_%'") == [
        (0,)
    ]


def test_a_merged_province_is_its_2025_version_with_its_five_year_allocation(new_build: Path) -> None:
    """The news item of September 2025 is keyed to Cần Thơ 92@2025 (with Hậu Giang and Sóc Trăng),
    not to the legacy 92; its 2021-2025 allocation is in period_amounts by source and capital type,
    and every printed total agrees with its parts."""
    assert _rows(
        new_build,
        "select geography_code, geography_name_vi from core.dim_document where document_id = 'test_cantho_2025'",
    ) == [("92@2025", "Cần Thơ")]
    assert _rows(
        new_build,
        "select valid_from, valid_to from core.dim_geography where geography_code in ('92', '92@2025') "
        "order by geography_code",
    ) == [(None, date(2025, 6, 30)), (date(2025, 7, 1), None)]
    rows = _rows(
        new_build,
        "select funding_source_code, capital_type_code, amount_million_vnd, amount_origin "
        "from marts.period_amounts where geography_code = '92@2025' and period_start_year = 2021 "
        "and period_end_year = 2025 and phase_code = 'allocated' and component_code = 'ALL' order by 1, 2",
    )
    assert rows == [
        ("central_budget", "development_investment", Decimal("700000"), "printed_for_period"),
        ("central_budget", "recurrent", Decimal("400000"), "printed_for_period"),
        ("local_budget", "development_investment", Decimal("100000"), "printed_for_period"),
        ("local_budget", "recurrent", Decimal("50500"), "printed_for_period"),
    ]
    assert _rows(
        new_build,
        "select check_code, outcome from audit.sum_checks where document_id = 'test_cantho_2025' order by all",
    ) == [
        ("capital_types_to_total", "match"),
        ("capital_types_to_total", "match"),
        ("funding_sources_to_total", "match"),
    ]
