"""Every transcription rule of the preflight breaks on the row that breaks it, named by file, line,
column, rule and fix, before dbt runs (src/ntp_poverty/validate/seed_rules.py)."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import pytest

from conftest import SEEDS
from ntp_poverty.validate.seed_rules import RULES, check_rules

AMOUNTS = Path("transcription") / "plan_amounts.csv"
TARGETS = Path("transcription") / "plan_targets.csv"
RESULTS = Path("transcription") / "plan_results.csv"
PERCENTAGES = Path("transcription") / "printed_percentages.csv"
DOCUMENTS = Path("reference") / "documents.csv"
FIRST_AMOUNT = "soctrang_2024_2025_draft:0029:1"  # line 2: a total over sources (central + local)
SECOND_AMOUNT = "soctrang_2024_2025_draft:0030:1"  # line 3: its central budget
REPEAT = "vinhlong_2022_2025_qd1424:0292:1"  # line 231: repeats ORIGINAL
ORIGINAL = "vinhlong_2022_2025_qd1424:0299:1"
TO_DATE = "langson_2024_pip_draft:0035:1"  # line 444: disbursed to 2023-06-30
CAPITAL_TOTAL = "vinhlong_2022_2025_qd1424:0068:1"  # line 185: a total over capital types
RANGE_TARGET = "soctrang_2024_2025_draft:0013:1"  # plan_targets line 2: 1,5 - 2 %
CUMULATIVE = "langson_2024_pip_draft:0077:1"  # plan_results line 10: from 2022, for 2023


def _set(seeds: Path, rel: Path, key: str, values: dict[str, str]) -> tuple[Path, int, list[str]]:
    """Give the row whose first column is ``key`` the ``values``; return the file, the row's line
    and the header."""
    path = seeds / rel
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header = list(reader.fieldnames or [])
        rows = list(reader)
    (index,) = [i for i, row in enumerate(rows) if row[header[0]] == key]
    rows[index].update(values)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path, _line_of(path, key), header


def _line_of(path: Path, key: str) -> int:
    """The line a CSV record starts on (a quoted cell may hold line breaks)."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        start = 1
        for row in reader:
            if row and row[0] == key:
                return start
            start = reader.line_num + 1
    raise KeyError(key)


def _located(path: Path, line: int, header: list[str], column: str, rule: str) -> str:
    return f"{path}:{line}:{header.index(column) + 1} ({column}): [{rule}] "


def _errors(seeds: Path) -> list[str]:
    return [str(e) for e in check_rules(seeds)]


def test_the_real_seeds_keep_every_rule_in_well_under_five_seconds() -> None:
    started = time.monotonic()
    assert _errors(SEEDS) == []
    assert time.monotonic() - started < 5


# (file, row key, new values, column named, rule, words of the message)
BREAKS = [
    (
        AMOUNTS,
        FIRST_AMOUNT,
        {"sums_funding_sources": ""},
        "sums_funding_sources",
        "total_lists_its_sources",
        "lists none of the funding sources",
    ),
    (
        AMOUNTS,
        SECOND_AMOUNT,
        {"sums_funding_sources": "central_budget"},
        "sums_funding_sources",
        "total_lists_its_sources",
        "only a total",
    ),
    (
        AMOUNTS,
        CAPITAL_TOTAL,
        {"sums_capital_types": ""},
        "sums_capital_types",
        "total_lists_its_capital_types",
        "lists none of the capital types",
    ),
    (
        AMOUNTS,
        FIRST_AMOUNT,
        {"period_end_year": ""},
        "period_end_year",
        "period_in_order",
        "both its first and its last",
    ),
    (AMOUNTS, FIRST_AMOUNT, {"period_start_year": "2026"}, "period_start_year", "period_in_order", "starts in 2026"),
    (
        AMOUNTS,
        SECOND_AMOUNT,
        {"budget_level": "province"},
        "budget_level",
        "budget_level_of_local_budget",
        "'central_budget'",
    ),
    (AMOUNTS, TO_DATE, {"amount_basis": "per_year"}, "amount_basis", "as_of_date_in_its_period", "is a period_total"),
    (AMOUNTS, TO_DATE, {"as_of_date": "2024-06-30"}, "as_of_date", "as_of_date_in_its_period", "2024 lies outside"),
    (AMOUNTS, FIRST_AMOUNT, {"qualifier_printed": "khoảng"}, "qualifier_printed", "qualifier_on_its_line", "'khoảng'"),
    (TARGETS, RANGE_TARGET, {"high_value": "1"}, "high_value", "target_low_not_above_high", "below the low end"),
    (
        TARGETS,
        RANGE_TARGET,
        {"target_year_start": "2025"},
        "target_year_start",
        "target_years_in_order",
        "starts in 2025",
    ),
    (TARGETS, RANGE_TARGET, {"comparator": "="}, "comparator", "target_range_has_its_high", "comparator is range"),
    (
        RESULTS,
        CUMULATIVE,
        {"value_high_numeric": "0"},
        "value_high_numeric",
        "result_low_not_above_high",
        "below the low end",
    ),
    (
        RESULTS,
        CUMULATIVE,
        {"value_comparator": "range"},
        "value_comparator",
        "result_range_has_its_high",
        "fill value_high_printed",
    ),
    (
        RESULTS,
        CUMULATIVE,
        {"cumulative_from_year": "2023"},
        "cumulative_from_year",
        "cumulative_before_its_year",
        "counts from 2023",
    ),
    (
        AMOUNTS,
        REPEAT,
        {"statement_group": "appendix_footer"},
        "statement_group",
        "repeat_matches_its_original",
        "differs from it in statement_group",
    ),
    (
        AMOUNTS,
        REPEAT,
        {"amount_million_vnd": "1", "value_numeric": "1"},
        "amount_million_vnd",
        "repeat_matches_its_original",
        "amount_million_vnd",
    ),
    # reported on the later of the two printings: the original, which this row printed first
    (
        AMOUNTS,
        REPEAT,
        {"repeats_amount_id": ""},
        "repeats_amount_id",
        "one_printing_per_cell",
        "the same cell as line 231",
    ),
    (
        AMOUNTS,
        FIRST_AMOUNT,
        {"statement_group": "no_such_block"},
        "statement_group",
        "statement_group_registered",
        "not in statement_groups",
    ),
    (
        PERCENTAGES,
        "langson_2024_pip_draft:0089:5",
        {"denominator_amount_id": "langson_2024_pip_draft:0089:5"},
        "denominator_amount_id",
        "percentage_links_amounts",
        "names a percentage",
    ),
    (
        DOCUMENTS,
        "langson_2024_pip_draft",
        {"source_file": "000_cdbc9b3cac43e985.txt"},
        "source_file",
        "one_document_per_file",
        "also the file",
    ),
]


@pytest.mark.parametrize(
    ("rel", "key", "values", "column", "rule", "words"), BREAKS, ids=[f"{b[4]}-{b[3]}" for b in BREAKS]
)
def test_a_broken_row_is_named_with_its_rule_and_fix(
    seeds_copy: Path, rel: Path, key: str, values: dict[str, str], column: str, rule: str, words: str
) -> None:
    path, line, header = _set(seeds_copy, rel, key, values)
    if rule == "one_printing_per_cell":
        line = _line_of(path, ORIGINAL)
    errors = _errors(seeds_copy)
    located = [e for e in errors if e.startswith(_located(path, line, header, column, rule))]
    assert located, errors
    assert words in located[0] and "; fix: " in located[0]


def test_every_rule_has_a_test_that_breaks_it() -> None:
    assert {b[4] for b in BREAKS} == {r.name for r in RULES}
