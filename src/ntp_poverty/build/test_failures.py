"""The rows behind a failed dbt data test, named: never just "Got 3 results".

dbt reports a failed data test as a count. Finding the rows meant running the compiled test by
hand. When a refresh's build fails a data test, :func:`describe_failures` runs each failed test's
compiled SQL (``compiled_code`` in ``run_results.json``) against the candidate file, read-only,
writes every failing row to ``<run dir>/test_failures/<test>.csv`` (the workspace of a failed run
is kept) and returns, per test, its first rows located the way every other error of the project is:
the file and line where the offending amount is printed, when the rows carry them (``source_file``
and ``source_line``, or a seed's ``document_id`` and ``source_line``), then the row's key columns.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import duckdb

from ntp_poverty.common.reporting import cut

#: Rows shown per failed test; the rest are in its CSV file.
SHOWN_ROWS = 10
#: Columns that locate a row, shown first (in this order) when the failing rows have them.
LOCATING_COLUMNS = ("document_id", "source_file", "source_line", "locator")
#: Columns shown after them when present: the keys of amounts, checks and their cells.
KEY_COLUMNS = (
    "amount_id",
    "plan_amount_id",
    "sum_check_id",
    "reported_total_id",
    "check_code",
    "geography_code",
    "fiscal_year",
    "period_start_year",
    "period_end_year",
    "phase_code",
    "component_code",
    "funding_source_code",
    "capital_type_code",
    "statement_group",
)
#: Other columns shown (in the test's order) when a row has no key column of its own.
OTHER_COLUMNS = 6


def _where(row: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
    """``file:line`` when the row says where it is printed, else the document and line, else '';
    and the columns that says already."""
    line = row.get("source_line")
    if row.get("source_file") and line is not None:
        return f"{row['source_file']}:{line}: ", ("source_file", "source_line")
    if row.get("document_id") and line is not None:
        return f"document {row['document_id']} line {line}: ", ("document_id", "source_line")
    return "", ()


def _shown_columns(columns: list[str]) -> list[str]:
    keys = [c for c in (*LOCATING_COLUMNS, *KEY_COLUMNS) if c in columns]
    if any(c in KEY_COLUMNS for c in keys):
        return keys
    return keys + [c for c in columns if c not in keys][:OTHER_COLUMNS]


def describe_row(row: dict[str, Any], columns: list[str]) -> str:
    """One failing row: where it is printed, then its key columns as ``name=value``."""
    where, said = _where(row)
    shown = [c for c in _shown_columns(columns) if c not in said and row.get(c) is not None]
    return where + ", ".join(f"{c}={cut(str(row[c]))}" for c in shown)


def failing_rows(
    candidate: Path, sql: str, out: Path, shown: int = SHOWN_ROWS
) -> tuple[int, list[str], list[dict[str, Any]]]:
    """Run one test's compiled SQL on ``candidate`` (read-only); write all its rows to ``out`` (CSV);
    return the count, the columns and the first ``shown`` rows."""
    body = sql.strip().rstrip(";")
    # the compiled SQL names the database by the warehouse file's stem (dbt-duckdb's catalog)
    with duckdb.connect() as con:
        path = str(candidate).replace("'", "''")
        con.execute(f"attach '{path}' as \"{candidate.stem}\" (read_only)")
        con.execute(f'use "{candidate.stem}"')
        cursor = con.execute(f"select * from ({body}) as failing")
        columns = [d[0] for d in cursor.description]
        out.parent.mkdir(parents=True, exist_ok=True)
        count, first = 0, []
        with out.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            while batch := cursor.fetchmany(10_000):
                writer.writerows(batch)
                first += [dict(zip(columns, values)) for values in batch[: max(shown - len(first), 0)]]
                count += len(batch)
    return count, columns, first


def describe_failures(candidate: Path, results: list[dict[str, Any]], run_dir: Path) -> list[str]:
    """Per failed data test of ``results``: its name, its number of rows, its first rows located
    and where all of them are; a test whose SQL cannot be run again says so (its message kept)."""
    lines: list[str] = []
    for result in results:
        if result.get("status") not in ("fail", "error") or not result["unique_id"].startswith("test."):
            continue
        name = result["unique_id"].split(".")[2]
        sql = result.get("compiled_code")
        if not sql or result["status"] == "error":
            if result.get("message"):  # dbt's own words are all there is
                lines.append(f"dbt test {name}: {cut(str(result['message']))}")
            continue
        out = run_dir / "test_failures" / f"{name[:120]}.csv"
        try:
            count, columns, first = failing_rows(candidate, sql, out)
        except duckdb.Error as exc:
            lines.append(f"dbt test {name}: {result.get('message')}; its rows could not be read again: {cut(str(exc))}")
            continue
        more = f"; the first {len(first)} below, all of them in {out}" if count > len(first) else f" (also in {out})"
        lines.append(f"dbt test {name}: {count} failing row(s){more}")
        lines += [f"  {describe_row(row, columns)}" for row in first]
    return lines
