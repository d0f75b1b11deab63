"""The review file of a document's target, result and classification proposals, and applying it.

One CSV row per number that is not an amount (``target/proposals/<document_id>.measures.csv``):
where it is printed, its proposed kind and every judgement with its evidence and confidence, and
an empty ``verdict`` (accept, edit or reject). ``ntp propose --apply`` on this file appends the
accepted and edited rows to plan_targets.csv, plan_results.csv or numeral_classifications.csv by
their ``kind``; a row without a verdict, or of an unknown kind, stops it and nothing is written.
What a proposal cannot know (the indicator's printed words, a result's measure kind other than
``result``, a classification's reason) is for the reviewer to complete; the unchanged validator
then judges the rows (``ntp preflight``).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from ntp_poverty.common.vn_numbers import VietnameseNumberError, parse_vi_number
from ntp_poverty.propose.measures import KINDS, MeasureProposal
from ntp_poverty.propose.review import VERDICTS, ReviewError
from ntp_poverty.propose.rules import Registration

#: The judgement columns of the review file (each with its _evidence and _confidence).
JUDGED = (
    "indicator_printed",
    "indicator_code",
    "comparator",
    "unit_printed",
    "years",
    "is_per_year",
    "component_code",
    "value_comparator",
    "reference_year",
    "category",
)
MEASURE_REVIEW_COLUMNS = (
    "verdict",
    "where",
    "kind",
    "kind_evidence",
    "kind_confidence",
    "document_id",
    "source_file",
    "source_line",
    "token_occurrence",
    "source_text",
    "value_printed",
    "value_high_printed",
    *JUDGED,
    *(f"{name}_evidence" for name in JUDGED),
    *(f"{name}_confidence" for name in JUDGED),
)
#: The seed each kind is written to.
SEEDS = {
    "target": Path("transcription") / "plan_targets.csv",
    "result": Path("transcription") / "plan_results.csv",
    "classification": Path("reference") / "numeral_classifications.csv",
}


def write_measures_review(
    proposals: list[MeasureProposal], registration: Registration, out: Path, documents_dir: Path
) -> Path:
    """Write the review file of ``proposals`` (verdicts empty)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=MEASURE_REVIEW_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for p in proposals:
            row = {
                "verdict": "",
                "where": p.token.where(documents_dir),
                "kind": p.kind.value,
                "kind_evidence": p.kind.evidence,
                "kind_confidence": p.kind.confidence,
                "document_id": registration.document_id,
                "source_file": registration.source_file,
                "source_line": str(p.token.line),
                "token_occurrence": str(p.token.occurrence),
                "source_text": p.clause,
                "value_printed": p.token.text,
                "value_high_printed": p.high.text if p.high else "",
            }
            for name in JUDGED:
                reading = p.readings.get(name)
                row[name] = reading.value if reading else ""
                row[f"{name}_evidence"] = reading.evidence if reading else ""
                row[f"{name}_confidence"] = reading.confidence if reading else ""
            writer.writerow(row)
    return out


def _number(review: Path, line: int, text: str) -> str:
    try:
        return format(parse_vi_number(text), "f")
    except VietnameseNumberError as exc:
        raise ReviewError(f"{review}:{line}: value {text!r} does not parse ({exc}); nothing was written") from exc


def _seed_row(review: Path, line: int, row: dict[str, str], number: int, geography: str) -> dict[str, str]:
    """The seed columns of one reviewed row."""
    if row["kind"] == "classification":
        return {
            "source_file": row["source_file"],
            "document_id": row["document_id"],
            "source_line": row["source_line"],
            "token": row["value_printed"],
            "occurrence": row["token_occurrence"],
            "source_text": row["source_text"],
            "category": row["category"],
            "reason": row["category_evidence"],
        }
    low = _number(review, line, row["value_printed"])
    high = _number(review, line, row["value_high_printed"]) if row["value_high_printed"] else low
    common = {
        "document_id": row["document_id"],
        "source_file": row["source_file"],
        "source_line": row["source_line"],
        "source_text": row["source_text"],
        "value_printed": row["value_printed"],
        "value_high_printed": row["value_high_printed"],
        "indicator_printed": row["indicator_printed"],
        "indicator_code": row["indicator_code"],
        "unit_printed": row["unit_printed"],
        "geography_code": geography,
    }
    key = f"{row['document_id']}:{int(row['source_line']):04d}:{number}"
    if row["kind"] == "target":
        start, _, end = row["years"].partition("-")
        return common | {
            "target_id": key,
            "comparator": row["comparator"],
            "low_value": low,
            "high_value": high,
            "target_year_start": start,
            "target_year_end": end,
            "is_per_year": row["is_per_year"],
        }
    return common | {
        "result_id": key,
        "component_code": row["component_code"],
        "measure_kind": "result",
        "value_comparator": row["value_comparator"],
        "value_numeric": low,
        "value_high_numeric": high,
        "reference_year": row["reference_year"],
        "is_year_to_date": "false",
    }


@dataclass(frozen=True)
class AppliedMeasures:
    """Rows written per seed, and rows rejected."""

    written: dict[str, int]
    rejected: int


def apply_measures_review(review: Path, seeds_dir: Path, geography: str) -> AppliedMeasures:
    """Append the accepted and edited rows of a measures review to their seeds; refuse the whole
    file, writing nothing, on a row without a valid verdict or kind, or a value that does not parse."""
    with review.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != MEASURE_REVIEW_COLUMNS:
            raise ReviewError(f"{review}:1: the columns are not those of a measures review (ntp propose writes them)")
        rows = [(reader.line_num, row) for row in reader]
    kept: dict[str, list[dict[str, str]]] = {kind: [] for kind in KINDS}
    numbers: dict[str, int] = {}
    for line, row in rows:
        if row["verdict"] not in VERDICTS:
            raise ReviewError(
                f"{review}:{line}: verdict {row['verdict']!r}: each proposal needs accept, edit or reject; "
                "nothing was written"
            )
        if row["kind"] not in KINDS:
            raise ReviewError(
                f"{review}:{line}: kind {row['kind']!r} is not one of {', '.join(KINDS)}; nothing was written"
            )
        if row["verdict"] != "reject":
            key = f"{row['kind']}:{row['source_line']}"
            numbers[key] = numbers.get(key, 0) + 1
            kept[row["kind"]].append(_seed_row(review, line, row, numbers[key], geography))
    for kind, seed_rows in kept.items():
        seed = seeds_dir / SEEDS[kind]
        with seed.open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle))
        with seed.open("a", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n", extrasaction="ignore")
            for seed_row in seed_rows:
                writer.writerow({column: seed_row.get(column, "") for column in header})
    written = {kind: len(seed_rows) for kind, seed_rows in kept.items()}
    return AppliedMeasures(written, len(rows) - sum(written.values()))
