"""A synthetic national line-item feed: plan allocations and monthly disbursements, 2021-2025.

The warehouse must be proven on the volumes the reporting systems export (millions of line items),
which no transcribed document gives. This writes a deterministic feed of the feed contract
(feeds/README.md) over the real geography (:mod:`ntp_poverty.synthetic.units`): per province and
year one allocation report (the province's, its districts' and its communes' own allocations) and
twelve monthly disbursement reports (the same units' disbursements in the month), every component,
funding source and capital type, amounts skewed by a heavy-tailed weight per district; from July
2025 the rows are keyed to the units of the 2025 structure, in the folder of their 2025 province.
Totals (:mod:`ntp_poverty.synthetic.reports`) add up except ``--errors K`` deliberate typos, listed
in ``manifest.json`` with every sum check each one breaks, and acknowledged in ``acknowledged.csv``
(read by the build through the feed's acknowledgments source), so the gate passes and the audit must
find exactly those errors.

Size: ``--rows N`` leaf rows, approximately. Below the natural density of the country (about
10 million leaf rows) units are sampled (each with probability N / that size, so a smaller feed is
a random subset of communes, districts and provinces reporting every month); above it more blocks
are reported per unit, up to every component × source × capital type (about 55 million).
Memory stays bounded by one province-year, written as one file before the next is generated.

Usage: ``ntp synthetic --rows N --out feeds/synthetic --seed 42 [--errors K]``
(``make synthetic ROWS=N``); ``--revise FRACTION --revision N --out FEED`` rewrites a deterministic
fraction of an existing feed's partitions (:mod:`ntp_poverty.synthetic.revise`, for benchmarks and
tests of the incremental refresh). The committed sample feed is this generator's output too; its command
is in feeds/README.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from ntp_poverty.project import project_dir
from ntp_poverty.synthetic.reports import (
    CREDIT_LEAF,
    LEAF,
    Report,
    ReportUnits,
    expected_rows_per_unit,
    generate,
    plant_error,
    to_table,
)
from ntp_poverty.synthetic.units import Geography, Unit, keyed_rng, load_geography

YEARS = (2021, 2022, 2023, 2024, 2025)
LEVEL_SCALE = {"commune": 1.0, "district": 6.0, "province": 20.0}
LEVELS = ("province", "district", "commune")


@dataclass
class Plan:
    """One report to generate: its id, partition, period, phase and units."""

    report_id: str
    province: str
    year: int
    month: int | None
    phase: str
    units: list[Unit]


def plan_reports(
    geography: Geography,
    years: tuple[int, ...],
    provinces: set[str] | None,
    months: tuple[int, ...] = tuple(range(1, 13)),
) -> Iterator[list[Plan]]:
    """Every report, grouped by partition (province, year): the allocation, then month by month."""
    reorganised = date(2025, 7, 1)
    later = {geography.units[p].successor_province for p in provinces if p in geography.units} if provinces else None
    for province in geography.provinces():
        for year in years:
            plans = []
            for month in (None, *months):
                day = date(year, month or 1, 1)
                allowed = provinces if day < reorganised else later
                if (allowed is not None and province.code not in allowed) or not province.valid_on(day):
                    continue
                units = [province] + [
                    u
                    for level in ("district", "commune")
                    for u in geography.members(province.code, level)
                    if u.valid_on(day)
                ]
                report_id = (
                    f"alloc-{province.code}-{year}" if month is None else f"disb-{province.code}-{year}-{month:02d}"
                )
                plans.append(
                    Plan(report_id, province.code, year, month, "allocated" if month is None else "disbursed", units)
                )
            if plans:
                yield plans


def size(
    geography: Geography,
    years: tuple[int, ...],
    provinces: set[str] | None,
    rows: int,
    credit: bool,
    months: tuple[int, ...] = tuple(range(1, 13)),
) -> tuple[float, float, float]:
    """Unit sampling probability q and block density g giving about ``rows`` leaf rows, and the
    natural size (q = g = 1)."""
    counts = {True: 0, False: 0}
    for plans in plan_reports(geography, years, provinces, months):
        for plan in plans:
            for unit in plan.units:
                counts[unit.poor] += 1

    def expected(g: float) -> float:
        return sum(n * expected_rows_per_unit(poor, g, credit) for poor, n in counts.items())

    natural = expected(1.0)
    if rows <= natural:
        return rows / natural, 1.0, natural
    low, high = 1.0, 1e6
    for _ in range(100):
        middle = (low + high) / 2
        low, high = (middle, high) if expected(middle) < rows else (low, middle)
    if expected(high) < rows:
        print(
            f"warning: the country holds at most about {expected(high):,.0f} leaf rows; writing that many",
            file=sys.stderr,
        )
    return 1.0, high, natural


def document_cells(transcription_dir: Path) -> set[tuple[str, int, str]]:
    """(geography, year, phase) of every amount a transcribed document gives. The synthetic feed
    leaves these out: where a document and a feed give the same cell the marts keep the document's
    (precedence), and their tests that the marts add up to core assume one source per cell."""
    cells = set()
    with (transcription_dir / "plan_amounts.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["period_start_year"] and row["period_end_year"]:
                for year in range(int(row["period_start_year"]), int(row["period_end_year"]) + 1):
                    cells.add((row["geography_code"], year, row["phase_code"]))
    return cells


def _units(
    plan: Plan, q: float, max_per_level: int | None, seed: int, documented: set[tuple[str, int, str]] = frozenset()
) -> ReportUnits | None:
    chosen: list[Unit] = []
    for level in LEVELS:
        sampled = sorted(
            (
                u
                for u in plan.units
                if u.level == level and u.draw < q and (u.code, plan.year, plan.phase) not in documented
            ),
            key=lambda u: u.draw,
        )
        chosen += sampled[:max_per_level] if max_per_level is not None else sampled
    if not chosen:
        return None
    chosen.sort(key=lambda u: (LEVELS.index(u.level), u.code))
    counterpart = float(keyed_rng(seed, "counterpart", plan.province).uniform(0.08, 0.2))
    return ReportUnits(
        np.array([u.code for u in chosen], dtype=object),
        np.array([u.level for u in chosen], dtype=object),
        np.array([u.weight * LEVEL_SCALE[u.level] for u in chosen]),
        np.array([u.poor for u in chosen]),
        counterpart,
    )


def _write(folder: Path, tables: list[pa.Table], fmt: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"line_items.{fmt}"
    table = pa.concat_tables(tables)
    if fmt == "parquet":
        pq.write_table(table, path, compression="zstd")
    else:
        pa_csv.write_csv(table, path, pa_csv.WriteOptions(quoting_style="needed"))
    return path


def generate_partition(
    plans: list[Plan],
    folder: Path,
    root: Path,
    args: argparse.Namespace,
    q: float,
    g: float,
    documented: set[tuple[str, int, str]],
    error_reports: set[str],
    counts: dict[str, int],
    errors: list[dict],
    salt: tuple[str, ...] = (),
) -> list[pa.Table]:
    """The reports of one partition (province-year) as tables, in file order; adds to ``counts`` and
    ``errors``. ``salt`` keys the random draws of a revision (:mod:`ntp_poverty.synthetic.revise`)."""
    credit = not args.no_policy_credit
    tables, next_row = [], 1
    for plan in plans:
        units = _units(plan, q, args.max_units_per_level, args.seed, documented)
        if units is None:
            continue
        rng = keyed_rng(args.seed, "report", plan.report_id, *salt)
        report = generate(plan.report_id, plan.year, plan.month, plan.phase, units, g, credit, rng)
        if plan.report_id in error_reports:
            errors.append(_error_entry(report, *plant_error(report, rng), next_row, folder, root, args.format))
        tables.append(to_table(report, next_row))
        next_row += len(report)
        leaves = int(np.isin(report.kind, (LEAF, CREDIT_LEAF)).sum())
        counts["rows"] += len(report)
        counts["leaf_rows"] += leaves
        counts["printed_totals"] += len(report) - leaves
        counts["reports"] += 1
    return tables


def feed_plan(
    args: argparse.Namespace,
) -> tuple[
    Geography,
    set[tuple[str, int, str]],
    tuple[int, ...],
    set[str] | None,
    tuple[int, ...],
    float,
    float,
    float | None,
    set[str],
]:
    """What a feed's arguments decide before any row is drawn: the geography, the documented cells
    left out, years, provinces, months, the sizing (q, g, natural size) and the reports with errors."""
    reference = Path(args.reference)
    reference = reference if reference.is_absolute() else project_dir() / reference
    geography = load_geography(reference, args.seed)
    documented = document_cells(reference.parent / "transcription")
    provinces = set(args.provinces.split(",")) if args.provinces else None
    years = tuple(int(y) for y in args.years.split(",")) if args.years else YEARS
    credit = not args.no_policy_credit
    months = tuple(int(m) for m in args.months.split(",")) if args.months else tuple(range(1, 13))
    if args.rows is None:
        q, g, natural = 1.0, args.density, None
    else:
        q, g, natural = size(geography, years, provinces, args.rows, credit, months)
    sampled = [
        p.report_id
        for plans in plan_reports(geography, years, provinces, months)
        for p in plans
        if any(u.draw < q and (u.code, p.year, p.phase) not in documented for u in p.units)
    ]
    if args.errors > len(sampled):
        raise SystemExit(f"--errors {args.errors}: the feed has only {len(sampled)} reports")
    error_reports = set(keyed_rng(args.seed, "errors").choice(sampled, args.errors, replace=False).tolist())
    return geography, documented, years, provinces, months, q, g, natural, error_reports


def write_feed(args: argparse.Namespace) -> dict:
    """Generate the feed into ``args.out`` (replacing it) and return the manifest."""
    started = time.monotonic()
    geography, documented, years, provinces, months, q, g, natural, error_reports = feed_plan(args)

    out = Path(args.out)
    partial = out.with_name(out.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    counts = {"rows": 0, "leaf_rows": 0, "printed_totals": 0, "reports": 0, "files": 0}
    errors = []
    for plans in plan_reports(geography, years, provinces, months):
        folder = partial / f"province={plans[0].province}" / f"year={plans[0].year}"
        tables = generate_partition(plans, folder, partial, args, q, g, documented, error_reports, counts, errors)
        if tables:
            _write(folder, tables, args.format)
            counts["files"] += 1
    write_acknowledgments(partial / "acknowledged.csv", errors)
    manifest = {
        "generator": "ntp synthetic",
        # what the rows depend on (not --revise/--revision, which rewrite a feed written before)
        "arguments": {k: v for k, v in vars(args).items() if k not in REVISION_ARGUMENTS},
        "sizing": {"unit_sampling_probability": q, "block_density": g, "natural_leaf_rows": natural and round(natural)},
        "counts": counts,
        "errors": errors,
        "acknowledgments": "acknowledged.csv",
    }
    (partial / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if out.exists():
        shutil.rmtree(out)
    partial.rename(out)
    manifest["seconds"] = round(time.monotonic() - started, 1)  # printed, not written: the files stay reproducible
    return manifest


def _error_entry(
    report: Report,
    row: int,
    correct: int,
    broken: list[tuple[str, int]],
    first_row: int,
    folder: Path,
    root: Path,
    fmt: str,
) -> dict:
    """What the manifest says about one deliberate error, with the findings the audit must report."""
    file = (folder / f"line_items.{fmt}").relative_to(root).as_posix()
    return {
        "report_id": report.report_id,
        "file": file,
        "row_number": first_row + row,
        "geography_code": report.codes[row],
        "component_code": report.component[row],
        "funding_source_code": report.source[row],
        "capital_type_code": report.capital_code[row],
        "fiscal_year": report.fiscal_year,
        "period_month": report.period_month,
        "printed_million_vnd": f"{report.amount[row] / 1000:.3f}",
        "correct_million_vnd": f"{correct / 1000:.3f}",
        "findings": [
            {"check_code": check, "document_id": report.report_id, "source_line": first_row + at}
            for check, at in broken
        ],
    }


def write_acknowledgments(path: Path, errors: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["document_id", "source_line", "check_code", "what_is_wrong", "evidence"])
        for error in errors:
            for finding in error["findings"]:
                writer.writerow(
                    [
                        finding["document_id"],
                        finding["source_line"],
                        finding["check_code"],
                        f"Deliberate error of the synthetic feed: row {error['row_number']} prints "
                        f"{error['printed_million_vnd']} instead of {error['correct_million_vnd']}.",
                        "Planted by ntp_poverty.synthetic.feed (--errors); listed in manifest.json.",
                    ]
                )


REVISION_ARGUMENTS = ("revise", "revision")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``ntp synthetic --rows N | --density D [options]``, or ``ntp synthetic --revise F --revision N --out FEED``."""
    size_group = parser.add_mutually_exclusive_group()
    size_group.add_argument("--rows", type=int, help="leaf rows to write (approximately)")
    size_group.add_argument(
        "--density", type=float, help="instead of --rows: every unit, with this multiple of the natural block density"
    )
    size_group.add_argument(
        "--revise",
        type=float,
        metavar="FRACTION",
        help="instead: rewrite this fraction (0-1] of the partitions of the feed in --out, "
        "with changed amounts (its manifest's arguments are kept)",
    )
    parser.add_argument(
        "--revision",
        type=int,
        default=1,
        help="with --revise: the revision number, which keys which partitions and how (default 1)",
    )
    parser.add_argument("--out", default="feeds/synthetic", help="feed folder to (re)write")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--errors", type=int, default=5, help="deliberate errors in printed totals (default 5)")
    parser.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    parser.add_argument(
        "--reference",
        default="seeds/reference",
        help="folder of geographies.csv and geography_successors.csv (relative: to the project)",
    )
    parser.add_argument("--provinces", help="comma-separated province codes (from July 2025: their successors)")
    parser.add_argument("--years", help="comma-separated fiscal years (default 2021-2025)")
    parser.add_argument("--months", help="comma-separated months of the disbursement reports (default 1-12)")
    parser.add_argument("--max-units-per-level", type=int, help="at most this many units of each level per report")
    parser.add_argument("--no-policy-credit", action="store_true", help="no policy credit rows")


def run(args: argparse.Namespace) -> int:
    """Write the feed (or revise it in place) and say what was written."""
    if args.revise is not None:
        return run_revision(Path(args.out), args.revise, args.revision)
    if args.rows is None and args.density is None:
        print("ntp synthetic: error: one of --rows, --density or --revise is required", file=sys.stderr)
        return 2
    manifest = write_feed(args)
    counts = manifest["counts"]
    print(
        f"synthetic feed in {args.out}: {counts['leaf_rows']:,} leaf rows, {counts['printed_totals']:,} printed "
        f"totals, {counts['reports']:,} reports in {counts['files']:,} files, {len(manifest['errors'])} deliberate "
        f"error(s), {manifest['seconds']} s"
    )
    return 0


def run_revision(feed: Path, fraction: float, revision: int) -> int:
    """``--revise``: rewrite a deterministic fraction of ``feed``'s partitions (:mod:`ntp_poverty.synthetic.revise`)."""
    from ntp_poverty.synthetic.revise import revise  # noqa: PLC0415 - revise imports this module

    if not (feed / "manifest.json").is_file():
        print(f"ntp synthetic: error: {feed}: no synthetic feed (manifest.json) to revise", file=sys.stderr)
        return 2
    manifest = revise(feed, fraction, revision)
    files = manifest["revisions"][-1]["files"]
    print(
        f"revision {revision} of {feed}: rewrote {len(files)} partition(s): {', '.join(files[:10])}"
        + (" ..." if len(files) > 10 else "")
    )
    return 0
