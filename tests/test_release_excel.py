"""The release's Excel workbook holds every mart exactly, says what it holds and refuses what Excel cannot hold."""

from __future__ import annotations

import datetime as dt
import math
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import openpyxl
import pytest

from conftest import ROOT
from ntp_poverty.publish.excel import (
    AMOUNT_FORMAT,
    COLUMNS_SHEET,
    HEADER_ROWS,
    LABEL_ROW,
    NAME_ROW,
    OMITTED_LABEL,
    QUESTION_SHEET,
    README_SHEET,
    RUN_ID_LABEL,
    SHARE_FORMAT,
    WorkbookError,
    column_kind,
    first_sentence,
    glossary,
    label_vi,
    read_model_docs,
    sheet_columns,
    workbook_run_id,
    wrapped_lines,
    write_workbook,
    yaml_files,
)
from ntp_poverty.publish.excel_tables import A4_WIDTH, TableError, TotalsRow, add_tables
from ntp_poverty.publish.excel_tables import Table as ExcelTable

RUN_ID = "20260101T000000Z-abc123"
slow = pytest.mark.slow  # the tests reading the built warehouse
MARTS_YAML = yaml_files(ROOT, Path("models") / "marts")  # _marts__models.yml, _marts__results.yml


@pytest.fixture(scope="module")
def workbook(built_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_workbook(built_warehouse, tmp_path_factory.mktemp("excel"), RUN_ID, ROOT)


@pytest.fixture(scope="module")
def book(workbook: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(workbook)


def marts_of(database: Path) -> list[str]:
    with duckdb.connect(str(database), read_only=True) as con:
        rows = con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' "
            "and table_type = 'BASE TABLE' order by 1"
        ).fetchall()
    return [name for (name,) in rows]


def assert_cell_equals(cell: Any, value: Any, where: str) -> None:
    """A sheet cell holds the warehouse value: numbers as numbers (to 0.001), text equal, nulls empty."""
    if value is None:
        assert cell is None, where
    elif isinstance(value, bool):
        assert cell is value, where
    elif isinstance(value, Decimal):
        assert isinstance(cell, (int, float)) and not isinstance(cell, bool), where
        assert abs(Decimal(repr(cell)) - value) < Decimal("0.001"), where
        assert Decimal(repr(float(cell))).quantize(Decimal("0.001")) == value, where  # full precision
    elif isinstance(value, float):
        assert isinstance(cell, (int, float)) and math.isclose(cell, value, rel_tol=1e-15, abs_tol=1e-15), where
    elif isinstance(value, int):
        assert cell == value and isinstance(cell, int), where
    elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        assert cell == dt.datetime.combine(value, dt.time()), where  # a date cell reads back at midnight
    else:
        assert cell == value, where


@slow
def test_every_mart_is_a_sheet_holding_exactly_its_rows(built_warehouse: Path, book: openpyxl.Workbook) -> None:
    docs = read_model_docs(MARTS_YAML)
    marts = marts_of(built_warehouse)
    assert marts and book.sheetnames == [README_SHEET, QUESTION_SHEET, COLUMNS_SHEET, *marts]
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        for mart in marts:
            doc = docs[mart]
            assert doc.grain, mart
            cursor = con.execute(f"select * from marts.{mart} order by {', '.join(doc.grain)}")
            names = [d[0] for d in cursor.description]
            expected = cursor.fetchall()
            sheet = book[mart]
            rows = list(sheet.iter_rows(values_only=True))
            columns = sheet_columns(doc, names)
            assert list(rows[LABEL_ROW]) == [label_vi(c) for c in columns], mart
            assert list(rows[NAME_ROW]) == [c.name for c in columns], mart
            assert len(rows) == len(expected) + HEADER_ROWS, mart
            position = {c.name: i for i, c in enumerate(columns)}
            for index, (got, want) in enumerate(zip(rows[HEADER_ROWS:], expected)):
                for name, value in zip(names, want):
                    cell = got[position[name]]
                    assert_cell_equals(cell, value, f"{mart} row {index + HEADER_ROWS + 1} column {name}")


@slow
def test_sheets_have_frozen_headers_autofilter_and_vietnamese_number_formats(book: openpyxl.Workbook) -> None:
    docs = read_model_docs(MARTS_YAML)
    seen_kinds = set()
    for mart in book.sheetnames[3:]:
        sheet = book[mart]
        assert sheet.freeze_panes == "A4", mart
        last = openpyxl.utils.get_column_letter(sheet.max_column)
        (table,) = sheet.tables.values()  # a named, filtered, banded Excel Table under the labels
        assert table.name == mart and table.ref == f"A3:{last}{max(sheet.max_row, 4)}", mart
        assert table.autoFilter.ref == table.ref and table.tableStyleInfo.showRowStripes, mart
        assert [c.name for c in table.tableColumns] == [c.value for c in sheet[3]], mart
        assert not table.totalsRowCount, mart  # a mart's rows span phases, levels or the tree: no totals row
        for col, header in enumerate(sheet[3], start=1):
            if header.value.endswith("_name_vi") and header.value not in docs[mart].columns:
                continue  # a names column of the workbook (test_code_columns_have_their_names_beside_them)
            kind = column_kind(docs[mart].columns[header.value])
            seen_kinds.add(kind)
            letter = openpyxl.utils.get_column_letter(col)
            assert sheet.column_dimensions[letter].width >= 8, (mart, header.value)
            for cell in sheet[letter][HEADER_ROWS:]:
                if cell.value is None:
                    continue
                if kind == "amount":
                    assert cell.number_format == AMOUNT_FORMAT and cell.data_type == "n", (mart, cell.coordinate)
                elif kind == "share":
                    assert cell.number_format == SHARE_FORMAT, (mart, cell.coordinate)
                elif kind == "integer":
                    assert cell.number_format == "0", (mart, cell.coordinate)  # years never "2.024"
    assert {"amount", "share", "integer", "text", "boolean"} <= seen_kinds
    funding = book["funding_mix"]
    headers = [c.value for c in funding[3]]
    assert column_kind(docs["funding_mix"].columns["total_funding"]) == "amount"
    assert funding.cell(2, headers.index("central_budget") + 1).value == "NSTW (triệu đồng)"
    assert "[$-42A]" in AMOUNT_FORMAT and "#,##0.0" in AMOUNT_FORMAT


@slow
def test_every_sheet_prints_landscape_fitted_to_width_with_its_headers_on_each_page(book: openpyxl.Workbook) -> None:
    for name in book.sheetnames:
        sheet = book[name]
        assert sheet.page_setup.orientation == "landscape", name
        width = sum((d.width or 0) for d in sheet.column_dimensions.values())
        assert sheet.page_setup.paperSize == (8 if width > A4_WIDTH else 9), name  # A4, A3 for a wide sheet
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, name
        assert sheet.page_setup.fitToWidth in (1, None), name  # 1 is the default openpyxl may omit
        if name == "README":
            assert sheet.page_setup.fitToHeight in (1, None), name  # the README on one page
        else:
            assert sheet.page_setup.fitToHeight == 0, name  # as many pages down as the rows need
            assert (sheet.print_title_rows or "").replace("$", "") == "1:3", name  # the header rows on every page


@slow
def test_readme_names_the_run_the_sheets_and_the_glossary(workbook: Path, book: openpyxl.Workbook) -> None:
    assert workbook_run_id(workbook) == RUN_ID
    cells = [c for row in book[README_SHEET].iter_rows(values_only=True) for c in row if c is not None]
    assert RUN_ID_LABEL in cells and RUN_ID in cells
    docs = read_model_docs(MARTS_YAML)
    for mart in book.sheetnames[3:]:
        said = first_sentence(docs[mart].description)
        assert said in cells and docs[mart].description.startswith(said) and len(said) > 20, mart
    assert QUESTION_SHEET in cells
    terms = glossary(ROOT)
    for row in terms:
        for cell in row:
            assert cell in cells, cell
    text = " ".join(str(c) for c in cells)
    for term in (
        "NSTW",
        "NSĐP",
        "vốn huy động hợp pháp khác",
        "tín dụng chính sách",
        "ĐTPT",
        "vốn sự nghiệp",
        "Dự án",
        "Tiểu dự án",
        "proposed",
        "approved",
        "executed",
    ):
        assert term in text, term
    assert book.properties is not None


@slow
def test_columns_sheet_documents_every_column_from_the_yaml(built_warehouse: Path, book: openpyxl.Workbook) -> None:
    docs = read_model_docs(MARTS_YAML)
    rows = list(book[COLUMNS_SHEET].iter_rows(values_only=True))
    assert rows[NAME_ROW] == ("mart", "column", "label_vi", "data_type", "excel_format", "description")
    listed = {(r[0], r[1]): r for r in rows[HEADER_ROWS:]}
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        columns = con.execute(
            "select table_name, column_name from information_schema.columns where table_schema = "
            "'marts' and table_name in (select table_name from information_schema.tables where "
            "table_schema = 'marts' and table_type = 'BASE TABLE')"
        ).fetchall()
    names_columns = {key for key in listed if key[1].endswith("_name_vi") and key not in set(columns)}
    assert set(listed) - names_columns == set(columns)
    for (mart, column), row in listed.items():
        if (mart, column) in names_columns:
            code = column.removesuffix("_name_vi")
            assert docs[mart].columns[code].code_set and "core.dim_code_name" in row[5], (mart, column)
            continue
        doc = docs[mart].columns[column]
        assert row[3] == doc.data_type and row[5] == doc.description and row[5], (mart, column)


@slow
def test_a_mart_larger_than_a_sheet_gets_no_sheet_and_a_readme_note(built_warehouse: Path, tmp_path: Path) -> None:
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        counts = {m: con.execute(f"select count(*) from marts.{m}").fetchone()[0] for m in marts_of(built_warehouse)}
    largest = max(counts, key=counts.get)
    limit = counts[largest] + HEADER_ROWS
    omitted = openpyxl.load_workbook(
        write_workbook(built_warehouse, tmp_path / "omitted", RUN_ID, ROOT, max_rows=limit - 1), read_only=True
    )
    assert largest not in omitted.sheetnames  # never a truncated sheet
    assert set(counts) - {largest} <= set(omitted.sheetnames)
    notes = [row for row in omitted[README_SHEET].iter_rows(values_only=True) if row[1] == f"marts.{largest}"]
    assert len(notes) == 1 and notes[0][2] == counts[largest]
    assert notes[0][3].startswith(OMITTED_LABEL) and f"parquet/{largest}.parquet" in notes[0][3]
    written = write_workbook(built_warehouse, tmp_path / "fits", RUN_ID, ROOT, max_rows=limit)
    assert openpyxl.load_workbook(written, read_only=True)[largest].max_row == limit


def tiny_project(
    tmp_path: Path, amounts: list[str], documented: bool = True, additivity: bool = True
) -> tuple[Path, Path]:
    """A project with one mart of the given decimal(18,3) amounts, and its warehouse."""
    project = tmp_path / "project"
    (project / "models" / "marts").mkdir(parents=True)
    shutil.copyfile(ROOT / "models" / "_docs.md", project / "models" / "_docs.md")
    columns = "  - {name: amount_id, data_type: varchar, description: Key., data_tests: [unique]}\n"
    if documented:
        columns += "  - {name: amount_million_vnd, data_type: 'decimal(18, 3)', description: Amount.}\n"
    (project / "models" / "marts" / "_m.yml").write_text(
        "version: 2\nmodels:\n- name: amounts\n  description: Amounts.\n"
        + ("  config: {meta: {not_additive: true}}\n" if additivity else "")
        + f"  columns:\n{columns}",
        encoding="utf-8",
    )
    database = tmp_path / "tiny.duckdb"
    with duckdb.connect(str(database)) as con:
        con.execute("create schema marts; create schema audit; create schema core")
        con.execute("create table core.dim_document as select 'd' as document_id")
        con.execute(
            "create table audit.warehouse_build as select 'r' as run_id, current_timestamp::timestamp as built_at"
        )
        con.execute("create table marts.amounts (amount_id varchar, amount_million_vnd decimal(18, 3))")
        for index, amount in enumerate(amounts):
            con.execute("insert into marts.amounts values (?, ?::decimal(18, 3))", [f"a{index:02d}", amount])
    return project, database


def test_amounts_keep_full_precision_up_to_fifteen_digits(tmp_path: Path) -> None:
    amounts = ["999999999999.999", "-123456789012.345", "0.001", "15555.250", "344961.000", "0.000"]
    project, database = tiny_project(tmp_path, amounts)
    path = write_workbook(database, tmp_path / "excel", RUN_ID, project)
    sheet = openpyxl.load_workbook(path)["amounts"]
    read = [row[1] for row in sheet.iter_rows(min_row=HEADER_ROWS + 1, values_only=True)]
    assert [Decimal(repr(float(v))).quantize(Decimal("0.001")) for v in read] == [Decimal(a) for a in amounts]
    assert all(sheet.cell(r, 2).data_type == "n" for r in range(HEADER_ROWS + 1, sheet.max_row + 1))


def test_an_amount_excel_cannot_hold_exactly_is_refused(tmp_path: Path) -> None:
    project, database = tiny_project(tmp_path, ["1000000000000.001"])
    with pytest.raises(WorkbookError, match=r"xlsx: mart amounts, column amount_million_vnd: 1000000000000\.001"):
        write_workbook(database, tmp_path / "excel", RUN_ID, project)


def test_every_mart_column_has_its_vietnamese_label_in_the_yaml() -> None:
    """Labels are declared once, in the dbt YAML (meta.label_vi), never in a list in Python."""
    docs = read_model_docs(MARTS_YAML)
    unlabelled = [f"{m}.{c.name}" for m, doc in docs.items() for c in doc.columns.values() if not c.label_vi]
    assert unlabelled == []
    assert docs["funding_mix"].columns["central_budget"].label_vi == "NSTW (triệu đồng)"


def test_an_undocumented_column_is_named(tmp_path: Path) -> None:
    project, database = tiny_project(tmp_path, ["1.000"], documented=False)
    with pytest.raises(WorkbookError, match=r"_m\.yml: model amounts does not document column amount_million_vnd"):
        write_workbook(database, tmp_path / "excel", RUN_ID, project)
    assert yaml_files(project, Path("models") / "marts") == [project / "models" / "marts" / "_m.yml"]


@slow
def test_code_columns_have_their_names_beside_them(built_warehouse: Path, book: openpyxl.Workbook) -> None:
    """Every code column with a ``has_code_name`` test is followed by the codes' Vietnamese names from
    core.dim_code_name (seeded, never a list in Python), unless the mart has the names already."""
    docs = read_model_docs(MARTS_YAML)
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        rows = con.execute("select code_set, code, name_vi from core.dim_code_name").fetchall()
    names = {(code_set, code): name for code_set, code, name in rows}
    checked = set()
    for mart in book.sheetnames[3:]:
        sheet = book[mart]
        headers = [c.value for c in sheet[NAME_ROW + 1]]
        for column in docs[mart].columns.values():
            if not column.code_set:
                continue
            own = f"{column.name.removesuffix('_code')}_name_vi"
            if own in docs[mart].columns:
                assert f"{column.name}_name_vi" not in headers, (mart, column.name)
                continue
            at = headers.index(column.name)
            assert headers[at + 1] == f"{column.name}_name_vi", (mart, column.name)
            assert sheet.cell(LABEL_ROW + 1, at + 2).value != sheet.cell(LABEL_ROW + 1, at + 1).value, mart
            cells = sheet.iter_rows(min_row=HEADER_ROWS + 1, min_col=at + 1, max_col=at + 2, values_only=True)
            for code, name in cells:
                assert (code is None and name is None) or name == names[(column.code_set, code)], (mart, code)
            checked.add(column.code_set)
    assert {"phase", "component", "admin_level", "funding_source", "capital_type", "check_code"} <= checked


@slow
def test_every_sheet_says_what_must_not_be_added(book: openpyxl.Workbook) -> None:
    """The first row of every mart sheet; the marts with amounts name the columns (YAML meta)."""
    docs = read_model_docs(MARTS_YAML)
    for mart in book.sheetnames[3:]:
        note = book[mart].cell(1, 1).value
        assert note and note.startswith(("Lưu ý", "Bảng không có số tiền")), mart
        for column in docs[mart].not_additive_across:
            assert f"({column})" in note, (mart, column)
    assert "phase_code" in book["funding_mix"].cell(1, 1).value
    assert "không cộng các số tiền" in book["data_quality_findings"].cell(1, 1).value


def test_every_amount_and_share_label_names_its_unit() -> None:
    docs = read_model_docs(MARTS_YAML)
    for mart, doc in docs.items():
        for column in doc.columns.values():
            kind = column_kind(column)
            if kind == "amount":
                assert column.label_vi.endswith("(triệu đồng)"), (mart, column.name)
            elif kind == "share":
                assert column.label_vi.endswith("(%)"), (mart, column.name)


def test_a_mart_with_amounts_must_say_what_not_to_add(tmp_path: Path) -> None:
    project, database = tiny_project(tmp_path, ["1.000"], additivity=False)
    with pytest.raises(WorkbookError, match=r"_m\.yml: model amounts has amounts but its YAML says neither"):
        write_workbook(database, tmp_path / "excel", RUN_ID, project)


@slow
def test_the_question_sheet_adds_up_to_the_mart(built_warehouse: Path, workbook: Path) -> None:
    """Per province, year and project, one column per phase; its totals row is the sum of
    marts.funding_mix at province level over DA1–DA7 for each phase, and the rate is disbursed ÷ allocated."""
    formulas = openpyxl.load_workbook(workbook)[QUESTION_SHEET]
    values = openpyxl.load_workbook(workbook, data_only=True)[QUESTION_SHEET]
    (table,) = formulas.tables.values()
    assert table.name == "province_projects" and table.totalsRowCount == 1
    headers = [c.value for c in formulas[NAME_ROW + 1]]
    assert [c.name for c in table.tableColumns] == headers
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        expected = dict(
            con.execute(
                "select phase_code, sum(total_funding) from marts.funding_mix where admin_level = 'province' "
                "and project_code <> 'ALL' group by 1"
            ).fetchall()
        )
        rows = con.execute(
            "select count(distinct (geography_code, fiscal_year, project_code)) from marts.funding_mix "
            "where admin_level = 'province' and project_code <> 'ALL'"
        ).fetchall()[0][0]
    last = formulas.max_row
    assert last == HEADER_ROWS + rows + 1
    totals = dict(zip(headers, next(values.iter_rows(min_row=last, max_row=last, values_only=True))))
    for phase in ("requested", "allocated", "disbursed", "forecast"):
        column = openpyxl.utils.get_column_letter(headers.index(phase) + 1)
        assert formulas[f"{column}{last}"].value == f"=SUBTOTAL(109,{column}{HEADER_ROWS + 1}:{column}{last - 1})"
        assert Decimal(str(totals[phase])).quantize(Decimal("0.001")) == expected.get(phase, Decimal(0)), phase
    assert totals["disbursement_rate"] == pytest.approx(float(expected["disbursed"] / expected["allocated"]))
    assert formulas.cell(last, 1).value.startswith("Tổng")
    assert all(isinstance(c, str) and c for c in next(values.iter_rows(min_row=2, max_row=2, values_only=True)))


def small_book(path: Path) -> Path:
    """A two-sheet workbook written as the release writes it (constant memory), no Table yet."""
    import xlsxwriter  # noqa: PLC0415 - the writer the release uses

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    for name in ("a", "b sheet"):
        sheet = book.add_worksheet(name)
        sheet.write_string(0, 0, "code")
        sheet.write_string(0, 1, "amount")
        for row in range(1, 4):
            sheet.write_string(row, 0, f"c{row}")
            sheet.write_number(row, 1, row * 1.5)
    book.close()
    return path


def test_tables_are_added_to_a_constant_memory_workbook(tmp_path: Path) -> None:
    path = small_book(tmp_path / "book.xlsx")
    totals = TotalsRow(labels={0: "Tổng"}, formulas={1: "SUBTOTAL(109,B2:B4)"})
    add_tables(
        path,
        [
            ExcelTable("a", "first", 0, ("code", "amount"), 3),
            ExcelTable("b sheet", "second", 0, ("code", "amount"), 2, totals=totals),
        ],
    )
    book = openpyxl.load_workbook(path)
    (first,) = book["a"].tables.values()
    (second,) = book["b sheet"].tables.values()
    assert (first.name, first.ref, first.autoFilter.ref) == ("first", "A1:B4", "A1:B4")
    assert (second.name, second.ref, second.totalsRowCount, second.autoFilter.ref) == ("second", "A1:B4", 1, "A1:B3")
    assert second.tableColumns[0].totalsRowLabel == "Tổng"
    assert second.tableColumns[1].totalsRowFormula.attr_text == "SUBTOTAL(109,B2:B4)"
    assert [row[1] for row in book["a"].iter_rows(min_row=2, values_only=True)] == [1.5, 3.0, 4.5]  # cells untouched


@pytest.mark.parametrize(
    ("tables", "message"),
    [
        ([ExcelTable("a", "A1", 0, ("code", "amount"), 3)], "not a valid Table name"),
        ([ExcelTable("a", "has space", 0, ("code", "amount"), 3)], "not a valid Table name"),
        ([ExcelTable("a", "t", 0, ("code", "Code"), 3)], "header names must be present and unique"),
        ([ExcelTable("a", "t", 0, ("code", "amount"), 3), ExcelTable("b sheet", "T", 0, ("x",), 3)], "a second Table"),
        ([ExcelTable("a", "t", 0, ("code", "amount"), 3), ExcelTable("a", "u", 0, ("x",), 3)], "more than one Table"),
        ([ExcelTable("nope", "t", 0, ("code", "amount"), 3)], "no sheet named nope"),
    ],
)
def test_a_table_excel_would_reject_is_refused_with_its_sheet(
    tmp_path: Path, tables: list[ExcelTable], message: str
) -> None:
    path = small_book(tmp_path / "book.xlsx")
    before = path.read_bytes()
    with pytest.raises(TableError, match=message):
        add_tables(path, tables)
    assert path.read_bytes() == before  # the file is left as it was


def test_a_wrapped_text_gets_the_lines_it_needs() -> None:
    """Readers do not size a row to its wrapped text (LibreOffice prints it over the next row), so the
    workbook sets the row's height from the longest text's lines."""
    assert wrapped_lines("Điện Biên", 28) == 1
    assert wrapped_lines(12345, 4) == 1  # only texts wrap
    name = "Chương trình mục tiêu quốc gia giảm nghèo bền vững giai đoạn 2021 - 2025"
    assert wrapped_lines(name, 28) == 3  # "Chương trình mục tiêu quốc" / "gia giảm nghèo bền vững" / ...
    assert wrapped_lines("x" * 60, 28) == 3  # a word longer than the column breaks within it (26 + 26 + 8)
    assert wrapped_lines("ab " * 13, 28) == 2


@slow
def test_a_code_without_a_name_fails_its_has_code_name_test(built_warehouse: Path, tmp_path: Path) -> None:
    """The gate behind the names columns closes: the compiled ``has_code_name`` test of a mart code
    column finds nothing in the build, and names the one code a changed row gives no name."""
    compiled = built_warehouse.parent / "target" / "compiled" / "ntp_poverty" / "models" / "marts"
    tests = sorted(compiled.rglob("has_code_name_*.sql"))
    assert len(tests) >= 45  # one per code column of the marts (49 today)
    sql = next(t for t in tests if t.name.startswith("has_code_name_funding_mix_admin_level")).read_text()
    copy = Path(shutil.copyfile(built_warehouse, tmp_path / built_warehouse.name))  # same catalog name
    with duckdb.connect(str(copy)) as con:
        assert con.execute(f"select count(*) from ({sql})").fetchall() == [(0,)]
        con.execute(
            "update marts.funding_mix set admin_level = 'hamlet' "
            "where rowid = (select min(rowid) from marts.funding_mix)"
        )
        assert con.execute(f"select * from ({sql})").fetchall() == [("hamlet",)]
