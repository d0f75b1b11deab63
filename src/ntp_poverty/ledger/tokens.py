"""Numeral tokens of the plan documents: what the completeness ledger counts (see ntp_poverty.ledger.numerals).

A token is a maximal run of ASCII digits joined by single "." or "," (or a run of superscript
footnote digits, or a lone "-" table cell), located by its 1-based line and character column in the
NFC-normalised line; the full definition is in :mod:`ntp_poverty.ledger.numerals`'s docstring.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

#: A numeral token: a run of ASCII digits joined by single "." or "," (see the module docstring),
#: or a run of superscript digits (footnote markers).
TOKEN = re.compile(r"[0-9]+(?:[.,][0-9]+)*|[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
#: The printed nil / STT bullet of a reconstructed table: "-" alone on its line.
LONE_DASH = "-"

CATEGORIES = (
    "date",
    "document_number",
    "legal_reference",
    "list_numbering",
    "age_or_duration",
    "per_unit_norm",
    "contact_or_page",
    "other",
)
#: Where the explicit classifications live, relative to the seeds folder.
CLASSIFICATIONS = Path("reference") / "numeral_classifications.csv"
CLASSIFICATION_COLUMNS = (
    "source_file",
    "document_id",
    "source_line",
    "token",
    "occurrence",
    "source_text",
    "category",
    "reason",
)


# --------------------------------------------------------------------------------------------
# Tokens
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    """One numeral as printed, at a 1-based line and character column of an NFC document line."""

    file: str
    line: int
    column: int
    text: str
    occurrence: int  # n-th token with this same text on the line (1-based)

    @property
    def start(self) -> int:
        """0-based offset of the first character in the line."""
        return self.column - 1

    @property
    def end(self) -> int:
        """0-based offset just after the last character."""
        return self.column - 1 + len(self.text)

    def where(self, documents_dir: Path) -> str:
        """``documents/<file>:<line>:<column>``, the location used in every message."""
        return f"{documents_dir / self.file}:{self.line}:{self.column}"


def read_lines(path: Path) -> list[str]:
    """The NFC-normalised lines of a document (index 0 = line 1), split on ``\\n`` only."""
    return [unicodedata.normalize("NFC", line) for line in path.read_text(encoding="utf-8").split("\n")]


def line_tokens(file_name: str, line_no: int, text: str) -> list[Token]:
    """The numeral tokens of one (NFC) line, in order, with their occurrence numbers."""
    seen: Counter[str] = Counter()
    tokens: list[Token] = []
    if text.strip() == LONE_DASH:
        spans = [(text.index(LONE_DASH), LONE_DASH)]
    else:
        spans = [(m.start(), m.group()) for m in TOKEN.finditer(text)]
    for start, value in spans:
        seen[value] += 1
        tokens.append(Token(file_name, line_no, start + 1, value, seen[value]))
    return tokens


@dataclass
class Document:
    """A document's lines and their tokens (``by_line[n]`` = the tokens of line n+1)."""

    file: str
    lines: list[str]
    by_line: list[list[Token]]

    @classmethod
    def read(cls, path: Path) -> Document:
        lines = read_lines(path)
        return cls(path.name, lines, [line_tokens(path.name, no, text) for no, text in enumerate(lines, start=1)])

    @property
    def tokens(self) -> list[Token]:
        """Every token of the document, in reading order."""
        return [t for line in self.by_line for t in line]

    def tokens_on(self, line_no: int) -> list[Token]:
        """The tokens of a 1-based line (none outside the document)."""
        return self.by_line[line_no - 1] if 1 <= line_no <= len(self.by_line) else []


def read_documents(documents_dir: Path) -> dict[str, Document]:
    """Every ``*.txt`` document under ``documents_dir``, by file name, in name order."""
    return {p.name: Document.read(p) for p in sorted(documents_dir.glob("*.txt"))}
