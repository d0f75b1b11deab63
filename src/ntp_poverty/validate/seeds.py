"""Validate every seed CSV against the schema declared in the seeds' YAML, before dbt loads it.

dbt would load a malformed CSV without complaint (a wrong delimiter becomes one wide column,
a BOM sticks to the first header, a typo in "1.650" becomes text), so the build runs this first
and stops on the first problem file with errors of the form ``path:line:column (name): message``.
Nothing is dropped or repaired: the transcription is fixed by hand, never here.

Column ``meta`` declares what one cell must be (``type``: text, integer, decimal, vi_number,
boolean, date (ISO), sha256 (64 lowercase hex digits); ``required``, ``accepted_values``,
``references``, ``list_of``; see ``seeds/transcription/_transcription__seeds.yml``) and how cells
of one row must agree, so that any seed gets the same checks by declaring them:

* ``parses_to: <column>`` on a ``vi_number`` column: the printed text, read strictly the Vietnamese
  way, equals the decimal stored in ``<column>`` (``empty_means: <column>``: an empty printed
  value stands for that column's printed value, as an empty high end of a range means "= low").
* ``amount_of: {value: <column>, unit: <column>}``: the amount in million VND is the value times
  the unit's factor (triệu đồng 1, tỷ đồng 1000, đồng 0.000001) and is empty for percentages.
* ``fits: decimal(p,s)``: the value fits the type staging casts it to (at most p-s integer digits
  and s decimals), instead of failing or being rounded inside dbt.
* ``negative_allowed_by: {via: <column>, flag: <seed>.<column>}``: a negative value is refused
  unless the reference row that ``via`` points to has the flag set (``plan_phases.allows_negative``:
  requests, allocations, disbursements and forecasts are never negative).
* ``exists_on: {date: <column>, else_year: <column>}`` on a column with ``references``: the
  referenced unit exists on the row's date (its ``valid_from``/``valid_to``); without a date, on
  1 January of ``else_year``. A document issued after 1 July 2025 about Cần Thơ is keyed to
  ``92@2025``, not to the legacy ``92``.

Seed ``meta`` adds ``primary_key``, ``unique_combination`` (columns that identify one printed
number: a second row with the same combination under another id would be counted twice) and
``may_be_empty: true`` (a header-only file is otherwise refused: an emptied seed would publish a
warehouse that silently lost its rows).

Usage: ``ntp validate seeds [SEEDS_DIR]``; exits 1 when any error is found.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from ntp_poverty.common.arguments import existing_dir
from ntp_poverty.common.reporting import report
from ntp_poverty.common.vn_numbers import VietnameseNumberError, parse_vi_number, to_million_vnd
from ntp_poverty.project import project_dir

BOM = "\ufeff"
BOOLEANS = {"true", "false"}
#: A ``sha256`` cell: the digest in lowercase hexadecimal
SHA256 = re.compile(r"[0-9a-f]{64}")
OTHER_DELIMITERS = (";", "\t", "|")
DECIMAL_TYPE = re.compile(r"decimal\((\d+),\s*(\d+)\)")

Rows = list[tuple[int, dict[str, str]]]
#: ``negative_allowed_by`` lookups: (via's reference, flag) -> key value -> flag value; None = unreadable.
FlagTables = dict[tuple[str, str], dict[str, str] | None]
#: ``exists_on`` lookups: referenced seed.column -> key -> (valid_from, valid_to); None = unreadable.
ValidityTables = dict[str, dict[str, tuple[str, str]] | None]


@dataclass(frozen=True)
class SeedError:
    """One problem, located as precisely as the input allows."""

    path: Path
    line: int
    column: int
    column_name: str
    message: str

    def __str__(self) -> str:
        where = f" ({self.column_name})" if self.column_name else ""
        return f"{self.path}:{self.line}:{self.column}{where}: {self.message}"


@dataclass
class SeedSpec:
    """A seed's declared schema, read from its YAML."""

    name: str
    path: Path
    columns: list[str]
    meta: dict[str, dict[str, Any]]
    primary_key: list[str]
    column_types: dict[str, str] = field(default_factory=dict)
    seed_meta: dict[str, Any] = field(default_factory=dict)


def load_specs(seeds_dir: Path) -> dict[str, SeedSpec]:
    """Read every ``*.yml`` under ``seeds_dir`` and return the declared seeds by name."""
    specs: dict[str, SeedSpec] = {}
    for yml in sorted(seeds_dir.rglob("*.yml")):
        doc = yaml.safe_load(yml.read_text(encoding="utf-8")) or {}
        for seed in doc.get("seeds", []):
            cols = seed.get("columns", [])
            specs[seed["name"]] = SeedSpec(
                name=seed["name"],
                path=yml.parent / f"{seed['name']}.csv",
                columns=[c["name"] for c in cols],
                meta={c["name"]: c.get("meta", {}) for c in cols},
                primary_key=list(seed.get("meta", {}).get("primary_key", [])),
                column_types=dict(seed.get("config", {}).get("column_types", {})),
                seed_meta=dict(seed.get("meta", {})),
            )
    return specs


def read_rows(spec: SeedSpec) -> tuple[list[tuple[int, dict[str, str]]], list[SeedError]]:
    """Parse a seed file strictly; return (line number, row) pairs and structural errors."""
    path = spec.path
    errors: list[SeedError] = []
    if not path.exists():
        return [], [SeedError(path, 0, 0, "", "seed file is missing")]
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return [], [SeedError(path, line, col, "", f"not UTF-8: {exc.reason}")]
    if text.startswith(BOM):
        return [], [SeedError(path, 1, 1, "", "file starts with a UTF-8 byte-order mark (BOM); save without BOM")]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        return [], [SeedError(path, 1, 1, "", "file is empty")]
    except csv.Error as exc:
        return [], [SeedError(path, 1, 1, "", f"unreadable CSV header: {exc}")]
    if len(header) == 1 and any(d in header[0] for d in OTHER_DELIMITERS):
        return [], [SeedError(path, 1, 1, "", "wrong delimiter: the header is one field; seeds are comma-separated")]
    missing = [c for c in spec.columns if c not in header]
    extra = [c for c in header if c not in spec.columns]
    for c in missing:
        errors.append(SeedError(path, 1, spec.columns.index(c) + 1, c, "declared column is missing from the header"))
    for c in extra:
        errors.append(SeedError(path, 1, header.index(c) + 1, c, "column is not declared in the seed's YAML"))
    if not missing and not extra and header != spec.columns:
        errors.append(SeedError(path, 1, 1, "", "columns are not in the declared order"))
    if errors:
        return [], errors
    rows: list[tuple[int, dict[str, str]]] = []
    line = reader.line_num + 1
    try:
        for record in reader:
            if len(record) != len(header):
                errors.append(
                    SeedError(
                        path,
                        line,
                        min(len(record), len(header)) + 1,
                        "",
                        f"{len(record)} fields where the header has {len(header)}",
                    )
                )
            else:
                rows.append((line, dict(zip(header, record))))
            line = reader.line_num + 1
    except csv.Error as exc:
        errors.append(SeedError(path, line, 1, "", f"unreadable CSV record: {exc}"))
    return rows, errors


def check_value(value: str, meta: dict[str, Any], allowed: dict[str, set[str] | None]) -> str | None:
    """Return a message when ``value`` breaks its column's declared rules, else None."""
    if value != unicodedata.normalize("NFC", value):
        return f"text is not Unicode NFC: {value!r}"
    if value == "":
        return "required value is empty" if meta.get("required") else None
    kind = meta.get("type", "text")
    try:
        if kind == "integer":
            int(value)
        elif kind == "decimal":
            Decimal(value)
        elif kind == "vi_number":
            parse_vi_number(value)
        elif kind == "date":
            date.fromisoformat(value)
    except VietnameseNumberError as exc:
        return f"not a valid {kind}: {value!r}" + (f" ({exc.hint})" if exc.hint else "")
    except (ValueError, InvalidOperation):
        return f"not a valid {kind}: {value!r}"
    if kind == "boolean" and value not in BOOLEANS:
        return f"not true/false: {value!r}"
    if kind == "sha256" and not SHA256.fullmatch(value):
        return f"not a SHA-256 (64 lowercase hexadecimal digits): {value!r}"
    if "accepted_values" in meta and value not in {str(v) for v in meta["accepted_values"]}:
        return f"{value!r} is not one of {meta['accepted_values']}"
    # no set union per cell: the national geography makes ~50,000 reference cells
    if (
        "references" in meta
        and allowed[meta["references"]] is not None
        and value not in allowed[meta["references"]]
        and value not in {str(v) for v in meta.get("extra_values", [])}
    ):
        return f"unknown code {value!r} (not in {meta['references']})"
    if "list_of" in meta and allowed[meta["list_of"]] is not None:
        unknown = [v for v in value.split("|") if v not in allowed[meta["list_of"]]]
        if unknown:
            return f"unknown code(s) {unknown} in list (not in {meta['list_of']})"
    return None


def referenced_values(
    specs: dict[str, SeedSpec], parsed: dict[str, list[tuple[int, dict[str, str]]]], broken: set[str]
) -> dict[str, set[str] | None]:
    """Collect the values of every ``seed.column`` that some column references.

    A seed that could not be read (``broken``) maps to None: references to it are not checked,
    so one damaged lookup is reported once instead of once per row that uses it.
    """
    wanted = {m[k] for s in specs.values() for m in s.meta.values() for k in ("references", "list_of") if k in m}
    out: dict[str, set[str] | None] = {}
    for ref in wanted:
        seed, col = ref.split(".")
        out[ref] = None if seed in broken else {row[col] for _, row in parsed.get(seed, []) if col in row}
    return out


def _decimal(value: str) -> Decimal | None:
    """The cell as a Decimal, or None when it is empty or not a decimal (reported elsewhere)."""
    try:
        return Decimal(value) if value else None
    except InvalidOperation:
        return None


def _printed_value(value: str) -> Decimal | None:
    """The printed cell read strictly, or None when empty or unreadable (reported elsewhere)."""
    try:
        return parse_vi_number(value) if value else None
    except VietnameseNumberError:
        return None


def check_parses_to(column: str, meta: dict[str, Any], row: dict[str, str]) -> tuple[str, str] | None:
    """``parses_to``: the printed number and the stored decimal agree; (column, message) if not."""
    target, source, printed = meta["parses_to"], column, row[column]
    if printed == "" and "empty_means" in meta:
        source = meta["empty_means"]
        printed = row[source]
    parsed, stored = _printed_value(printed), _decimal(row[target])
    if parsed is None or stored is None or parsed == stored:
        return None
    stands_for = f" ({column} is empty: it stands for {source})" if source != column else ""
    return target, f"{target} {row[target]} disagrees with {source} {printed!r}, which reads {parsed}{stands_for}"


def check_amount_of(column: str, meta: dict[str, Any], row: dict[str, str]) -> tuple[str, str] | None:
    """``amount_of``: amount = value x unit factor, empty for percentages; (column, message) if not."""
    value_col, unit_col = meta["amount_of"]["value"], meta["amount_of"]["unit"]
    value, unit = _decimal(row[value_col]), row[unit_col]
    if value is None:
        return None
    try:
        expected = to_million_vnd(value, unit)
    except VietnameseNumberError:
        return None  # an unknown unit is reported by the unit column's accepted_values
    stored = row[column]
    if expected is None:
        return None if stored == "" else (column, f"must be empty: {unit!r} is not a money unit")
    if stored == "":
        return column, f"is empty, but {value_col} {value} {unit} is {expected} million VND"
    amount = _decimal(stored)
    if amount is not None and amount != expected:
        return column, f"{stored} disagrees with {value_col} {value} {unit} = {expected.normalize():f} million VND"
    return None


def check_fits(column: str, meta: dict[str, Any], row: dict[str, str]) -> tuple[str, str] | None:
    """``fits: decimal(p,s)``: the value survives staging's cast unchanged; (column, message) if not."""
    value = _decimal(row[column])
    match = DECIMAL_TYPE.fullmatch(str(meta["fits"]).replace(" ", ""))
    if value is None or match is None or not value.is_finite():
        return None
    precision, scale = int(match[1]), int(match[2])
    _, digits, exponent = value.normalize().as_tuple()
    assert isinstance(exponent, int)
    decimals = max(-exponent, 0)
    integers = max(len(digits) + exponent, 0) if value else 0
    if integers > precision - scale:
        return column, (
            f"{row[column]} does not fit {meta['fits']}: {integers} integer digits (at most {precision - scale})"
        )
    if decimals > scale:
        return column, (
            f"{row[column]} does not fit {meta['fits']}: {decimals} decimals (at most {scale}; the cast would round it)"
        )
    return None


def check_sign(
    column: str, meta: dict[str, Any], row: dict[str, str], spec: SeedSpec, flags: FlagTables
) -> tuple[str, str] | None:
    """``negative_allowed_by``: a negative value only where the referenced row's flag is true."""
    value = _decimal(row[column])
    rule = meta["negative_allowed_by"]
    if value is None or value >= 0:
        return None
    via, flag = rule["via"], str(rule["flag"])
    table = flags.get((spec.meta[via].get("references", ""), flag))
    if table is None:
        return None  # the flag's seed could not be read: reported once there
    if table.get(row[via]) == "true":
        return None
    return column, f"negative amount {row[column]} where {via} {row[via]!r} does not allow one ({flag} is not true)"


def declaration_errors(spec: SeedSpec, specs: dict[str, SeedSpec]) -> list[SeedError]:
    """Row rules that name a column or seed that does not exist (a typo in the YAML).

    Located at the header cell of the declaring column (line 1), so that a broken declaration is
    a located error instead of a crash, and the seed's row rules are skipped.
    """
    errors: list[SeedError] = []

    def bad(column: str, message: str) -> None:
        index = spec.columns.index(column) + 1 if column in spec.columns else 1
        errors.append(SeedError(spec.path, 1, index, column, f"declaration in the seed's YAML: {message}"))

    for column, meta in spec.meta.items():
        named = [
            meta.get("parses_to"),
            meta.get("empty_means"),
            *dict(meta.get("amount_of") or {}).values(),
            dict(meta.get("negative_allowed_by") or {}).get("via"),
            *dict(meta.get("exists_on") or {}).values(),
        ]
        for other in (n for n in named if n is not None):
            if other not in spec.columns:
                bad(column, f"names column {other!r}, which the seed does not have")
        if "exists_on" in meta and "references" not in meta:
            bad(column, "exists_on needs references (the seed whose valid_from/valid_to apply)")
        if "fits" in meta and not DECIMAL_TYPE.fullmatch(str(meta["fits"]).replace(" ", "")):
            bad(column, f"fits {meta['fits']!r} is not decimal(p,s)")
        rule = meta.get("negative_allowed_by")
        if rule and rule.get("via") in spec.columns:
            reference = str(spec.meta[rule["via"]].get("references", ""))
            flag_seed, _, flag_col = str(rule.get("flag", "")).partition(".")
            if reference.partition(".")[0] != flag_seed or flag_col not in getattr(specs.get(flag_seed), "columns", []):
                bad(
                    column,
                    f"negative_allowed_by flag {rule.get('flag')!r} is not a column of the seed that "
                    f"{rule['via']} references ({reference or 'none'})",
                )
    for other in spec.seed_meta.get("unique_combination", []):
        if other not in spec.columns:
            bad(str(other), f"unique_combination names column {other!r}, which the seed does not have")
    return errors


def flag_tables(specs: dict[str, SeedSpec], parsed: dict[str, Rows], broken: set[str]) -> FlagTables:
    """For every (valid) ``negative_allowed_by``: key value -> flag value in the referenced seed."""
    tables: FlagTables = {}
    for spec in specs.values():
        for meta in spec.meta.values():
            rule = meta.get("negative_allowed_by")
            if not rule or spec.name in broken:
                continue
            reference, flag = str(spec.meta[rule["via"]].get("references", "")), str(rule["flag"])
            seed, _, key_col = reference.partition(".")
            flag_col = flag.partition(".")[2]
            tables[(reference, flag)] = (
                None if seed in broken else {row[key_col]: row.get(flag_col, "") for _, row in parsed.get(seed, [])}
            )
    return tables


def validity_tables(specs: dict[str, SeedSpec], parsed: dict[str, Rows], broken: set[str]) -> ValidityTables:
    """For every ``exists_on``: key -> (valid_from, valid_to) in the referenced seed."""
    tables: ValidityTables = {}
    for spec in specs.values():
        for meta in spec.meta.values():
            if "exists_on" in meta and "references" in meta:
                seed, _, key_col = str(meta["references"]).partition(".")
                tables[meta["references"]] = (
                    None
                    if seed in broken
                    else {r[key_col]: (r.get("valid_from", ""), r.get("valid_to", "")) for _, r in parsed.get(seed, [])}
                )
    return tables


def _iso_date(value: str) -> date | None:
    """The cell as a date, or None when empty or not ISO (reported elsewhere)."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def check_exists_on(
    column: str, meta: dict[str, Any], row: dict[str, str], validity: ValidityTables
) -> tuple[str, str] | None:
    """``exists_on``: the referenced unit exists on the row's date; (column, message) if not."""
    rule, code = meta["exists_on"], row[column]
    table = validity.get(str(meta["references"]))
    if not table or code not in table:
        return None  # an unknown code or an unreadable seed is reported elsewhere
    dated, year = row[rule["date"]], row.get(rule.get("else_year", ""), "")
    day = _iso_date(dated) or (_iso_date(f"{year}-01-01") if year.isdigit() else None)
    if day is None:
        return None
    valid_from, valid_to = table[code]
    start, end = _iso_date(valid_from), _iso_date(valid_to)
    if (start is None or start <= day) and (end is None or day <= end):
        return None
    basis = f"{rule['date']} {dated}" if dated else f"{rule['else_year']} {year}, no {rule['date']}"
    return column, (
        f"{code!r} does not exist on {day} ({basis}): valid from {valid_from or 'the start'} to "
        f"{valid_to or 'today'}; key the row to the unit of its date (a province whose territory changed "
        "on 1 July 2025 is '<code>@2025' from then)"
    )


def row_rule_errors(
    spec: SeedSpec, line: int, row: dict[str, str], flags: FlagTables, validity: ValidityTables
) -> Iterator[SeedError]:
    """The declared agreements between cells of one row (see the module docstring).

    A value that disagrees with its printed text is reported once: amounts computed from it are
    not checked again (that would report one typo twice).
    """
    found = [check_parses_to(c, m, row) for c, m in spec.meta.items() if "parses_to" in m]
    disagreeing = {hit[0] for hit in found if hit}
    for column, meta in spec.meta.items():
        if "amount_of" in meta and meta["amount_of"]["value"] not in disagreeing:
            found.append(check_amount_of(column, meta, row))
        if "fits" in meta:
            found.append(check_fits(column, meta, row))
        if "negative_allowed_by" in meta:
            found.append(check_sign(column, meta, row, spec, flags))
        if "exists_on" in meta:
            found.append(check_exists_on(column, meta, row, validity))
    for hit in found:
        if hit:
            where, message = hit
            yield SeedError(spec.path, line, spec.columns.index(where) + 1, where, message)


def duplicate_printings(spec: SeedSpec, rows: Rows) -> Iterator[SeedError]:
    """``unique_combination``: one printed number (document, line, fragment, coordinates), one row."""
    combination = list(spec.seed_meta.get("unique_combination", []))
    if not combination:
        return
    id_col = spec.primary_key[0] if spec.primary_key else spec.columns[0]
    seen: dict[tuple[str, ...], tuple[int, str]] = {}
    for line, row in rows:
        key = tuple(row[c] for c in combination)
        if key in seen:
            first_line, first_id = seen[key]
            yield SeedError(
                spec.path,
                line,
                spec.columns.index(id_col) + 1,
                id_col,
                f"same {', '.join(combination)} as line {first_line} ({id_col} {first_id!r}): "
                "one printed number transcribed twice under another id",
            )
        else:
            seen[key] = (line, row[id_col])


def validate(seeds_dir: Path) -> list[SeedError]:
    """Validate every declared seed under ``seeds_dir``; return all errors found."""
    specs = load_specs(seeds_dir)
    errors: list[SeedError] = []
    declared = {s.path.resolve() for s in specs.values()}
    for csv_path in sorted(seeds_dir.rglob("*.csv")):
        if csv_path.resolve() not in declared:
            errors.append(SeedError(csv_path, 0, 0, "", "seed file has no YAML declaration"))
    parsed: dict[str, list[tuple[int, dict[str, str]]]] = {}
    broken: set[str] = set()
    for spec in specs.values():
        untyped = [c for c in spec.columns if c not in spec.column_types]
        for c in untyped:
            errors.append(
                SeedError(spec.path, 1, spec.columns.index(c) + 1, c, "column has no config.column_types entry")
            )
        rows, errs = read_rows(spec)
        if not rows and not errs and not spec.seed_meta.get("may_be_empty"):
            errs = [SeedError(spec.path, 2, 1, "", "the seed has a header but no rows")]
        errors.extend(errs)
        parsed[spec.name] = rows
        if errs:
            broken.add(spec.name)
    misdeclared: set[str] = set()
    for spec in specs.values():
        if errs := declaration_errors(spec, specs):
            errors.extend(errs)
            misdeclared.add(spec.name)
    allowed = referenced_values(specs, parsed, broken)
    flags = flag_tables(specs, parsed, broken | misdeclared)
    validity = validity_tables(specs, parsed, broken | misdeclared)
    for spec in specs.values():
        seen: dict[tuple[str, ...], int] = {}
        for line, row in parsed[spec.name]:
            for idx, col in enumerate(spec.columns, start=1):
                msg = check_value(row[col], spec.meta[col], allowed)
                if msg:
                    errors.append(SeedError(spec.path, line, idx, col, msg))
            if spec.name not in misdeclared:
                errors.extend(row_rule_errors(spec, line, row, flags, validity))
            if spec.primary_key:
                key = tuple(row[c] for c in spec.primary_key)
                if key in seen:
                    col = spec.primary_key[0]
                    errors.append(
                        SeedError(
                            spec.path,
                            line,
                            spec.columns.index(col) + 1,
                            col,
                            f"duplicate key {key} (first on line {seen[key]})",
                        )
                    )
                else:
                    seen[key] = line
        if spec.name not in misdeclared:
            errors.extend(duplicate_printings(spec, parsed[spec.name]))
    return errors


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``ntp validate seeds [SEEDS_DIR]``."""
    parser.add_argument("seeds_dir", nargs="?", type=existing_dir, help="seeds folder (default: the project's seeds/)")


def run(args: argparse.Namespace) -> int:
    """Print located errors to stderr; exit 1 when any error is found."""
    seeds_dir = args.seeds_dir or project_dir() / "seeds"
    errors = validate(seeds_dir)
    return report(
        list(errors),
        f"seed validation failed: {len(errors)} error(s); nothing was loaded",
        f"seed validation passed: {seeds_dir}",
    )
