"""Validate every seed CSV against the schema declared in the seeds' YAML, before dbt loads it.

dbt would load a malformed CSV without complaint (a wrong delimiter becomes one wide column,
a BOM sticks to the first header, a typo in "1.650" becomes text), so the build runs this first
and stops on the first problem file with errors of the form ``path:line:column (name): message``.
Nothing is dropped or repaired: the transcription is fixed by hand, never here.

Usage: ``python -m ntp_poverty.validate_seeds [SEEDS_DIR]``; exits 1 when any error is found.
"""

from __future__ import annotations

import csv
import io
import sys
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from ntp_poverty.reporting import report
from ntp_poverty.vn_numbers import VietnameseNumberError, parse_vi_number

BOM = "\ufeff"
BOOLEANS = {"true", "false"}
OTHER_DELIMITERS = (";", "\t", "|")


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
                errors.append(SeedError(path, line, min(len(record), len(header)) + 1, "",
                                        f"{len(record)} fields where the header has {len(header)}"))
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
    except (ValueError, InvalidOperation, VietnameseNumberError):
        return f"not a valid {kind}: {value!r}"
    if kind == "boolean" and value not in BOOLEANS:
        return f"not true/false: {value!r}"
    if "accepted_values" in meta and value not in {str(v) for v in meta["accepted_values"]}:
        return f"{value!r} is not one of {meta['accepted_values']}"
    if "references" in meta and allowed[meta["references"]] is not None:
        known = allowed[meta["references"]] | {str(v) for v in meta.get("extra_values", [])}
        if value not in known:
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
            errors.append(SeedError(spec.path, 1, spec.columns.index(c) + 1, c, "column has no config.column_types entry"))
        rows, errs = read_rows(spec)
        errors.extend(errs)
        parsed[spec.name] = rows
        if errs:
            broken.add(spec.name)
    allowed = referenced_values(specs, parsed, broken)
    for spec in specs.values():
        seen: dict[tuple[str, ...], int] = {}
        for line, row in parsed[spec.name]:
            for idx, col in enumerate(spec.columns, start=1):
                msg = check_value(row[col], spec.meta[col], allowed)
                if msg:
                    errors.append(SeedError(spec.path, line, idx, col, msg))
            if spec.primary_key:
                key = tuple(row[c] for c in spec.primary_key)
                if key in seen:
                    col = spec.primary_key[0]
                    errors.append(SeedError(spec.path, line, spec.columns.index(col) + 1, col,
                                            f"duplicate key {key} (first on line {seen[key]})"))
                else:
                    seen[key] = line
    return errors


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; prints errors to stderr and returns the exit code."""
    args = sys.argv[1:] if argv is None else argv
    seeds_dir = Path(args[0]) if args else Path("seeds")
    errors = validate(seeds_dir)
    return report(list(errors), f"seed validation failed: {len(errors)} error(s); nothing was loaded",
                  f"seed validation passed: {seeds_dir}")


if __name__ == "__main__":
    raise SystemExit(main())
