"""Rules of the completeness ledger: whole families of numerals that are not programme data.

Dates, document numbers, list numbering, legal references, ages and durations, per-unit norms:
each rule names its category and why, and tests whether a token lies inside a match on its line.
A token no rule covers must be transcribed or listed in seeds/reference/numeral_classifications.csv.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ntp_poverty.ledger.tokens import Token

# --------------------------------------------------------------------------------------------
# Rules: whole families of numerals that are not programme data
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """A family of tokens classified without listing them: name, category, why, and a test."""

    name: str
    category: str
    reason: str
    covers: Callable[[list[str], Token], bool]


def _span_rule(pattern: str, group: str | int = 0, flags: int = re.IGNORECASE) -> Callable[[list[str], Token], bool]:
    """A test that is true when the token lies inside ``group`` of a match of ``pattern`` on its line."""
    regex = re.compile(pattern, flags)

    def covers(lines: list[str], token: Token) -> bool:
        for match in regex.finditer(lines[token.line - 1]):
            start, end = match.span(group)
            if start <= token.start and token.end <= end:
                return True
        return False

    return covers


STT = re.compile(r"\d{1,2}(?:\.\d{1,2})?|-")


def _table_stt(lines: list[str], token: Token) -> bool:
    """A lone STT-like cell ("3", "2.1", "-") whose very next line is a row label (has letters)."""
    text = lines[token.line - 1]
    following = lines[token.line] if token.line < len(lines) else ""
    return (
        text.strip() == token.text and STT.fullmatch(token.text) is not None and any(ch.isalpha() for ch in following)
    )


YEAR = r"(?:19|20)\d\d"
UPPER = r"[A-ZĐ]"
#: Not followed by a unit of money or a percent: keeps amounts out of the word-triggered rules
#: ("khoản 500 triệu đồng" is a sum of money, not clause 500).
NOT_AMOUNT = r"(?![.,]?\d)(?!\s*(?:%|triệu|tỷ|nghìn|đồng))"

#: Ordered; the first rule that covers a token classifies it.
RULES: tuple[Rule, ...] = (
    Rule(
        "footnote_marker",
        "list_numbering",
        "footnote marker (superscript or [n])",
        _span_rule(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+|\[\d{1,2}\]"),
    ),
    Rule(
        "document_number",
        "document_number",
        "number of a legal document or decision (số …/QĐ-…, …/2021/NĐ-CP, …-NQ/TU)",
        _span_rule(rf"(?<![\w/])\d+(?:/\d+)*[/-]{UPPER}[\w]*(?:[-/][\w]+)*", flags=0),
    ),
    Rule("date_dmy", "date", "date printed d/m/yyyy", _span_rule(rf"(?<![\d/.,])\d{{1,2}}/\d{{1,2}}/{YEAR}(?![\d/])")),
    Rule(
        "date_day_month",
        "date",
        "day and month without a year after ngày (ngày 9/11, từ ngày 01/7; not 05/11 huyện)",
        _span_rule(r"\bngày\s+(?:0?[1-9]|[12]\d|3[01])/(?:0?[1-9]|1[0-2])(?![\d/]|[.,]\d)"),
    ),
    Rule(
        "date_iso",
        "date",
        "ISO date yyyy-mm-dd (2025-06-30)",
        _span_rule(rf"(?<![\d.,/-]){YEAR}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?!\d)"),
    ),
    Rule(
        "date_month_year",
        "date",
        "month or quarter printed m/yyyy (tháng 7/2023, quý III/2023)",
        _span_rule(rf"(?<![\d/.,])(?:\d{{1,2}}|\b[IVX]+)/{YEAR}(?![\d/])"),
    ),
    Rule(
        "date_words",
        "date",
        "day, month or year named in words (ngày 14, tháng 7, năm 2022, 2018 ©)",
        _span_rule(rf"(?:\bngày|\btháng)\s+(\d{{1,2}})(?![.,]?\d)|\bnăm\s+({YEAR})(?![.,]?\d)|{YEAR}(?=\s*©)", 0),
    ),
    Rule(
        "year_range",
        "date",
        "year range (2021 - 2025, 2022-2025)",
        _span_rule(rf"(?<![\d.,]){YEAR}\s*[-–]\s*{YEAR}(?![.,]?\d)"),
    ),
    Rule(
        "year_list",
        "date",
        "list of years after năm (các năm 2024 và 2025)",
        _span_rule(rf"\bnăm\s+{YEAR}(?:\s*(?:,|và)\s*{YEAR})+(?![.,]?\d)"),
    ),
    Rule(
        "list_number",
        "list_numbering",
        "list or section number at the start of a line (1., 2.1., 3))",
        _span_rule(r"^\s*[-+*•]?\s*\d+(?:\.\d+)*[.)](?=\s|$)"),
    ),
    Rule("inline_enumeration", "list_numbering", "inline enumeration (1), (2), …", _span_rule(r"\(\d{1,2}\)(?=\s)")),
    Rule("table_stt", "list_numbering", "STT cell of a reconstructed table row (the row label follows)", _table_stt),
    Rule(
        "project_number",
        "list_numbering",
        "Decision 90 project or sub-project number (Dự án 4, Tiểu dự án 2): a component identifier",
        _span_rule(rf"\b(?:tiểu\s+)?dự\s+án\s*:?\s*([1-9]){NOT_AMOUNT}", 1),
    ),
    Rule(
        "legal_reference",
        "legal_reference",
        "article, clause or point of a legal text (Điều, khoản, điểm)",
        _span_rule(rf"\b(?:điều|khoản|điểm)\s+(\d{{1,3}}){NOT_AMOUNT}", 1),
    ),
    Rule(
        "age",
        "age_or_duration",
        "age in years (dưới 5 tuổi, từ 5 đến dưới 16 tuổi)",
        _span_rule(r"(?<![\d.,])(\d+)(?=(?:\s*(?:-|đến(?:\s+dưới)?)\s*\d+)?\s*tuổi\b)", 1),
    ),
    Rule(
        "duration",
        "age_or_duration",
        "duration (03 năm, 36 tháng, 6 tháng đầu năm; not ngày công)",
        _span_rule(r"(?<![\d.,])(\d+)\s*(?:năm|tháng|ngày(?!\s+công)|tuần)\b", 1),
    ),
    Rule(
        "per_unit_norm",
        "per_unit_norm",
        "per-unit norm or cap (… đồng/dự án; not a per-year amount, … đồng/năm)",
        _span_rule(r"(?<![\d.,])(\d+(?:[.,]\d+)*)\s*(?:(?:tỷ|triệu|nghìn)\s*)?đồng\s*/\s*(?!năm\b)[^\W\d]", 1),
    ),
)


def rule_for(lines: list[str], token: Token) -> Rule | None:
    """The first rule that covers ``token``, if any."""
    return next((rule for rule in RULES if rule.covers(lines, token)), None)
