"""Every transcribed amount and target is proven against its document line (100% of rows)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from conftest import DOCUMENTS, SEEDS
from ntp_poverty.provenance import check_amount_row, check_seed, check_target_row, read_seed

AMOUNTS = SEEDS / "transcription" / "plan_amounts.csv"
TARGETS = SEEDS / "transcription" / "plan_targets.csv"


def _ids(path: Path, key: str) -> list[str]:
    return [row.values[key] for row in read_seed(path)]


@pytest.mark.parametrize("row", list(read_seed(AMOUNTS)), ids=_ids(AMOUNTS, "amount_id"))
def test_amount_row_is_proven_by_its_document(row) -> None:
    assert check_amount_row(row, DOCUMENTS) == []


@pytest.mark.parametrize("row", list(read_seed(TARGETS)), ids=_ids(TARGETS, "target_id"))
def test_target_row_is_proven_by_its_document(row) -> None:
    assert check_target_row(row, DOCUMENTS) == []


def test_every_row_is_checked() -> None:
    """Coverage is the whole seed, counted independently of the checker."""
    for path in (AMOUNTS, TARGETS):
        with path.open(encoding="utf-8", newline="") as handle:
            expected = sum(1 for _ in csv.DictReader(handle))
        checked, problems = check_seed(path, DOCUMENTS)
        assert checked == expected > 0
        assert problems == []


def _rewrite(path: Path, amount_id: str, column: str, value: str) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    fields = list(rows[0])
    hit = [r for r in rows if r[fields[0]] == amount_id]
    assert len(hit) == 1
    hit[0][column] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("amount_million_vnd", "1651", "million VND, row says 1651"),
        ("value_numeric", "1651", "gives 1650, row says 1651"),
        ("value_printed", "1.651", "not a number in source text"),
        ("source_line", "30", "is not on line 30"),
    ],
)
def test_altering_one_amount_makes_the_check_fail(seeds_copy: Path, column: str, value: str, message: str) -> None:
    path = seeds_copy / "transcription" / "plan_amounts.csv"
    _rewrite(path, "soctrang_2024_2025_draft:0029:1", column, value)
    checked, problems = check_seed(path, DOCUMENTS)
    assert len(problems) >= 1
    assert f"{path}:2:" in problems[0]
    assert message in problems[0]


def test_altering_one_target_makes_the_check_fail(seeds_copy: Path) -> None:
    path = seeds_copy / "transcription" / "plan_targets.csv"
    first = next(read_seed(path)).values["target_id"]
    _rewrite(path, first, "low_value", "1.6")
    _, problems = check_seed(path, DOCUMENTS)
    assert problems and "row says low_value 1.6" in problems[0]
