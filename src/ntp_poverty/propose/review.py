"""The review file of proposals, and writing the accepted ones into the plan_amounts seed.

One CSV row per proposal: where the number is printed, the printed value and its unit, each
proposed plan_amounts column, the evidence and confidence of every judgement, and a ``verdict``
column left empty for the reviewer: ``accept`` (the row as proposed), ``edit`` (the row as the
reviewer corrected it in this file) or ``reject``. ``ntp propose --apply REVIEW`` writes only
accepted and edited rows into seeds/transcription/plan_amounts.csv; a row without a verdict stops
it, named by its line, and nothing is written. The unchanged validator, provenance proof, ledger
and gate then run on the seed as on any transcription (``ntp preflight``, ``make build``).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from ntp_poverty.propose.cues import Reading
from ntp_poverty.propose.rules import JUDGEMENTS, PARTS_EVIDENCE, SOURCE_TOTAL_EVIDENCE, Proposal, Registration

VERDICTS = ("accept", "edit", "reject")
#: plan_amounts columns a proposal fills (the others stay empty for the reviewer to complete).
AMOUNT_COLUMNS = (
    "amount_id",
    "document_id",
    "source_file",
    "source_line",
    "source_text",
    "value_printed",
    "unit_printed",
    "value_numeric",
    "amount_million_vnd",
    "geography_code",
    "statement_group",
    "period_start_year",
    "period_end_year",
    "amount_basis",
    "locator",
    "component_label_printed",
    "component_code",
    "funding_source_code",
    "capital_type_code",
    "capital_type_basis",
    "phase_code",
    "is_printed_total",
    "sums_components",
    "sums_funding_sources",
    "sums_capital_types",
    "repeats_amount_id",
)
REVIEW_COLUMNS = (
    "verdict",
    "where",
    *AMOUNT_COLUMNS,
    *(f"{name}_evidence" for name in JUDGEMENTS),
    *(f"{name}_confidence" for name in JUDGEMENTS),
)


class ReviewError(ValueError):
    """The review file cannot be applied; the message names its line."""


def _plain(value: object) -> str:
    return "" if value is None else format(value, "f") if hasattr(value, "as_tuple") else str(value)


def _capital_basis(reading: Reading) -> str:
    """printed (the row's own words), parts (its parts all state it), heading (a title or heading),
    not_stated."""
    if reading.confidence == "high":
        return "printed"
    if reading.evidence == PARTS_EVIDENCE or reading.evidence.startswith("its parts"):
        return "parts"
    if reading.evidence.startswith(SOURCE_TOTAL_EVIDENCE):
        return "total"
    return "heading" if reading.confidence == "medium" else "not_stated"


def _label(reading: Reading) -> str:
    """The printed label a component was read from: a heading or a table row's label (medium); the
    words before an amount (high) or a default (low) are not a label."""
    return reading.evidence if reading.confidence == "medium" else ""


def amount_ids(proposals: list[Proposal], registration: Registration) -> dict[int, str]:
    """The amount_id of each proposal (by ``id``): ``<document_id>:<line>:<n-th on its line>``."""
    seen: dict[int, int] = {}
    ids = {}
    for proposal in proposals:
        seen[proposal.token.line] = seen.get(proposal.token.line, 0) + 1
        ids[id(proposal)] = f"{registration.document_id}:{proposal.token.line:04d}:{seen[proposal.token.line]}"
    return ids


def amount_row(proposal: Proposal, registration: Registration, ids: dict[int, str]) -> dict[str, str]:
    """The plan_amounts columns of one proposal (``ids``: :func:`amount_ids` of its document's)."""
    start, end = proposal.value("period").split("-")
    sums = dict(part.split("=", 1) for part in proposal.value("sums").split(";") if part)
    source = proposal.value("funding_source_code")
    capital = proposal.value("capital_type_code")
    is_total = source == "total" or capital == "total" or bool(sums.get("components"))
    basis = proposal.readings["capital_type_code"]
    return {
        "amount_id": ids[id(proposal)],
        "document_id": registration.document_id,
        "source_file": registration.source_file,
        "source_line": str(proposal.token.line),
        "source_text": proposal.source_text,
        "value_printed": proposal.value_printed,
        "unit_printed": proposal.unit_printed,
        "value_numeric": _plain(proposal.value_numeric),
        "amount_million_vnd": _plain(proposal.amount_million_vnd),
        "geography_code": registration.geography_code,
        "statement_group": proposal.value("statement_group"),
        "period_start_year": start,
        "period_end_year": end,
        "amount_basis": proposal.amount_basis,
        "locator": proposal.locator,
        "component_label_printed": _label(proposal.readings["component_code"]),
        "component_code": proposal.value("component_code"),
        "funding_source_code": source,
        "capital_type_code": capital,
        "capital_type_basis": _capital_basis(basis),
        "phase_code": proposal.value("phase_code"),
        "is_printed_total": "true" if is_total else "false",
        "sums_components": sums.get("components", ""),
        "sums_funding_sources": sums.get("sources", "") if source == "total" else "",
        "sums_capital_types": sums.get("capitals", ""),
        "repeats_amount_id": ids[id(proposal.repeats)] if proposal.repeats else "",
    }


def write_review(proposals: list[Proposal], registration: Registration, out: Path, documents_dir: Path) -> Path:
    """Write the review file of ``proposals`` (verdicts empty)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    ids = amount_ids(proposals, registration)
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=REVIEW_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for proposal in proposals:
            row = {"verdict": "", "where": proposal.token.where(documents_dir)}
            row |= amount_row(proposal, registration, ids)
            for name in JUDGEMENTS:
                reading = proposal.readings.get(name)
                row[f"{name}_evidence"] = reading.evidence if reading else ""
                row[f"{name}_confidence"] = reading.confidence if reading else ""
            writer.writerow(row)
    return out


@dataclass(frozen=True)
class Applied:
    """What applying a review did: rows written, rows rejected, and into which seed."""

    written: int
    rejected: int
    seed: Path


def apply_review(review: Path, seed: Path) -> Applied:
    """Append the accepted and edited rows of ``review`` to the plan_amounts ``seed`` (in its column
    order; columns the review does not carry stay empty). Refuses, writing nothing, a review with a
    row without a valid verdict or whose columns are not the review's."""
    with review.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if list(reader.fieldnames or []) != list(REVIEW_COLUMNS):
            raise ReviewError(f"{review}:1: the columns are not those of a review file (ntp propose writes them)")
        rows = [(reader.line_num, row) for row in reader]
    for line, row in rows:
        if row["verdict"] not in VERDICTS:
            raise ReviewError(
                f"{review}:{line}: verdict {row['verdict']!r}: each proposal needs accept, edit or reject; "
                "nothing was written"
            )
    with seed.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    kept = [row for _, row in rows if row["verdict"] != "reject"]
    with seed.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n", extrasaction="ignore")
        for row in kept:
            writer.writerow({column: row.get(column, "") for column in header})
    return Applied(len(kept), len(rows) - len(kept), seed)
