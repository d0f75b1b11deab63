"""Excel Tables (named, filterable, banded ranges) added to a workbook XlsxWriter has already written.

XlsxWriter's ``add_table`` is not available in ``constant_memory`` mode, which the workbook needs to
stay flat in memory at national scale (:mod:`ntp_poverty.publish.excel`). A Table is a small part of
its own in the file, though: ``xl/tables/tableN.xml`` (its range, header names, style and totals row),
a relationship from the sheet to it, a ``<tableParts>`` element at the end of the sheet and a content
type. :func:`add_tables` writes exactly those into the closed file, copying every other part as it
is (the sheets' cells are streamed, never held).

The totals row's cells are written by the workbook (formulas over plain A1 ranges, which every
reader evaluates); the Table only names them (``totalsRowLabel`` / ``totalsRowFormula``), so a
Table has a totals row only where the workbook wrote one.
"""

from __future__ import annotations

import math
import posixpath
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from xlsxwriter.utility import xl_rowcol_to_cell

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
TABLE_REL_TYPE = OFFICE_REL_NS + "/table"
TABLE_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml"
STYLE = "TableStyleMedium2"
PAPER_A4 = 9  # XlsxWriter's paper index of A4
PAPER_A3 = 8
#: The widest sheet (sum of column widths, characters) printed on A4 landscape fitted to its width;
#: at about 140 characters a page is 100 %, so beyond this the print would be below about 60 %.
A4_WIDTH = 230
#: Points per line of text in a row (Calibri 11); a row of wrapped text is as tall as its longest cell.
LINE_HEIGHT = 15
#: The bytes kept back while a sheet is streamed, so its end (``</worksheet>``) can be rewritten.
TAIL_BYTES = 1 << 16
#: A Table's name: a letter or underscore, then letters, digits, underscores and dots; not a cell
#: reference such as ``A1`` or ``R1C1`` (Excel's rule).
TABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.]{0,254}")
CELL_LIKE = re.compile(r"([A-Za-z]{1,3}[0-9]+|[Rr][0-9]*[Cc][0-9]*)")


class TableError(ValueError):
    """A Table cannot be added; the message names the file, the sheet and the Table."""


@dataclass(frozen=True)
class TotalsRow:
    """What the totals row of a Table says per column: a label or a formula (as written in its cells)."""

    labels: dict[int, str] = field(default_factory=dict)
    formulas: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Table:
    """One Table: the sheet it is on, its name, its header row and columns (0-based), its data rows."""

    sheet: str
    name: str
    header_row: int
    columns: tuple[str, ...]
    n_rows: int
    first_col: int = 0
    totals: TotalsRow | None = None

    @property
    def ref(self) -> str:
        """The Table's range, header to last row (a Table holds at least one data row, even empty)."""
        last_row = self.header_row + max(self.n_rows, 1) + (1 if self.totals else 0)
        first = xl_rowcol_to_cell(self.header_row, self.first_col)
        return f"{first}:{xl_rowcol_to_cell(last_row, self.first_col + len(self.columns) - 1)}"

    @property
    def filter_ref(self) -> str:
        """The filter's range: the Table without its totals row."""
        last_row = self.header_row + max(self.n_rows, 1)
        first = xl_rowcol_to_cell(self.header_row, self.first_col)
        return f"{first}:{xl_rowcol_to_cell(last_row, self.first_col + len(self.columns) - 1)}"


def table_xml(table: Table, table_id: int) -> str:
    """The ``xl/tables/tableN.xml`` part of one Table."""
    totals = table.totals
    columns = []
    for index, name in enumerate(table.columns, start=1):
        attributes = f"id={quoteattr(str(index))} name={quoteattr(name)}"
        if totals and index - 1 in totals.labels:
            attributes += f" totalsRowLabel={quoteattr(totals.labels[index - 1])}"
        if totals and index - 1 in totals.formulas:
            formula = escape(totals.formulas[index - 1])
            columns.append(
                f'<tableColumn {attributes} totalsRowFunction="custom"><totalsRowFormula>{formula}'
                "</totalsRowFormula></tableColumn>"
            )
        else:
            columns.append(f"<tableColumn {attributes}/>")
    totals_attribute = ' totalsRowCount="1"' if totals else ' totalsRowShown="0"'
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<table xmlns="{MAIN_NS}" id="{table_id}" name={quoteattr(table.name)} '
        f'displayName={quoteattr(table.name)} ref="{table.ref}"{totals_attribute}>'
        f'<autoFilter ref="{table.filter_ref}"/><tableColumns count="{len(table.columns)}">'
        + "".join(columns)
        + f'</tableColumns><tableStyleInfo name="{STYLE}" showFirstColumn="0" showLastColumn="0" '
        'showRowStripes="1" showColumnStripes="0"/></table>'
    )


def _check(tables: list[Table], path: Path) -> None:
    seen: set[str] = set()
    for table in tables:
        where = f"{path}: sheet {table.sheet}, Table {table.name}"
        if not TABLE_NAME.fullmatch(table.name) or CELL_LIKE.fullmatch(table.name):
            raise TableError(f"{where}: not a valid Table name (a letter or _, then letters, digits, _ or .)")
        if table.name.lower() in seen:
            raise TableError(f"{where}: a second Table of that name (Table names are unique in a workbook)")
        seen.add(table.name.lower())
        if len(set(c.lower() for c in table.columns)) != len(table.columns) or not all(table.columns):
            raise TableError(f"{where}: the header names must be present and unique")


def _sheet_parts(book: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part (``xl/worksheets/sheetN.xml``), from the workbook and its relationships."""
    workbook = book.read("xl/workbook.xml").decode("utf-8")
    rels = book.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    targets = dict(re.findall(r'<Relationship Id="([^"]+)" Type="[^"]+" Target="([^"]+)"', rels))
    parts = {}
    for name, rel_id in re.findall(r'<sheet name="([^"]*)" sheetId="\d+" r:id="([^"]+)"', workbook):
        target = targets[rel_id]
        parts[_unescape(name)] = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
    return parts


def _unescape(text: str) -> str:
    return (
        text.replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
    )


def _rels_with_table(existing: str | None, target: str) -> tuple[str, str]:
    """The sheet's relationships with one to its Table added, and that relationship's id."""
    if existing is None:
        existing = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{REL_NS}"></Relationships>'
        )
    used = set(re.findall(r'Id="rId(\d+)"', existing))
    rel_id = f"rId{max((int(n) for n in used), default=0) + 1}"
    relation = f'<Relationship Id="{rel_id}" Type="{TABLE_REL_TYPE}" Target="{target}"/>'
    return existing.replace("</Relationships>", relation + "</Relationships>"), rel_id


def _copy_sheet_with_table_part(source: zipfile.ZipFile, part: str, out: zipfile.ZipFile, rel_id: str) -> None:
    """Stream a sheet's XML, ending it with ``<tableParts>`` (before ``<extLst>`` where there is one)."""
    element = f'<tableParts count="1"><tablePart r:id="{rel_id}"/></tableParts>'.encode()
    with source.open(part) as reader, out.open(part, "w", force_zip64=True) as writer:
        tail = b""
        while chunk := reader.read(1 << 20):
            tail += chunk
            if len(tail) > TAIL_BYTES:
                writer.write(tail[:-TAIL_BYTES])
                tail = tail[-TAIL_BYTES:]
        anchor = b"<extLst>" if b"<extLst>" in tail else b"</worksheet>"
        if anchor not in tail or b"<tableParts" in tail:
            raise TableError(f"{part}: no end of the worksheet to put a Table part before, or one is there already")
        writer.write(tail.replace(anchor, element + anchor, 1))


def add_tables(path: Path, tables: list[Table]) -> None:
    """Add ``tables`` to the closed workbook at ``path`` (rewritten in place; one Table per sheet)."""
    if not tables:
        return
    _check(tables, path)
    by_sheet = {table.sheet: table for table in tables}
    if len(by_sheet) != len(tables):
        raise TableError(f"{path}: more than one Table on a sheet")
    with zipfile.ZipFile(path) as source:
        parts = _sheet_parts(source)
        unknown = [name for name in by_sheet if name not in parts]
        if unknown:
            raise TableError(f"{path}: no sheet named {', '.join(unknown)}")
        names = set(source.namelist())
        existing_tables = sum(1 for n in names if n.startswith("xl/tables/table"))
        plan: dict[str, tuple[str, str, str]] = {}  # sheet part -> (rels part, rels xml, relationship id)
        table_parts: dict[str, str] = {}
        for number, table in enumerate(tables, start=existing_tables + 1):
            sheet_part = parts[table.sheet]
            folder, file = posixpath.split(sheet_part)
            rels_part = posixpath.join(folder, "_rels", file + ".rels")
            old = source.read(rels_part).decode("utf-8") if rels_part in names else None
            rels, rel_id = _rels_with_table(old, f"../tables/table{number}.xml")
            plan[sheet_part] = (rels_part, rels, rel_id)
            table_parts[f"xl/tables/table{number}.xml"] = table_xml(table, number)
        content_types = source.read("[Content_Types].xml").decode("utf-8")
        overrides = "".join(
            f'<Override PartName="/{name}" ContentType="{TABLE_CONTENT_TYPE}"/>' for name in table_parts
        )
        content_types = content_types.replace("</Types>", overrides + "</Types>")
        rewritten = {rels_part for rels_part, _, _ in plan.values()}
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".xlsx", delete=False) as handle:
            temporary = Path(handle.name)
        try:
            with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as out:
                for info in source.infolist():
                    if info.filename == "[Content_Types].xml":
                        out.writestr(info.filename, content_types)
                    elif info.filename in plan:
                        _copy_sheet_with_table_part(source, info.filename, out, plan[info.filename][2])
                    elif info.filename not in rewritten:
                        with source.open(info) as reader, out.open(info.filename, "w", force_zip64=True) as writer:
                            shutil.copyfileobj(reader, writer, 1 << 20)
                for rels_part, rels, _ in plan.values():
                    out.writestr(rels_part, rels)
                for name, xml in table_parts.items():
                    out.writestr(name, xml)
            temporary.replace(path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise


def write_note(sheet: Any, note: str, widths: list[int], style: Any) -> None:
    """A sheet's note in its first row, above its Table, wrapped across the Table's width (merged) and
    never wider: a text overflowing to the right would widen what prints and shrink the page to fit."""
    if len(widths) > 1:
        sheet.merge_range(0, 0, 0, len(widths) - 1, note, style)
    else:
        sheet.write_string(0, 0, note, style)
    lines = math.ceil(len(note) * 1.15 / max(sum(widths), 1))
    sheet.set_row(0, 15 * max(lines, 1) + 3)


def wrapped_lines(value: object, width: int) -> int:
    """How many lines a text takes wrapped in a column ``width`` characters wide (at spaces; a word
    longer than the column breaks within it, as Excel breaks it)."""
    room = max(width - 2, 1)
    if not isinstance(value, str) or len(value) <= room:
        return 1
    lines, used = 1, 0
    for word in value.split():
        if used and used + 1 + len(word) > room:
            lines, used = lines + 1, 0
        used += (1 if used else 0) + len(word)
        while used > room:
            lines, used = lines + 1, used - room
    return lines


def header_rows(sheet: Any, labels: list[str], names: list[str], widths: list[int]) -> None:
    """Size the two header rows under the note (labels wrap at spaces, names within the column)."""
    for row, texts in ((1, labels), (2, names)):
        sheet.set_row(row, LINE_HEIGHT * max(wrapped_lines(t, w) for t, w in zip(texts, widths)))


def print_setup(sheet: Any, header_rows: int, one_page: bool = False, width: int = 0) -> None:
    """How a sheet prints: landscape, fitted to the page width (to one page for the README), the
    header rows repeated on every page, the sheet's name and the page number in the footer. A4, or
    A3 for a sheet wider than :data:`A4_WIDTH` characters (A4 would print it too small to read)."""
    sheet.set_paper(PAPER_A3 if width > A4_WIDTH else PAPER_A4)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 1 if one_page else 0)
    if header_rows:
        sheet.repeat_rows(0, header_rows - 1)
    sheet.set_footer("&L&A&RTrang &P / &N")
