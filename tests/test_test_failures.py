"""A failed dbt data test names its rows: where each is printed, its keys, and where all are kept."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb

from ntp_poverty.build.test_failures import SHOWN_ROWS, describe_failures, describe_row


def _candidate(tmp_path: Path) -> Path:
    candidate = tmp_path / "ntp_poverty.duckdb"
    with duckdb.connect(str(candidate)) as con:
        con.execute("create schema audit")
        con.execute(
            "create table audit.sum_checks as select 'doc_a' as document_id, 'documents/a.txt' as source_file, "
            "i as source_line, 'DA' || i as component_code, 'mismatch' as outcome from range(1, 26) as t(i)"
        )
        con.execute("create table audit.plain as select 'x' as label, 2 as n")
    return candidate


def _result(name: str, sql: str, status: str = "fail") -> dict[str, object]:
    return {"unique_id": f"test.ntp_poverty.{name}.abc", "status": status, "compiled_code": sql, "message": "Got 25"}


def test_each_failed_test_names_its_first_rows_by_file_and_line_and_keeps_all(tmp_path: Path) -> None:
    candidate = _candidate(tmp_path)
    sql = 'select * from "ntp_poverty"."audit"."sum_checks" where outcome = \'mismatch\'\n'
    lines = describe_failures(candidate, [_result("gate", sql), _result("passed", sql, "pass")], tmp_path)
    out = tmp_path / "test_failures" / "gate.csv"
    assert lines[0] == f"dbt test gate: 25 failing row(s); the first {SHOWN_ROWS} below, all of them in {out}"
    assert lines[1] == "  documents/a.txt:1: document_id=doc_a, component_code=DA1"
    assert len(lines) == 1 + SHOWN_ROWS  # the passing test says nothing
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 25 and rows[-1]["source_line"] == "25"


def test_rows_without_a_location_show_their_columns_and_an_unreadable_test_keeps_dbts_message(tmp_path: Path) -> None:
    candidate = _candidate(tmp_path)
    lines = describe_failures(
        candidate,
        [
            _result("plain", 'select * from "ntp_poverty"."audit"."plain"'),
            _result("gone", 'select * from "ntp_poverty"."audit"."no_such_table"'),
            _result("broken", "select 1", status="error"),
        ],
        tmp_path,
    )
    assert lines[0].startswith("dbt test plain: 1 failing row(s) (also in ")
    assert lines[1] == "  label=x, n=2"
    assert lines[2].startswith("dbt test gone: Got 25; its rows could not be read again: ")
    assert lines[3] == "dbt test broken: Got 25"


def test_a_seed_row_is_located_by_its_document_and_line() -> None:
    row = {"document_id": "lang_son_2023", "source_line": 115, "amount_id": "a1", "note": "x"}
    assert describe_row(row, list(row)) == "document lang_son_2023 line 115: amount_id=a1"
