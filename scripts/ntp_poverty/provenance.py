"""Prove every transcribed number against the document it came from.

For each row of the amount and target seeds: the source text must occur on the stated line of
``documents/<file>`` (both NFC-normalised), the printed value must be a number token of that
source text, and parsing it must give the row's stored value. A row that fails is reported with
its seed file and line, so that a transcription error is found where it was made.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from ntp_poverty.vn_numbers import parse_vi_number, to_million_vnd

#: A printed number: digits with "." thousands groups and an optional "," decimal part, or a lone "-".
NUMBER_TOKEN = re.compile(
    r"(?<![\d.,])(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?(?![\d]|[.,]\d)|(?<!\S)-(?!\S)"
)


@dataclass(frozen=True)
class SeedRow:
    """One row of a seed with the file line it was read from."""

    path: Path
    line: int
    values: dict[str, str]


def read_seed(path: Path) -> Iterator[SeedRow]:
    """Yield the rows of a seed CSV with their 1-based file line numbers."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        line = 2
        for values in reader:
            yield SeedRow(path, line, values)
            line = reader.line_num + 1


@lru_cache(maxsize=None)
def document_lines(documents_dir: Path, file_name: str) -> tuple[str, ...]:
    """Return the NFC-normalised lines of a document (index 0 = line 1)."""
    text = (documents_dir / file_name).read_text(encoding="utf-8")
    return tuple(unicodedata.normalize("NFC", line) for line in text.split("\n"))


def number_tokens(text: str) -> list[str]:
    """Return the printed numbers in ``text``, in order."""
    return NUMBER_TOKEN.findall(text)


def _source_problems(row: SeedRow, documents_dir: Path, printed: list[str]) -> list[str]:
    v = row.values
    file_name, text = v["source_file"], v["source_text"]
    if not (documents_dir / file_name).exists():
        return [f"document {file_name!r} does not exist"]
    lines = document_lines(documents_dir, file_name)
    line_no = int(v["source_line"])
    if not 1 <= line_no <= len(lines):
        return [f"line {line_no} is outside {file_name} ({len(lines)} lines)"]
    problems = []
    if unicodedata.normalize("NFC", text) not in lines[line_no - 1]:
        problems.append(f"source text {text!r} is not on line {line_no} of {file_name}")
    tokens = number_tokens(text)
    for value in printed:
        if value and value not in tokens:
            problems.append(f"printed value {value!r} is not a number in source text {text!r}")
    return problems


def check_amount_row(row: SeedRow, documents_dir: Path) -> list[str]:
    """Problems of one plan_amounts row (empty list = proven)."""
    v = row.values
    problems = _source_problems(row, documents_dir, [v["value_printed"]])
    parsed = parse_vi_number(v["value_printed"])
    if parsed != Decimal(v["value_numeric"]):
        problems.append(f"parsing {v['value_printed']!r} gives {parsed}, row says {v['value_numeric']}")
    expected = to_million_vnd(parsed, v["unit_printed"])
    stored = Decimal(v["amount_million_vnd"]) if v["amount_million_vnd"] else None
    if expected != stored:
        problems.append(f"{v['value_printed']} {v['unit_printed']} is {expected} million VND, row says {stored}")
    return problems


def check_target_row(row: SeedRow, documents_dir: Path) -> list[str]:
    """Problems of one plan_targets row (empty list = proven)."""
    v = row.values
    problems = _source_problems(row, documents_dir, [v["value_printed"], v["value_high_printed"]])
    low = parse_vi_number(v["value_printed"])
    high = parse_vi_number(v["value_high_printed"]) if v["value_high_printed"] else low
    if low != Decimal(v["low_value"]):
        problems.append(f"parsing {v['value_printed']!r} gives {low}, row says low_value {v['low_value']}")
    if high != Decimal(v["high_value"]):
        problems.append(f"high value parses to {high}, row says high_value {v['high_value']}")
    return problems


def check_seed(path: Path, documents_dir: Path) -> tuple[int, list[str]]:
    """Check every row of an amount or target seed; return (rows checked, located problems)."""
    checker = check_target_row if "target_id" in path.read_text(encoding="utf-8").split("\n", 1)[0] else check_amount_row
    checked, problems = 0, []
    for row in read_seed(path):
        checked += 1
        problems.extend(f"{row.path}:{row.line}: {p}" for p in checker(row, documents_dir))
    return checked, problems
