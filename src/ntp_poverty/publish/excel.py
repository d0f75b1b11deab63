"""The release's Excel workbook: every mart as a sheet, for readers without a database driver.

Many readers of the plans (provincial finance staff, ministry analysts) open spreadsheets, not
DuckDB. ``excel/ntp_poverty.xlsx`` gives them every table of schema ``marts`` as one sheet, a
``README`` sheet (what each sheet holds, from the dbt model descriptions; the run id; the glossary
of NSTW, NSĐP, ĐTPT, ... taken from the overview doc block of ``models/_docs.md``, so it is never
retyped) and a ``columns`` sheet (mart, column, data type, description, from the marts' dbt YAML).

Decisions, and why:

* **Numbers stay numbers, at full precision.** Amounts are ``decimal(18,3)``; they are written as
  Excel numbers (IEEE doubles, stored with 16 significant digits). A decimal with at most 15
  significant digits survives that exactly, i.e. any amount below 10^12 million VND (the national
  budget is about 2·10^9 million VND); a larger value is refused (:class:`WorkbookError`) rather
  than silently rounded.
* **Vietnamese number formats.** An Excel number format code is stored locale-independently
  (``,`` = grouping, ``.`` = decimal point) and displayed with the *viewer's* separators; no code
  can force "1.234,5" in an English-locale Excel without turning numbers into text or changing
  their value (a literal "," cannot stand for the decimal point). So the codes carry the Vietnamese
  locale tag ``[$-42A]`` (LCID 0x042A): Excel with Vietnamese regional settings shows ``1.234,5``
  (in Excel the tag only changes month and day names; separators come from the viewer's settings),
  LibreOffice shows ``1.234,5`` in any UI language (it gives the format the tag's language: checked
  with LibreOffice 7.4 in an en_US session, ``15555.25`` renders ``15.555,25``); an English Excel
  shows ``1,234.5`` of the same number. Amounts (million VND) use ``#,##0.0##`` (at least one, at most
  three decimals: ``15.555,25``, ``344.961,0``); shares and percentage changes ``0.0%``; counts
  ``#,##0``; years, source lines and ranks ``0`` (never "2.024").
* **Three header rows.** Row 1 is the sheet's note on what must not be added (from the model's
  ``meta.not_additive_across`` / ``meta.not_additive`` in the dbt YAML); row 2 the Vietnamese label
  (the column's ``meta.label_vi``, declared once there for every mart column, with its unit); row 3
  the column name as in the warehouse (English), the header of the sheet's Excel Table. All three
  are frozen and printed on every page.
* **Names beside codes.** A code column whose dbt YAML has a ``has_code_name`` test (phases,
  funding sources, components, admin levels, ...) gets a column of the codes' Vietnamese names right
  after it, read from ``core.dim_code_name`` (seeded names, never a list in Python), unless the mart
  already has that name (``geography_name_vi`` beside ``geography_code``).
* **Excel Tables.** Each mart sheet is a named, filterable, banded Table (:mod:`ntp_poverty.publish.
  excel_tables`, added to the closed file since XlsxWriter has no Tables in ``constant_memory``
  mode). A mart sheet has no totals row: its rows span phases, admin levels or the component tree,
  which are never added; the question sheets (:mod:`ntp_poverty.publish.excel_questions`), whose
  every column is one phase at one level of the tree, have one.
* **Row limit.** A sheet holds at most 1,048,576 rows; the workbook stops well before, at
  :data:`SHEET_ROWS` rows per sheet (headers included): a sheet of hundreds of thousands of rows is
  not read in Excel but filtered, which the Parquet export does better, and writing one costs about a
  minute per 400,000 rows of every release. A mart that does not fit, as the national marts do at
  millions of line items, gets no sheet: the README sheet lists it with its row count and says where
  it is whole (the Parquet export and the data package), and its columns stay on the columns sheet.
  A truncated sheet would be wrong, and one split into numbered sheets easy to read half of.
* **One reading of the dbt YAML.** :func:`read_model_docs` (descriptions, data types, grain) is
  also what :mod:`ntp_poverty.publish.datapackage` builds its Table Schemas from.
* **Streaming.** Rows are fetched in batches and written with XlsxWriter's ``constant_memory``
  mode, so memory stays flat as the warehouse grows to national scale; column widths come from one
  aggregate query per mart, not from holding the rows.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import xlsxwriter
import yaml

from ntp_poverty.common.duckdb_connection import connect
from ntp_poverty.publish.excel_questions import MART as QUESTION_MART
from ntp_poverty.publish.excel_questions import SHEET as QUESTION_SHEET
from ntp_poverty.publish.excel_questions import write_question_sheets
from ntp_poverty.publish.excel_tables import (
    LINE_HEIGHT,
    Table,
    add_tables,
    header_rows,
    print_setup,
    wrapped_lines,
    write_note,
)
from ntp_poverty.publish.releases import ReleaseError

WORKBOOK_NAME = "ntp_poverty.xlsx"
README_SHEET = "README"
COLUMNS_SHEET = "columns"
#: Rows per sheet (headers included) the workbook writes at most; larger marts are listed, not written.
SHEET_ROWS = 100_000
#: How the README sheet marks a mart that has no sheet because it is too large.
OMITTED_LABEL = "Không có trong tệp này / not in this workbook"
HEADER_ROWS = 3  # the note, the Vietnamese labels, the column names (the Table's header)
NOTE_ROW, LABEL_ROW, NAME_ROW = 0, 1, 2
RUN_ID_LABEL = "Lần làm mới / Run id"
MARTS_YAML_DIR = Path("models") / "marts"
DOCS_FILE = Path("models") / "_docs.md"
EXACT_LIMIT = 10**12  # |amount| below this has <= 15 significant digits at 3 decimals: exact in Excel
#: The widest column (characters): a longer text wraps within it (names, titles, notes), so a sheet
#: fitted to the page width stays readable.
MAX_WIDTH = 28
#: The column name row (English, the Table's header) is measured up to this many characters; a longer
#: name is cut off on screen (the filter menu and the columns sheet show it whole).
NAME_WIDTH = 18
README_TEXT_WIDTH = 110  # the README sheet's column of descriptions (characters)
BATCH_ROWS = 10_000

AMOUNT_FORMAT = "[$-42A]#,##0.0##"
NUMBER_FORMAT = "[$-42A]#,##0.0##"
SHARE_FORMAT = "[$-42A]0.0%"
COUNT_FORMAT = "[$-42A]#,##0"
PLAIN_INTEGER_FORMAT = "0"
DATE_FORMAT = "[$-42A]dd/mm/yyyy"
TIMESTAMP_FORMAT = "[$-42A]dd/mm/yyyy hh:mm:ss"


class WorkbookError(ReleaseError):
    """The workbook cannot be written; the message names the file, sheet (mart) and column."""


# --- what the dbt YAML says about a model ----------------------------------------------------------


@dataclass(frozen=True)
class ColumnDoc:
    """One column as documented in the dbt YAML."""

    name: str
    data_type: str
    description: str
    label_vi: str | None = None
    is_unique: bool = False
    is_required: bool = False
    #: the column's ``accepted_range`` test: (min_value, max_value), either may be None
    value_range: tuple[float | None, float | None] | None = None
    #: the code set of core.dim_code_name its ``has_code_name`` test names (a code column)
    code_set: str | None = None
    #: for a names column the workbook adds: the code column whose names it holds
    names_of: str | None = None


@dataclass(frozen=True)
class ModelDoc:
    """One model as documented in the dbt YAML: description, columns and grain."""

    name: str
    description: str
    source: Path
    columns: dict[str, ColumnDoc] = field(default_factory=dict)
    grain: tuple[str, ...] = ()
    #: the model's ``expression_is_true`` tests: (expression, its ``where`` filter or None)
    expressions: tuple[tuple[str, str | None], ...] = ()
    #: whether the model's contract is enforced (its columns and data types are what it publishes)
    contract_enforced: bool = False
    #: ``meta.not_additive_across``: columns whose different values must never be added together
    not_additive_across: tuple[str, ...] = ()
    #: ``meta.not_additive``: no amount of the model may be added to another
    not_additive: bool = False

    def column(self, name: str) -> ColumnDoc:
        """The documented column, or an error naming the model, the column and the YAML file."""
        try:
            return self.columns[name]
        except KeyError:
            raise WorkbookError(f"{self.source}: model {self.name} does not document column {name}") from None


def _test_name_and_args(test: Any) -> tuple[str, dict[str, Any]]:
    if isinstance(test, str):
        return test, {}
    ((name, body),) = test.items()
    body = body or {}
    return name, body.get("arguments", body)


def _test_where(test: Any) -> str | None:
    """The ``config: where:`` filter of a test, if it has one."""
    if isinstance(test, str):
        return None
    ((_, body),) = test.items()
    where = ((body or {}).get("config") or {}).get("where")
    return " ".join(str(where).split()) if where else None


def read_model_docs(yaml_files: list[Path]) -> dict[str, ModelDoc]:
    """Every model of the given dbt YAML files, with column types, descriptions, grain and the
    tests Great Expectations repeats on the published marts (ranges, ``expression_is_true``).

    The grain is the ``unique_combination_of_columns`` test of the model, else its single column
    with a ``unique`` test; it is what the workbook sorts by and the data package's primary key.
    """
    models: dict[str, ModelDoc] = {}
    for path in yaml_files:
        try:
            document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise WorkbookError(f"{path}: cannot read the dbt YAML: {exc}") from exc
        for model in document.get("models", []) or []:
            columns: dict[str, ColumnDoc] = {}
            unique_columns: list[str] = []
            for column in model.get("columns", []) or []:
                named_tests = [_test_name_and_args(t) for t in column.get("data_tests", []) or []]
                tests = [name for name, _ in named_tests]
                ranges = [(a.get("min_value"), a.get("max_value")) for n, a in named_tests if n == "accepted_range"]
                code_sets = [a["code_set"] for n, a in named_tests if n == "has_code_name"]
                meta = column.get("meta") or (column.get("config") or {}).get("meta") or {}
                doc = ColumnDoc(
                    name=column["name"],
                    data_type=str(column.get("data_type") or ""),
                    description=" ".join(str(column.get("description") or "").split()),
                    label_vi=meta.get("label_vi"),
                    is_unique="unique" in tests,
                    is_required="not_null" in tests
                    or any((c or {}).get("type") == "not_null" for c in column.get("constraints") or []),
                    value_range=ranges[0] if ranges else None,
                    code_set=code_sets[0] if code_sets else None,
                )
                columns[doc.name] = doc
                if doc.is_unique:
                    unique_columns.append(doc.name)
            grain: tuple[str, ...] = ()
            expressions: list[tuple[str, str | None]] = []
            for test in model.get("data_tests", []) or []:
                name, args = _test_name_and_args(test)
                if name == "unique_combination_of_columns" and not grain:
                    grain = tuple(args["combination_of_columns"])
                elif name == "expression_is_true":
                    expressions.append((" ".join(str(args["expression"]).split()), _test_where(test)))
            if not grain and unique_columns:
                grain = (unique_columns[0],)
            model_meta = model.get("meta") or (model.get("config") or {}).get("meta") or {}
            models[model["name"]] = ModelDoc(
                name=model["name"],
                description=" ".join(str(model.get("description") or "").split()),
                source=path,
                columns=columns,
                grain=grain,
                expressions=tuple(expressions),
                contract_enforced=bool(((model.get("config") or {}).get("contract") or {}).get("enforced")),
                not_additive_across=tuple(model_meta.get("not_additive_across") or ()),
                not_additive=bool(model_meta.get("not_additive")),
            )
    return models


def yaml_files(project_dir: Path, folder: Path) -> list[Path]:
    """The dbt YAML files directly in ``folder`` of the project (intermediate/ has no public model)."""
    files = sorted((project_dir / folder).glob("*.yml"))
    if not files:
        raise WorkbookError(f"{project_dir / folder}: no dbt YAML file")
    return files


def order_by(doc: ModelDoc, alias: str = "") -> str:
    """The ``order by`` of a model's rows as published: its grain, else every column."""
    prefix = f"{alias}." if alias else ""
    return ", ".join(f'{prefix}"{c}"' for c in doc.grain) if doc.grain else "all"


def glossary(project_dir: Path) -> list[list[str]]:
    """The glossary table of the overview doc block (header row first), as plain text cells."""
    path = project_dir / DOCS_FILE
    text = path.read_text(encoding="utf-8")
    block = re.search(r"{%\s*docs\s+__overview__\s*%}(.*?){%\s*enddocs\s*%}", text, re.S)
    if not block:
        raise WorkbookError(f"{path}: no {{% docs __overview__ %}} block")
    section = re.search(r"^##\s+Glossary\s*$(.*?)(?=^##\s|\Z)", block.group(1), re.S | re.M)
    if not section:
        raise WorkbookError(f"{path}: the overview doc block has no '## Glossary' section")
    rows = []
    for raw in section.group(1).splitlines():
        line = raw.strip()
        if not line.startswith("|") or re.fullmatch(r"\|[\s|:-]+\|", line):
            continue
        rows.append([re.sub(r"\*\*|\*|`", "", cell).strip() for cell in line.strip("|").split("|")])
    if len(rows) < 2:
        raise WorkbookError(f"{path}: the Glossary section of the overview doc block has no table")
    return rows


# --- how each column is shown ---------------------------------------------------------------------


def column_kind(doc: ColumnDoc) -> str:
    """amount | share | number | count | integer | boolean | date | timestamp | text.

    Amounts are the decimals in million VND (the column name ends in ``_million_vnd`` or its
    description says "million VND"); shares are ``share_*`` and ``pct_*`` (0–1 by convention).
    """
    data_type = doc.data_type.lower().replace(" ", "")
    name = doc.name
    if data_type.startswith(("decimal", "numeric")):
        if name.endswith("_million_vnd") or "million vnd" in doc.description.lower():
            return "amount"
        return "share" if name.startswith(("share_", "pct_")) else "number"
    if data_type in {"double", "float", "real"}:
        return "share" if name.startswith(("share_", "pct_")) else "number"
    if data_type in {"integer", "bigint", "smallint", "tinyint", "hugeint"}:
        return "count" if name.startswith("n_") or name.endswith("_count") else "integer"
    if data_type == "boolean":
        return "boolean"
    if data_type == "date":
        return "date"
    if data_type.startswith("timestamp"):
        return "timestamp"
    if data_type in {"varchar", "text", "string"}:
        return "text"
    raise WorkbookError(f"{doc.name}: data_type {doc.data_type!r} has no Excel rendering")


FORMATS = {
    "amount": AMOUNT_FORMAT,
    "share": SHARE_FORMAT,
    "number": NUMBER_FORMAT,
    "count": COUNT_FORMAT,
    "integer": PLAIN_INTEGER_FORMAT,
    "date": DATE_FORMAT,
    "timestamp": TIMESTAMP_FORMAT,
}


def label_vi(doc: ColumnDoc) -> str:
    """The Vietnamese header of a column: its ``meta.label_vi`` in the dbt YAML (every mart column has
    one: tests/test_release_excel.py), else its name."""
    return doc.label_vi or doc.name


def names_column(code: ColumnDoc) -> ColumnDoc:
    """The column of Vietnamese names the workbook puts right after a code column."""
    label = label_vi(code)
    return ColumnDoc(
        name=f"{code.name}_name_vi",
        data_type="varchar",
        description=(
            f"Tên tiếng Việt của mã ở cột {code.name} / the Vietnamese name of the {code.name} code "
            f"(core.dim_code_name, code set {code.code_set}); in the workbook only."
        ),
        label_vi=f"Tên {label[3:]}" if label.startswith("Mã ") else f"{label} (tên)",
        names_of=code.name,
        code_set=code.code_set,
    )


def sheet_columns(doc: ModelDoc, names: list[str]) -> list[ColumnDoc]:
    """A mart's columns in table order, each code column followed by its names unless the mart has
    them already (``geography_name_vi`` beside ``geography_code``)."""
    columns = []
    for name in names:
        column = doc.column(name)
        columns.append(column)
        stem = name.removesuffix("_code")
        if column.code_set and f"{stem}_name_vi" not in names:
            columns.append(names_column(column))
    return columns


def additivity_note(doc: ModelDoc, kinds: list[str]) -> str:
    """The sheet's first row: what must not be added, from the model's YAML meta."""
    if doc.not_additive:
        return (
            "Lưu ý: không cộng các số tiền của bảng này với nhau (các dòng chồng lên nhau). / "
            "Do not add this sheet's amounts together: its rows overlap."
        )
    if doc.not_additive_across:
        labels = ", ".join(f"{label_vi(doc.column(c))} ({c})" for c in doc.not_additive_across)
        return (
            f"Lưu ý: không cộng các dòng khác nhau về {labels}: khác giai đoạn, khác cấp hành chính, hay các "
            "cấp của cây dự án (ALL, dự án, tiểu dự án) chồng lên nhau. / Do not add rows that differ in "
            f"{', '.join(doc.not_additive_across)}: phases are never added, and admin levels and the levels "
            "of the component tree overlap."
        )
    if "amount" not in kinds:
        return (
            "Bảng không có số tiền; tỷ lệ, chỉ tiêu và thứ hạng không cộng được. / No amounts: rates, targets and "
            "ranks do not add up."
        )
    raise WorkbookError(
        f"{doc.source}: model {doc.name} has amounts but its YAML says neither meta.not_additive_across nor "
        "meta.not_additive (what a reader must not add)"
    )


# --- reading the warehouse ------------------------------------------------------------------------


@dataclass(frozen=True)
class Mart:
    """One mart as it will be written: its documented columns in table order, rows and widths."""

    doc: ModelDoc
    columns: list[ColumnDoc]  # the sheet's: the mart's, each code column followed by its names
    kinds: list[str]
    n_rows: int
    widths: list[int]
    fits: bool = True  # False: more rows than one sheet holds; listed on the README sheet, no sheet
    note: str = ""  # the sheet's first row: what must not be added


def list_marts(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every table of schema ``marts`` (views such as intermediate models are not marts)."""
    rows = con.execute(
        "select table_name from information_schema.tables where table_schema = 'marts' "
        "and table_type = 'BASE TABLE' order by table_name"
    ).fetchall()
    return [name for (name,) in rows]


def table_columns(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[str]:
    rows = con.execute(
        "select column_name from information_schema.columns where table_schema = ? "
        "and table_name = ? order by ordinal_position",
        [schema, table],
    ).fetchall()
    return [name for (name,) in rows]


def _display_width(kind: str, length: int | None) -> int:
    if length is None:
        return 0
    if kind == "amount":  # grouping separators and up to three decimals
        return length + length // 3 + 1
    if kind == "share":
        return 8
    if kind in {"date", "timestamp"}:
        return 10 if kind == "date" else 19
    return length


def inspect_mart(con: duckdb.DuckDBPyConnection, doc: ModelDoc, max_rows: int, path: Path) -> Mart:
    """Count, measure and check a mart before a single cell of ``path`` is written (fail early, name it)."""
    names = table_columns(con, "marts", doc.name)
    columns = sheet_columns(doc, names)
    kinds = []
    for column in columns:
        try:
            kinds.append(column_kind(column))
        except WorkbookError as exc:
            raise WorkbookError(f"{doc.source}: {doc.name}.{exc}") from None
    decimal_columns = [c for c in columns if c.data_type.lower().startswith(("decimal", "numeric"))]
    measures = [
        f'max(length(cast("{c.name}" as varchar)))'
        if not c.names_of
        else (
            f"(select max(length(n.name_vi)) from core.dim_code_name as n where n.code_set = '{c.code_set}' "
            f'and n.code in (select "{c.names_of}" from marts.{doc.name}))'
        )
        for c in columns
    ]
    measures += [f'max(abs("{c.name}"))' for c in decimal_columns]
    row = con.execute(f"select count(*), {', '.join(measures)} from marts.{doc.name}").fetchall()[0]
    n_rows, lengths, largest = row[0], row[1 : 1 + len(columns)], row[1 + len(columns) :]
    for column, value in zip(decimal_columns, largest):
        if value is not None and value >= EXACT_LIMIT:
            raise WorkbookError(
                f"{path}: mart {doc.name}, column {column.name}: {value} has more than 15 significant "
                f"digits and cannot be written to Excel exactly"
            )
    widths = []
    for column, kind, length in zip(columns, kinds, lengths):
        header = max([min(len(column.name), NAME_WIDTH)] + [len(word) for word in label_vi(column).split()])
        widths.append(min(max(_display_width(kind, length), header, 6) + 2, MAX_WIDTH))
    return Mart(
        doc=doc,
        columns=columns,
        kinds=kinds,
        n_rows=n_rows,
        widths=widths,
        fits=n_rows + HEADER_ROWS <= max_rows,
        note=additivity_note(doc, kinds),
    )


def mart_rows(con: duckdb.DuckDBPyConnection, mart: Mart) -> Iterator[tuple[Any, ...]]:
    """The mart's rows in published order (its grain), fetched in batches; decimals as doubles; each
    names column from core.dim_code_name."""
    select, joins = [], []
    for c, k in zip(mart.columns, mart.kinds):
        if c.names_of:
            alias = f"names_{len(joins)}"
            joins.append(
                f"left join core.dim_code_name as {alias} on {alias}.code_set = '{c.code_set}' "
                f'and {alias}.code = mart."{c.names_of}"'
            )
            select.append(f"{alias}.name_vi")
        else:
            select.append(
                f'cast(mart."{c.name}" as double)' if k in {"amount", "number", "share"} else f'mart."{c.name}"'
            )
    cursor = con.execute(
        f"select {', '.join(select)} from marts.{mart.doc.name} as mart {' '.join(joins)} "
        f"order by {order_by(mart.doc, 'mart')}"
    )
    while batch := cursor.fetchmany(BATCH_ROWS):
        yield from batch


# --- writing ----------------------------------------------------------------------------------------


def _write_cell(sheet: Any, row: int, col: int, value: Any, kind: str, fmt: Any, where: Callable[[], str]) -> None:
    if value is None:
        return
    if kind == "text":
        if sheet.write_string(row, col, str(value), fmt) == -2:
            raise WorkbookError(f"{where()}: a text longer than Excel's 32,767 characters")
    elif kind == "boolean":
        sheet.write_boolean(row, col, bool(value), fmt)
    elif kind in {"date", "timestamp"}:
        sheet.write_datetime(
            row, col, value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time()), fmt
        )
    elif isinstance(value, float) and not math.isfinite(value):
        sheet.write_number(row, col, value, fmt)  # shown as #NUM! / #DIV/0! (nan_inf_to_errors)
    else:
        sheet.write_number(row, col, float(value) if isinstance(value, Decimal) else value, fmt)


def _write_readme(
    book: Any,
    styles: dict[str, Any],
    run_id: str,
    built_at: str,
    n_documents: int,
    marts: list[Mart],
    terms: list[list[str]],
) -> None:
    sheet = book.add_worksheet(README_SHEET)
    print_setup(sheet, 0, one_page=True)
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 1, 40)
    sheet.set_column(2, 2, 12)
    sheet.set_column(3, 3, README_TEXT_WIDTH)
    row = 0
    sheet.write_string(
        row,
        0,
        "ntp_poverty — Chương trình MTQG giảm nghèo bền vững / National Target Program "
        "for Sustainable Poverty Reduction: plan data",
        styles["title"],
    )
    row += 2
    for label, value in (
        (RUN_ID_LABEL, run_id),
        ("Thời điểm xây dựng / Built at", built_at),
        (
            "Đơn vị / Unit",
            "Số tiền: triệu đồng / amounts: million VND (1.234,5 = "
            "1,234.5 million VND; the separators follow the viewer's locale)",
        ),
        (
            "Nguồn / Source",
            f"{n_documents} provincial and district plan documents (Decision "
            "90/QĐ-TTg), transcribed with provenance (core.dim_document); "
            "totals that do not add up: data_quality_findings",
        ),
    ):
        sheet.write_string(row, 0, label, styles["bold"])
        sheet.write_string(row, 1, value)
        row += 1
    row += 1
    sheet.write_string(row, 0, "Trang tính / Sheet", styles["header"])
    sheet.write_string(row, 1, "Bảng / Mart", styles["header"])
    sheet.write_string(row, 2, "Số dòng / Rows", styles["header"])
    sheet.write_string(row, 3, "Nội dung / What it holds", styles["header"])
    row += 1
    if any(mart.doc.name == QUESTION_MART for mart in marts):
        text = (
            "Theo tỉnh, năm và dự án: vốn từng giai đoạn và tỷ lệ giải ngân, có dòng tổng / per province, year "
            "and project: funding at each phase and the disbursement rate, with a totals row (marts.funding_mix)"
        )
        sheet.set_row(row, LINE_HEIGHT * wrapped_lines(text, README_TEXT_WIDTH))
        sheet.write_string(row, 0, QUESTION_SHEET, styles["wrap"])
        sheet.write_string(row, 3, text, styles["wrap"])
        row += 1
    sheet.write_string(row, 0, COLUMNS_SHEET)
    sheet.write_string(row, 3, "Mô tả cột / every column of every mart: data type and description")
    row += 1
    for mart in marts:
        text = first_sentence(mart.doc.description) if mart.fits else omitted_note(mart)
        sheet.set_row(row, LINE_HEIGHT * wrapped_lines(text, README_TEXT_WIDTH))
        sheet.write_string(row, 0, mart.doc.name if mart.fits else "—", styles["wrap"])
        sheet.write_string(row, 1, f"marts.{mart.doc.name}", styles["wrap"])
        sheet.write_number(row, 2, mart.n_rows, styles["count"])
        sheet.write_string(row, 3, text, styles["wrap"])
        row += 1
    row += 1
    sheet.write_string(row, 0, "Thuật ngữ / Glossary", styles["title"])
    row += 1
    for index, cells in enumerate(terms):
        widths = (34, 40, README_TEXT_WIDTH)
        sheet.set_row(row, LINE_HEIGHT * max(wrapped_lines(c, w) for c, w in zip(cells[:3], widths)))
        for col, cell in enumerate(cells[:4]):
            sheet.write_string(row, col if col < 2 else 3, cell, styles["header"] if index == 0 else styles["wrap"])
        row += 1


def _write_columns(book: Any, styles: dict[str, Any], marts: list[Mart]) -> Table:
    sheet = book.add_worksheet(COLUMNS_SHEET)
    print_setup(sheet, HEADER_ROWS)
    widths = (24, 28, 26, 14, 18, 70)
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width, styles["text"])
    headers = [
        ("Bảng", "mart"),
        ("Cột", "column"),
        ("Tên tiếng Việt", "label_vi"),
        ("Kiểu dữ liệu", "data_type"),
        ("Định dạng", "excel_format"),
        ("Mô tả", "description"),
    ]
    write_note(
        sheet,
        "Mỗi dòng một cột của một bảng; cột tên (…_name_vi) chỉ có trong tệp này. / One row per column of a "
        "mart; the names columns (…_name_vi) are in this workbook only.",
        list(widths),
        styles["note"],
    )
    for header_row in (LABEL_ROW, NAME_ROW):  # row by row: constant_memory flushes a row once the next starts
        for col, labels in enumerate(headers):
            sheet.write_string(header_row, col, labels[header_row - LABEL_ROW], styles["header"])
    row = HEADER_ROWS
    for mart in marts:
        for column, kind in zip(mart.columns, mart.kinds):
            for col, value in enumerate(
                (
                    mart.doc.name,
                    column.name,
                    label_vi(column),
                    column.data_type,
                    FORMATS.get(kind, kind),
                    column.description,
                )
            ):
                sheet.write_string(row, col, value)
            row += 1
    sheet.freeze_panes(HEADER_ROWS, 0)
    return Table(COLUMNS_SHEET, COLUMNS_SHEET, NAME_ROW, tuple(name for _, name in headers), row - HEADER_ROWS)


def first_sentence(description: str) -> str:
    """What the README sheet says a sheet holds: the first sentence of the model's description (its
    grain); the whole description is on the docs site and in the data package."""
    for match in re.finditer(r"\.\s+(?=[A-ZĐ])", description):
        sentence = description[: match.start() + 1]
        if sentence.count("(") == sentence.count(")"):  # not a full stop inside brackets ("incl. ALL")
            return sentence
    return description


def omitted_note(mart: Mart) -> str:
    """The README sheet's line for a mart too large for a sheet: where to read it whole."""
    return (
        f"{OMITTED_LABEL}: {mart.n_rows:,} dòng / rows, more than a sheet of this workbook holds; đọc / read "
        f"parquet/{mart.doc.name}.parquet or datapackage/. {mart.doc.description}"
    )


def _write_mart(book: Any, styles: dict[str, Any], con: duckdb.DuckDBPyConnection, mart: Mart, target: Path) -> Table:
    sheet = book.add_worksheet(mart.doc.name)
    print_setup(sheet, HEADER_ROWS, width=sum(mart.widths))
    formats = [styles.get(kind) for kind in mart.kinds]
    for col, (width, fmt) in enumerate(zip(mart.widths, formats)):
        sheet.set_column(col, col, width, fmt)
    write_note(sheet, mart.note, mart.widths, styles["note"])  # row by row: constant_memory flushes a row
    header_rows(sheet, [label_vi(c) for c in mart.columns], [c.name for c in mart.columns], mart.widths)
    for col, column in enumerate(mart.columns):  # once the next starts
        sheet.write_string(LABEL_ROW, col, label_vi(column), styles["header"])
    for col, column in enumerate(mart.columns):
        sheet.write_string(NAME_ROW, col, column.name, styles["header"])
    row = HEADER_ROWS
    text_columns = [col for col, kind in enumerate(mart.kinds) if kind == "text"]
    for values in mart_rows(con, mart):
        lines = max([wrapped_lines(values[col], mart.widths[col]) for col in text_columns] or [1])
        if lines > 1:  # readers do not size a row to its wrapped text themselves (LibreOffice does not)
            sheet.set_row(row, LINE_HEIGHT * lines)
        for col, (value, kind, fmt) in enumerate(zip(values, mart.kinds, formats)):
            _write_cell(
                sheet,
                row,
                col,
                value,
                kind,
                fmt,
                lambda col=col, row=row: (
                    f"{target}: sheet {mart.doc.name}, column {mart.columns[col].name}, row {row + 1}"
                ),
            )
        row += 1
    sheet.freeze_panes(HEADER_ROWS, 0)
    return Table(mart.doc.name, mart.doc.name, NAME_ROW, tuple(c.name for c in mart.columns), mart.n_rows)


def _styles(book: Any) -> dict[str, Any]:
    styles = {kind: book.add_format({"num_format": code, "valign": "top"}) for kind, code in FORMATS.items()}
    styles["text"] = book.add_format({"text_wrap": True, "valign": "top"})  # a long text wraps in its column
    styles["header"] = book.add_format(
        {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDE4EE", "border": 1}
    )
    styles["bold"] = book.add_format({"bold": True})
    styles["title"] = book.add_format({"bold": True, "font_size": 13})
    styles["wrap"] = book.add_format({"text_wrap": True, "valign": "top"})
    styles["note"] = book.add_format({"italic": True, "font_color": "#7F3F00", "text_wrap": True, "valign": "top"})
    styles["total"] = book.add_format({"bold": True, "top": 1})
    styles["total_amount"] = book.add_format({"bold": True, "top": 1, "num_format": AMOUNT_FORMAT})
    styles["total_share"] = book.add_format({"bold": True, "top": 1, "num_format": SHARE_FORMAT})
    return styles


def write_workbook(database: Path, target: Path, run_id: str, project_dir: Path, max_rows: int = SHEET_ROWS) -> Path:
    """Write ``target/ntp_poverty.xlsx`` from the marts of ``database``; return its path.

    ``max_rows`` is the rows a sheet may have (a parameter so a test can prove the omission cheaply).
    """
    docs = read_model_docs(yaml_files(project_dir, MARTS_YAML_DIR))
    terms = glossary(project_dir)
    target.mkdir(parents=True, exist_ok=True)
    path = target / WORKBOOK_NAME
    with connect(database) as con:
        names = list_marts(con)
        missing = [name for name in names if name not in docs]
        if missing:
            raise WorkbookError(f"{project_dir / MARTS_YAML_DIR}: marts without a dbt YAML entry: {', '.join(missing)}")
        unusable = [n for n in names if len(n) > 31 or n.lower() in {README_SHEET.lower(), COLUMNS_SHEET}]
        if unusable:
            raise WorkbookError(
                f"{path}: mart names unusable as sheet names (over 31 characters or reserved): {', '.join(unusable)}"
            )
        marts = [inspect_mart(con, docs[name], max_rows, path) for name in names]
        built = con.execute("select max(built_at) from audit.warehouse_build").fetchone()[0]
        n_documents = con.execute("select count(*) from core.dim_document").fetchone()[0]
        book = xlsxwriter.Workbook(
            str(path),
            {
                "constant_memory": True,
                "nan_inf_to_errors": True,
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
            },
        )
        try:
            book.set_properties({"title": "ntp_poverty marts", "comments": f"run_id={run_id}"})
            book.set_custom_property("ntp_run_id", run_id)
            styles = _styles(book)
            _write_readme(
                book, styles, run_id, f"{built:%Y-%m-%d %H:%M:%S}" if built else "", n_documents, marts, terms
            )
            tables = write_question_sheets(book, styles, con) if QUESTION_MART in names else []
            tables.append(_write_columns(book, styles, marts))
            for mart in marts:
                if mart.fits:
                    tables.append(_write_mart(book, styles, con, mart, path))
        finally:
            book.close()
    add_tables(path, tables)
    return path


def workbook_run_id(path: Path) -> str | None:
    """The run id on the README sheet of a published workbook (the cell right of its label)."""
    import openpyxl  # a reader's dependency, not the writer's  # noqa: PLC0415 - a reader's dependency, not the writer's

    book = openpyxl.load_workbook(path, read_only=True)
    try:
        for cells in book[README_SHEET].iter_rows(min_col=1, max_col=2, values_only=True):
            if cells and cells[0] == RUN_ID_LABEL:
                return cells[1]
        return None
    finally:
        book.close()
