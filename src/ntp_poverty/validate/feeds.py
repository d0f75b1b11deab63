"""Validate a line-item feed against its contract before dbt reads it.

dbt would read a broken feed without a word or fail far from the cause: a text in an amount column
fails a cast with no file or row, an unknown code or a row filed under another province's folder
loads and lands in the wrong slice, a duplicated line item is counted twice. So the preflight runs
this first (``@check("feeds")`` in :mod:`ntp_poverty.validate.preflight`; the refresh exits 2 and publishes
nothing) and every error names the file, the row (the row's ``row_number``, 1-based within its file)
and the column. Nothing is repaired or dropped here.

The checks are DuckDB SQL over the feed's files, one scan per family, each returning a count and
the first offending rows (``arg_min(..., n)``: bounded state, no materialised result). The rows are
read in batches of whole partition folders (:func:`batches`), so the time and memory of a feed of
tens of millions of rows grow with its size, not faster (one pass over 50 million line items with
duplicate detection over all of them had spilled and taken ten times as long as 10 million).
Families: the folder layout (``province=<code>/year=<yyyy>/*.csv|*.parquet``, no stray file), each
file's header or Parquet schema, every cell (types, codes, the unit's level and validity in the
period, the folder's province and year, negative amounts the phase forbids, what a
total names), duplicate line items (report, geography, year, month, component, source, capital type,
phase), row numbers 1..n in each file, one file per report, no report named like a transcribed
document, and the optional ``acknowledged.csv``.

Usage: ``ntp validate feeds [FEED_DIR] [--seeds DIR] [--limit N]`` (default: the
folder in NTP_FEEDS, else feeds/sample); exits 1 when any error is found.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from ntp_poverty.common.arguments import existing_dir
from ntp_poverty.common.reporting import cut, report
from ntp_poverty.project import project_dir
from ntp_poverty.validate.feed_contract import (
    ACKNOWLEDGMENT_COLUMNS,
    CHECK_CODES,
    COLUMNS,
    DECLARATION_COLUMNS,
    DECLARATIONS,
    LEVELS,
    PARQUET_TYPES,
    feeds_dir,
)
from ntp_poverty.validate.feed_files import FeedListing, file_literal, list_feed, list_path, write_list

PARTITION = re.compile(r"province=([^/]+)/year=(\d{4})/[^/]+\.(csv|parquet)")
DECIMAL_TYPE = re.compile(r"DECIMAL\((\d+),\s*(\d+)\)")
AMOUNT = r"-?[0-9]{1,15}(\.[0-9]{1,3})?"
REPORT_ID = r"[A-Za-z0-9][A-Za-z0-9_.@-]{0,99}"
#: Files read per batch of row checks (whole partition folders): about 2.5 million line items of the
#: synthetic feed as Parquet, which the checks hold within their memory limit without spilling.
BATCH_BYTES = 32 * 1024 * 1024
#: The longest line a feed CSV may have (a line item's cells are codes and numbers: a few hundred
#: bytes). DuckDB reads a line of a megabyte for seconds in every scan; longer is refused at once.
MAX_LINE_BYTES = 64 * 1024


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _inventory(
    listing: FeedListing, provinces: set[str], partitions: tuple[str, ...] | None = None
) -> tuple[dict[str, list[Path]], list[str]]:
    """The listed data files by format (of ``partitions`` only, when given), and every error of the
    listing (files the contract refuses) and of a folder that is not a province."""
    files: dict[str, list[Path]] = {"csv": [], "parquet": []}
    errors = list(listing.errors)
    for item in listing.data_files():
        if item.province not in provinces:
            errors.append(
                f"{item.path}: folder province={item.province} is not a province code of "
                "seeds/reference/geographies.csv"
            )
        elif partitions is None or item.source_partition in partitions:
            files[item.kind].append(item.path)
    return files, errors


def declarations(path: Path) -> tuple[dict[str, set[str]], list[str]]:
    """What the optional ``declarations.csv`` declares (declaration -> subjects), and its errors."""
    declared: dict[str, set[str]] = {name: set() for name in DECLARATIONS}
    if not path.exists():
        return declared, []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if list(reader.fieldnames or []) != list(DECLARATION_COLUMNS):
            return declared, [f"{path}:1: the columns must be {', '.join(DECLARATION_COLUMNS)}"]
        rows = list(reader)
    errors = []
    for line, row in enumerate(rows, start=2):
        kind, subject, reason = (row.get(c) or "" for c in DECLARATION_COLUMNS)
        if kind not in DECLARATIONS:
            errors.append(f"{path}:{line}: column declaration: {cut(kind)!r} is not one of {', '.join(DECLARATIONS)}")
        elif not subject.strip() or not reason.strip():
            errors.append(f"{path}:{line}: a declaration names its subject ({DECLARATIONS[kind]}) and a reason")
        else:
            declared[kind].add(subject.strip())
    return declared, errors


def _empty_file_errors(files: dict[str, list[Path]], feed: Path, declared: set[str]) -> list[str]:
    """A data file with a header and no line item is refused unless declared empty: a report that
    lost its rows in the export would otherwise vanish without a word."""
    errors = []
    for path in files["csv"]:
        with path.open("rb") as handle:
            handle.readline()
            has_row = any(line.strip() for line in iter(handle.readline, b""))
        if not has_row and path.relative_to(feed).as_posix() not in declared:
            errors.append(
                f"{path}:2: the file has a header and no line item; remove it, or declare it in "
                "declarations.csv (empty_file, its path in the feed, the reason)"
            )
    for path in files["parquet"]:
        try:
            rows = pq.read_metadata(path).num_rows
        except (OSError, pa.ArrowException):
            continue  # the schema check names the unreadable file
        if rows == 0 and path.relative_to(feed).as_posix() not in declared:
            errors.append(
                f"{path}: the file has no line item; remove it, or declare it in declarations.csv "
                "(empty_file, its path in the feed, the reason)"
            )
    return errors


def _csv_structure_errors(path: Path, limit: int) -> list[str]:
    """Where a CSV file breaks its structure (not UTF-8, a row with another number of fields than the
    header, an unclosed quote), by line and column: what DuckDB's reader only reports as a dialect it
    cannot detect."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        start = data.rfind(b"\n", 0, exc.start) + 1
        header = next(csv.reader([data[: data.find(b"\n")].decode("utf-8", "replace").rstrip("\r")]), [])
        before = next(csv.reader([data[start : exc.start].decode("utf-8", "replace")]), [""])
        column = header[len(before) - 1] if 0 < len(before) <= len(header) else f"field {len(before)}"
        return [
            f"{path}:{line}: column {column}: not UTF-8 (bytes {data[exc.start : exc.start + 4]!r}); "
            "save the file as UTF-8"
        ]
    errors: list[str] = []
    header = next(csv.reader([text.split("\n", 1)[0].rstrip("\r")]), [])
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line.encode("utf-8")) > MAX_LINE_BYTES:
            cells = line.split(",")  # the csv module refuses a field this long
            longest = max(range(len(cells)), key=lambda i: len(cells[i]))
            column = header[longest] if longest < len(header) else f"field {longest + 1}"
            errors.append(
                f"{path}:{number}: column {column}: a line of {len(line):,} characters, longer than a feed "
                f"line may be ({MAX_LINE_BYTES:,} bytes) (value {cut(repr(cells[longest]))})"
            )
            continue
        field = _unclosed_quote_field(line)
        if field is not None:  # the contract's cells hold no line break: a quote must close on its line
            column = header[field] if field < len(header) else f"field {field + 1}"
            errors.append(f"{path}:{number}: column {column}: a quote that does not close on its line")
            if len(errors) >= limit:
                return errors
    if errors:
        return errors
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, [])
        for row in reader:
            if row and len(row) != len(header):
                where = header[len(header) - 1] if len(row) > len(header) else header[len(row) - 1]
                errors.append(
                    f"{path}:{reader.line_num}: column {where}: {len(row)} fields where the header has "
                    f"{len(header)} (a ragged row: an unquoted comma, or a missing field)"
                )
                if len(errors) >= limit:
                    break
    except csv.Error as exc:
        errors.append(f"{path}:{reader.line_num}: {exc} (an unclosed or stray quote)")
    return errors


def _unclosed_quote_field(line: str) -> int | None:
    """The 0-based field of ``line`` whose opening quote is never closed on the line, or None."""
    field, quoted, opened = 0, False, 0
    for character in line:
        if character == '"':
            quoted = not quoted
            opened = field if quoted else opened
        elif character == "," and not quoted:
            field += 1
    return opened if quoted else None


def _report_hashes(con: duckdb.DuckDBPyConnection) -> None:
    """Each report of the batch with the hash of its line items without its id and row numbers: the md5 of
    its rows' 64-bit hashes in order (a multiset of rows, whatever their order in the file; sorting the
    hashes instead of the rows' texts took a third of the time)."""
    content = ", ".join(f"coalesce({c}, '')" for c in COLUMNS if c not in ("report_id", "row_number"))
    con.execute(f"""
        insert into report_hashes
        select report_id, min(filename), count(*),
            md5(cast(list_sort(list(hash(concat_ws('|', {content})))) as varchar))
        from feed group by report_id
    """)


def _duplicate_report_errors(con: duckdb.DuckDBPyConnection, declared: set[str], limit: int) -> list[str]:
    """A report whose line items equal another's is the same export twice (its money would count
    twice): refused unless declared (declarations.csv, duplicate_report)."""
    errors = []
    for first, first_file, rows, others in con.execute(f"""
        select arg_min(report_id, report_id), arg_min(filename, report_id), any_value(n_rows),
            list((report_id, filename) order by report_id)[2:]
        from report_hashes group by content_hash having count(*) > 1 order by 1 limit {limit}
    """).fetchall():
        for report_id, filename in others:
            if report_id not in declared:
                errors.append(
                    f"{filename}: column report_id: report {cut(report_id)!r} has the same {rows} line items as report "
                    f"{cut(first)!r} ({first_file}): the same export twice counts its money twice; remove one, or "
                    "declare it in declarations.csv (duplicate_report, the report id, the reason)"
                )
    return errors


def _header_errors(path: Path) -> list[str]:
    """A CSV file must be UTF-8 without BOM, comma-separated, with exactly the contract's columns."""
    with path.open("rb") as handle:
        first = handle.readline()
    if first.startswith(b"\xef\xbb\xbf"):
        return [f"{path}:1: the file starts with a byte-order mark (BOM); write UTF-8 without BOM"]
    try:
        header = next(csv.reader([first.decode("utf-8").rstrip("\r\n")]), [])
    except UnicodeDecodeError:
        return [f"{path}:1: the header is not UTF-8"]
    if len(header) == 1 and any(d in header[0] for d in ";\t|"):
        return [f"{path}:1: columns must be separated by ',' (the header is one column: {header[0][:60]!r})"]
    return _column_errors(path, header)


def _column_errors(path: Path, columns: list[str]) -> list[str]:
    errors = [
        f"{path}:1: column {cut(c)!r} appears {columns.count(c)} times"
        for c in sorted(set(columns))
        if columns.count(c) > 1
    ]
    errors += [f"{path}:1: missing column {c!r}" for c in COLUMNS if c not in columns]
    errors += [
        f"{path}:1: unexpected column {cut(c)!r} (the contract's columns: {', '.join(COLUMNS)})"
        for c in columns
        if c not in COLUMNS
    ]
    return errors


def _schema_errors(con: duckdb.DuckDBPyConnection, path: Path) -> list[str]:
    """A Parquet file must have the contract's columns, each of a type the contract allows."""
    try:
        schema = con.execute(
            f"describe select * from read_parquet({file_literal(path)}, hive_partitioning = false)"
        ).fetchall()
    except duckdb.Error as exc:
        return [f"{path}: cannot be read as Parquet: {exc}"]
    errors = _column_errors(path, [name for name, *_ in schema])
    for name, kind, *_ in schema:
        allowed = PARQUET_TYPES.get(name)
        if allowed is None:
            continue
        decimal = DECIMAL_TYPE.fullmatch(kind)
        if decimal and "DECIMAL" in allowed:
            if int(decimal.group(2)) > 3 or int(decimal.group(1)) - int(decimal.group(2)) > 15:
                errors.append(f"{path}: column {name!r}: type {kind} does not fit decimal(18,3)")
        elif kind not in allowed:
            errors.append(f"{path}: column {name!r}: type {kind} is not allowed (allowed: {', '.join(allowed)})")
    return errors


def _load_reference(con: duckdb.DuckDBPyConnection, reference: Path) -> None:
    """The lookups every cell is checked against, as DuckDB tables."""

    def read(name: str) -> str:
        return f"read_csv({_quote(str(reference / (name + '.csv')))}, all_varchar = true, header = true)"

    con.execute(f"""
        create table geography as
        with units as (select * from {read("geographies")})
        select
            unit.geography_code, unit.admin_level,
            case
                when unit.admin_level = 'province' then unit.geography_code
                when parent.admin_level = 'province' then parent.geography_code
                else parent.parent_geography_code
            end as province_code,
            coalesce(cast(unit.valid_from as date), date '1900-01-01') as valid_from,
            coalesce(cast(unit.valid_to as date), date '2999-12-31') as valid_to
        from units as unit
        left join units as parent on unit.parent_geography_code = parent.geography_code
    """)
    con.execute(f"create table component as select component_code as code from {read('program_components')}")
    con.execute(f"create table source as select funding_source_code as code from {read('funding_sources')}")
    con.execute(f"create table capital as select capital_type_code as code from {read('capital_types')}")
    con.execute(
        f"create table phase as select phase_code as code, allows_negative = 'true' as allows_negative "
        f"from {read('plan_phases')}"
    )
    con.execute(f"create table document as select document_id from {read('documents')}")
    con.execute(
        "create table codes as select (select list(code) from component) as components, "
        "(select list(code) from source) as sources, (select list(code) from capital) as capitals, "
        "(select list(code) from phase) as phases"
    )


def _feed_view(con: duckdb.DuckDBPyConnection, files: dict[str, list[Path]]) -> None:
    """One view of every line item, every column as text, with its file and folder partition."""
    text_columns = ", ".join(f"cast({c} as varchar) as {c}" for c in COLUMNS)
    selects = []
    if files["csv"]:
        paths = "[" + ", ".join(file_literal(p) for p in files["csv"]) + "]"
        selects.append(
            f"select filename, province, year, {text_columns} from read_csv({paths}, header = true, "
            "delim = ',', quote = '\"', escape = '\"', comment = '', skip = 0, strict_mode = true, "
            f"null_padding = false, max_line_size = {MAX_LINE_BYTES}, all_varchar = true, union_by_name = true, "
            "hive_partitioning = true, hive_types_autocast = false, filename = true)"
        )
    if files["parquet"]:
        paths = "[" + ", ".join(file_literal(p) for p in files["parquet"]) + "]"
        selects.append(
            f"select filename, province, year, {text_columns} from read_parquet({paths}, "
            "union_by_name = true, hive_partitioning = true, hive_types_autocast = false, filename = true)"
        )
    con.execute("create or replace view feed as " + " union all ".join(selects))


def _cell_checks() -> list[tuple[str, str, str]]:
    """(column, condition that is true for a bad cell, message) for every cell rule."""

    def known(column: str, codes: str, extra: str = "") -> str:
        alternatives = f"{column} = {_quote(extra)} or " if extra else ""
        return f"not coalesce({alternatives}list_contains(codes.{codes}, {column}), false)"

    def listed(column: str, codes: str) -> str:
        return f"{column} is not null and not list_has_all(codes.{codes}, string_split({column}, '|'))"

    period_start = "make_date(try_cast(fiscal_year as integer), coalesce(try_cast(period_month as integer), 1), 1)"
    period_end = (
        "last_day(make_date(try_cast(fiscal_year as integer), coalesce(try_cast(period_month as integer), 12), 1))"
    )
    return [
        (
            "row_number",
            "not regexp_full_match(coalesce(row_number, ''), '[1-9][0-9]{0,8}')",
            "must be a positive integer",
        ),
        (
            "report_id",
            f"not regexp_full_match(coalesce(report_id, ''), '{REPORT_ID}')",
            "must be an id of letters, digits and _ . @ - (required)",
        ),
        (
            "report_id",
            "report_id in (select document_id from document)",
            "is the id of a transcribed document (seeds/reference/documents.csv)",
        ),
        ("geography_code", "g.geography_code is null", "unknown geography code (seeds/reference/geographies.csv)"),
        (
            "geography_level",
            f"geography_level is null or geography_level not in {LEVELS}",
            "must be one of province, district, commune",
        ),
        (
            "geography_level",
            "g.admin_level is not null and geography_level in ('province', 'district', 'commune') "
            "and geography_level != g.admin_level",
            "does not match the geography's admin_level",
        ),
        ("fiscal_year", "not regexp_full_match(coalesce(fiscal_year, ''), '(19|20)[0-9]{2}')", "must be a year (yyyy)"),
        (
            "fiscal_year",
            "regexp_full_match(coalesce(fiscal_year, ''), '(19|20)[0-9]{2}') and fiscal_year != year",
            "does not match the folder's year=",
        ),
        (
            "period_month",
            "period_month is not null and not regexp_full_match(period_month, '([1-9]|1[0-2])')",
            "must be a month 1-12 or empty",
        ),
        (
            "geography_code",
            "g.province_code is not null and g.province_code != province",
            "belongs to another province than the folder's province=",
        ),
        (
            "geography_code",
            f"g.geography_code is not null and try_cast(fiscal_year as integer) is not null "
            f"and (period_month is null or regexp_full_match(period_month, '([1-9]|1[0-2])')) "
            f"and ({period_end} < g.valid_from or {period_start} > g.valid_to)",
            "the unit does not exist in this period (valid_from/valid_to)",
        ),
        ("component_code", known("component_code", "components"), "unknown component (program_components)"),
        (
            "funding_source_code",
            known("funding_source_code", "sources", "total"),
            "unknown funding source (funding_sources, or total)",
        ),
        (
            "capital_type_code",
            known("capital_type_code", "capitals", "total"),
            "unknown capital type (capital_types, or total)",
        ),
        ("phase_code", known("phase_code", "phases"), "unknown phase (plan_phases)"),
        (
            "amount_million_vnd",
            f"not regexp_full_match(coalesce(amount_million_vnd, ''), '{AMOUNT}')",
            "must be a decimal with at most 3 decimals and 15 integer digits, '.' as decimal point (required)",
        ),
        (
            "amount_million_vnd",
            f"regexp_full_match(coalesce(amount_million_vnd, ''), '{AMOUNT}') "
            "and cast(amount_million_vnd as decimal(18, 3)) < 0 and not coalesce(p.allows_negative, true)",
            "is negative, which the phase does not allow (plan_phases.allows_negative)",
        ),
        (
            "is_printed_total",
            "is_printed_total is not null and is_printed_total not in ('true', 'false')",
            "must be true, false or empty",
        ),
        ("sums_components", listed("sums_components", "components"), "names an unknown component"),
        ("sums_funding_sources", listed("sums_funding_sources", "sources"), "names an unknown funding source"),
        ("sums_capital_types", listed("sums_capital_types", "capitals"), "names an unknown capital type"),
        (
            "sums_funding_sources",
            "(funding_source_code = 'total') != (sums_funding_sources is not null)",
            "is required exactly when funding_source_code is total",
        ),
        (
            "sums_capital_types",
            "(capital_type_code = 'total') != (sums_capital_types is not null)",
            "is required exactly when capital_type_code is total",
        ),
        (
            "is_printed_total",
            "coalesce(is_printed_total, 'false') != 'true' and (sums_components is not null "
            "or funding_source_code = 'total' or capital_type_code = 'total')",
            "must be true for a total (sums_components, or a source or capital type 'total')",
        ),
    ]


@dataclass
class Findings:
    """What the row checks found so far, batch after batch: per rule (a cell rule's index, or a set
    rule's name) how many rows break it and the first ``limit`` messages, in file order."""

    limit: int
    counts: dict[object, int] = field(default_factory=dict)
    examples: dict[object, list[str]] = field(default_factory=dict)

    def add(self, rule: object, count: int, messages: list[str]) -> None:
        self.counts[rule] = self.counts.get(rule, 0) + count
        shown = self.examples.setdefault(rule, [])
        shown += messages[: self.limit - len(shown)]

    def errors(self, more: dict[object, str]) -> list[str]:
        """Every example, then for each rule with more rows than shown how many more (``more[rule]``)."""
        out = []
        for rule in sorted(self.counts):  # type: ignore[type-var]  # all ints or all strs
            out += self.examples[rule]
            if self.counts[rule] > len(self.examples[rule]):
                out.append(more[rule].format(self.counts[rule] - len(self.examples[rule])))
        return out


def _row_errors(con: duckdb.DuckDBPyConnection, findings: Findings) -> None:
    """Every cell rule in one scan of the batch: per rule, how many rows break it and the first of them."""
    checks = _cell_checks()
    problems = ", ".join(f"case when {condition} then {i} end" for i, (_, condition, _) in enumerate(checks))
    rows = con.execute(f"""
        with checked as (
            select feed.*, list_filter([{problems}], lambda x: x is not null) as problems
            from feed
            left join geography as g on feed.geography_code = g.geography_code
            left join phase as p on feed.phase_code = p.code
            cross join codes
        ),
        broken as (
            select unnest(problems) as rule, filename, {", ".join(COLUMNS)}
            from checked where len(problems) > 0
        )
        select rule, count(*),
               arg_min([filename, {", ".join(COLUMNS)}], {{'f': filename, 'r': try_cast(row_number as bigint)}},
                       {findings.limit})
        from broken group by rule order by rule
    """).fetchall()
    for rule, count, examples in rows:
        column, _, message = checks[rule]
        position = COLUMNS.index(column) + 1
        findings.add(
            rule,
            count,
            [
                f"{example[0]}: row {cut(example[2])}: column {column}: {message} "
                f"(value {cut(repr(example[position]))})"
                for example in examples
            ],
        )


def _cell_more() -> dict[object, str]:
    return {
        rule: f"... and {{:,}} more row(s) whose column {column} {message}"
        for rule, (column, _, message) in enumerate(_cell_checks())
    }


def _set_errors(con: duckdb.DuckDBPyConnection, findings: Findings) -> None:
    """Rules over sets of rows within the batch: duplicates and row numbering per file (a duplicate has
    one report, and a report lies in one file, which :func:`_report_file_errors` checks over every
    batch). Records each report's files in ``report_files``."""
    key = (
        "report_id, geography_code, fiscal_year, period_month, component_code, funding_source_code, "
        "capital_type_code, phase_code"
    )
    where = "filename || ': row ' || row_number"
    order = "{'f': filename, 'r': try_cast(row_number as bigint)}"
    # the keys that repeat, found on one hash per row (a group by of eight text columns, each row's
    # message built, took half of the feed check); only their rows are grouped by value and named
    duplicates = con.execute(f"""
        with repeated as (select hash({key}) as key_hash from feed group by 1 having count(*) > 1)
        select count(*) over (), arg_min({where}, {order}), arg_max({where}, {order}), {key}
        from feed where hash({key}) in (select key_hash from repeated)
        group by all having count(*) > 1 order by 2 limit {findings.limit}
    """).fetchall()
    messages = [
        f"{second}: duplicate line item (report, geography, year, month, component, source, capital type, "
        f"phase = {', '.join('empty' if v is None else str(v) for v in values)}) of {first}"
        for _, first, second, *values in duplicates
    ]
    if duplicates:
        findings.add("duplicate", duplicates[0][0], messages)
    numbering = con.execute(f"""
        select count(*) over (), filename, count(*), count(distinct row_number), min(try_cast(row_number as bigint)),
               max(try_cast(row_number as bigint))
        from feed group by filename
        having count(distinct row_number) != count(*) or min(try_cast(row_number as bigint)) != 1
            or max(try_cast(row_number as bigint)) != count(*)
        order by 2 limit {findings.limit}
    """).fetchall()
    if numbering:
        findings.add(
            "numbering",
            numbering[0][0],
            [
                f"{file}: column row_number: the {rows:,} rows must be numbered 1..{rows:,} once each "
                f"({distinct:,} distinct numbers from {low} to {high})"
                for _, file, rows, distinct, low, high in numbering
            ],
        )
    con.execute("insert into report_files select distinct report_id, filename from feed")


SET_MORE: dict[object, str] = {
    "duplicate": "... and {:,} more duplicate line item(s)",
    "numbering": "... and {:,} more file(s) whose rows are not numbered 1..n",
}


def _report_file_errors(con: duckdb.DuckDBPyConnection, limit: int) -> list[str]:
    """A report's rows must be in one file, over every batch."""
    errors = []
    for report_id, files in con.execute(f"""
        select report_id, list(distinct filename order by filename)
        from report_files group by report_id having count(distinct filename) > 1 order by 1 limit {limit}
    """).fetchall():
        errors.append(
            f"{files[1]}: column report_id: report {cut(report_id)!r} is also in {files[0]}; a report's rows "
            "must be in one file (its provenance is file + row number)"
        )
    return errors


def batches(files: dict[str, list[Path]], batch_bytes: int = BATCH_BYTES) -> list[dict[str, list[Path]]]:
    """The files in batches of whole partition folders, each about ``batch_bytes`` on disk (at least one
    folder), in folder order: the row and set checks hold one batch at a time, so their time and
    memory grow with the feed instead of faster."""
    folders: dict[Path, dict[str, list[Path]]] = {}
    for kind, paths in files.items():
        for path in paths:
            folders.setdefault(path.parent, {"csv": [], "parquet": []})[kind].append(path)
    out: list[dict[str, list[Path]]] = []
    size = batch_bytes
    for folder in sorted(folders):
        if size >= batch_bytes:
            out.append({"csv": [], "parquet": []})
            size = 0
        for kind, paths in folders[folder].items():
            out[-1][kind] += paths
            size += sum(path.stat().st_size for path in paths)
    return out


def _acknowledgment_errors(con: duckdb.DuckDBPyConnection, path: Path, every_report_read: bool = True) -> list[str]:
    """The acknowledgments' columns, codes and duplicates; each names a report of the feed (checked only
    when every partition was read: an incremental refresh reads the changed ones, and the build's
    tests prove every acknowledgment names a document)."""
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        if header != list(ACKNOWLEDGMENT_COLUMNS):
            return [f"{path}:1: the columns must be {', '.join(ACKNOWLEDGMENT_COLUMNS)} (found {', '.join(header)})"]
        rows = list(reader)
    reports = {r for (r,) in con.execute("select distinct report_id from report_files").fetchall()} if rows else set()
    if not every_report_read:
        reports |= {row["document_id"] for row in rows}
    errors, seen = [], set()
    for line, row in enumerate(rows, start=2):
        if row["document_id"] not in reports:
            errors.append(f"{path}:{line}: column document_id: {cut(row['document_id'])!r} is not a report of the feed")
        if not re.fullmatch(r"[1-9][0-9]*", row["source_line"] or ""):
            errors.append(f"{path}:{line}: column source_line: must be the total's row_number")
        if row["check_code"] not in CHECK_CODES:
            errors.append(f"{path}:{line}: column check_code: unknown check {cut(row['check_code'])!r}")
        key = (row["document_id"], row["source_line"], row["check_code"])
        if key in seen:
            errors.append(f"{path}:{line}: the same acknowledgment appears twice")
        seen.add(key)
    return errors


def validate(
    feed: Path,
    reference: Path,
    limit: int = 20,
    memory_limit: str = "2GB",
    partitions: tuple[str, ...] | None = None,
    batch_bytes: int = BATCH_BYTES,
    listing: FeedListing | None = None,
) -> list[str]:
    """Every contract violation of the feed in ``feed`` (empty when it may be built).

    ``listing`` is the feed's file list (:func:`~ntp_poverty.validate.feed_files.list_feed`, made once
    by the refresh and read by dbt); listed here when not given. ``partitions``
    (``province=<code>/year=<yyyy>``) limits the row and file checks to those folders; the layout of
    the whole folder is still checked. Rows are checked in batches of folders of about
    ``batch_bytes`` (:func:`batches`).
    """
    if not feed.is_dir():
        return [f"{feed}: the feed folder does not exist (set NTP_FEEDS to a feed folder)"]
    listing = listing or list_feed(feed, with_hashes=False)
    declared, errors = declarations(feed / "declarations.csv")
    with tempfile.TemporaryDirectory(prefix="validate_feeds_") as spill, duckdb.connect() as con:
        con.execute(f"set memory_limit = {_quote(memory_limit)}")
        con.execute(f"set temp_directory = {_quote(spill)}")
        _load_reference(con, reference)
        provinces = {
            p for (p,) in con.execute("select geography_code from geography where admin_level = 'province'").fetchall()
        }
        files, listed_errors = _inventory(listing, provinces, partitions)
        errors += listed_errors
        layout = [e for path in files["csv"] for e in _header_errors(path)]
        layout += [e for path in files["parquet"] for e in _schema_errors(con, path)]
        layout += _empty_file_errors(files, feed, declared["empty_file"])
        if layout or not (files["csv"] or files["parquet"]):  # rows cannot be read by column name
            return errors + layout
        con.execute("create table report_files (report_id varchar, filename varchar)")
        con.execute(
            "create table report_hashes (report_id varchar, filename varchar, n_rows bigint, content_hash varchar)"
        )
        cells, sets = Findings(limit), Findings(limit)
        for batch in batches(files, batch_bytes):
            try:
                _feed_view(con, batch)
                _row_errors(con, cells)
                _set_errors(con, sets)
                _report_hashes(con)
            except duckdb.Error as exc:  # a file DuckDB cannot parse (quoting, field count, encoding)
                located = [e for path in batch["csv"] for e in _csv_structure_errors(path, limit)]
                return errors + (located or [f"{feed}: a file cannot be read as the contract says: {cut(str(exc))}"])
        errors += cells.errors(_cell_more()) + sets.errors(SET_MORE) + _report_file_errors(con, limit)
        errors += _duplicate_report_errors(con, declared["duplicate_report"], limit)
        return errors + _acknowledgment_errors(con, feed / "acknowledged.csv", partitions is None)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``ntp validate feeds [FEED_DIR] [--seeds DIR] [--limit N] [--list-out FILE]``."""
    parser.add_argument(
        "feed", nargs="?", type=existing_dir, help="feed folder (default: NTP_FEEDS, else feeds/sample)"
    )
    parser.add_argument("--seeds", type=existing_dir, help="seeds folder, reference/ inside (default: the project's)")
    parser.add_argument("--limit", type=int, default=20, help="offending rows shown per rule (default 20)")
    parser.add_argument(
        "--list-out",
        type=Path,
        help="where the list of the feed's files that dbt reads is written when the feed passes "
        "(default: NTP_FEED_FILES, else target/feed_files.csv)",
    )


def run(args: argparse.Namespace) -> int:
    """Exit 1 when any file breaks the contract, each error naming file, row and column; when it
    passes, write the list of its files that a plain ``dbt build`` reads."""
    try:
        feed = args.feed or feeds_dir(project_dir())
    except ValueError as exc:
        return report([exc], "nothing may be built", "")
    listing = list_feed(feed)
    errors = validate(feed, (args.seeds or project_dir() / "seeds") / "reference", args.limit, listing=listing)
    if errors:
        return report(errors, f"feed {feed}: {len(errors)} error(s); nothing may be built from it", "")
    out = write_list(listing, args.list_out or list_path(project_dir()))
    return report(
        [],
        "",
        f"feed {feed}: every file follows the contract; the list of its {len(listing.files)} file(s) dbt reads: {out}",
    )
