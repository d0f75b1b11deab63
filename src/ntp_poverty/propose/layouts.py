"""Declared layouts of tables whose column headers the text lost (documents/table_layouts.csv).

A table converted one cell per line keeps its rows but can lose its header row: Vĩnh Long's appendix
(document 003) prints 15 amounts per row and no word of what they are. A person reading the
original (or the rows that name their columns, such as "Tổng giai đoạn 2022 - 2025" at line 619
and footnote [1]) declares each column once: its reconstructed header, funding source, capital
type, what a total column sums, whether its cells are period totals or per-year amounts, the years
they hold and the column it repeats where both print one cell, with the evidence. ``ntp propose``
then reads each cell's judgements from its declared column (confidence ``medium``, like a printed
column header) instead of from nothing.

Declaring a layout is part of registering a document, like its row in documents.csv: the
leave-one-out evaluation keeps it. A layout that names an unknown document, code or column is
refused with its file, line and column.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

#: The layout file, next to the documents it describes.
LAYOUTS = "table_layouts.csv"
COLUMNS = (
    "document_id",
    "first_line",
    "last_line",
    "unit",
    "column",
    "header_reconstructed",
    "funding_source_code",
    "capital_type_code",
    "sums_funding_sources",
    "sums_capital_types",
    "amount_basis",
    "period_start_year",
    "period_end_year",
    "repeats_column",
    "evidence",
)
UNITS = ("triệu đồng", "tỷ đồng", "đồng")
BASES = ("period_total", "per_year")


class LayoutError(ValueError):
    """A declared layout cannot be used; the message names file, line and column."""


@dataclass(frozen=True)
class DeclaredColumn:
    """One value column of a declared table (1 = the first amount after the row's label)."""

    number: int
    header: str
    funding_source_code: str
    capital_type_code: str
    sums_funding_sources: str
    sums_capital_types: str
    amount_basis: str
    period: str  # "<start>-<end>"
    #: the column whose cell in the same row is this one's when they share every coordinate: this
    #: printing repeats it (it is counted); 0 when none
    repeats_column: int
    evidence: str
    where: str  # table_layouts.csv:<line>


@dataclass(frozen=True)
class TableLayout:
    """A table of a document: the lines its rows are printed on, its unit and its columns."""

    first_line: int
    last_line: int
    unit: str
    columns: tuple[DeclaredColumn, ...]

    def column(self, number: int) -> DeclaredColumn | None:
        """The declared column ``number`` (1-based), or None past the last one."""
        return self.columns[number - 1] if 0 < number <= len(self.columns) else None


def _codes(seeds_dir: Path, seed: str, column: str) -> set[str]:
    with (seeds_dir / "reference" / seed).open(encoding="utf-8", newline="") as handle:
        return {row[column] for row in csv.DictReader(handle)}


def read_layouts(documents_dir: Path, seeds_dir: Path) -> dict[str, list[TableLayout]]:
    """Every declared table by document_id (none when the file does not exist); refuses a layout
    whose document, codes, numbers or columns are not valid, naming ``file:line:column``."""
    path = documents_dir / LAYOUTS
    if not path.exists():
        return {}
    known = {
        "document_id": _codes(seeds_dir, "documents.csv", "document_id"),
        "funding_source_code": _codes(seeds_dir, "funding_sources.csv", "funding_source_code") | {"total"},
        "capital_type_code": _codes(seeds_dir, "capital_types.csv", "capital_type_code") | {"total"},
    }
    tables: dict[tuple[str, int, int, str], list[DeclaredColumn]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise LayoutError(f"{path}:1:1: the header must be {','.join(COLUMNS)}")
        for row in reader:
            line = reader.line_num

            def fail(column: str, problem: str, line: int = line) -> LayoutError:
                return LayoutError(f"{path}:{line}:{COLUMNS.index(column) + 1}: {column} {problem}")

            for column, values in known.items():
                if row[column] not in values:
                    raise fail(column, f"{row[column]!r} is not a known code (seeds/reference)")
            for column in ("sums_funding_sources", "sums_capital_types"):
                key = "funding_source_code" if column == "sums_funding_sources" else "capital_type_code"
                unknown = [code for code in row[column].split("|") if code and code not in known[key] - {"total"}]
                if unknown:
                    raise fail(column, f"lists unknown code(s) {unknown}")
            if row["unit"] not in UNITS:
                raise fail("unit", f"{row['unit']!r} is not one of {UNITS}")
            if row["amount_basis"] not in BASES:
                raise fail("amount_basis", f"{row['amount_basis']!r} is not one of {BASES}")
            numbers = {}
            for column in ("first_line", "last_line", "column", "period_start_year", "period_end_year"):
                if not row[column].isdigit():
                    raise fail(column, f"{row[column]!r} is not a whole number")
                numbers[column] = int(row[column])
            if numbers["first_line"] > numbers["last_line"]:
                raise fail("last_line", "is before first_line")
            if numbers["period_start_year"] > numbers["period_end_year"]:
                raise fail("period_end_year", "is before period_start_year")
            if row["repeats_column"] and (
                not row["repeats_column"].isdigit() or row["repeats_column"] == row["column"]
            ):
                raise fail("repeats_column", f"{row['repeats_column']!r} is not another column's number")
            if not row["evidence"].strip():
                raise fail("evidence", "is empty: say what the header was reconstructed from")
            key = (row["document_id"], numbers["first_line"], numbers["last_line"], row["unit"])
            declared = tables.setdefault(key, [])
            if numbers["column"] != len(declared) + 1:
                raise fail("column", f"is {numbers['column']}; the table's columns are numbered 1, 2, … in order")
            declared.append(
                DeclaredColumn(
                    number=numbers["column"],
                    header=row["header_reconstructed"],
                    funding_source_code=row["funding_source_code"],
                    capital_type_code=row["capital_type_code"],
                    sums_funding_sources=row["sums_funding_sources"],
                    sums_capital_types=row["sums_capital_types"],
                    amount_basis=row["amount_basis"],
                    period=f"{numbers['period_start_year']}-{numbers['period_end_year']}",
                    repeats_column=int(row["repeats_column"] or 0),
                    evidence=row["evidence"],
                    where=f"{LAYOUTS}:{line}",
                )
            )
    layouts: dict[str, list[TableLayout]] = {}
    for (document_id, first, last, unit), columns in tables.items():
        layouts.setdefault(document_id, []).append(TableLayout(first, last, unit, tuple(columns)))
    return layouts
