"""How good the proposals are: each document proposed again from seeds without its rows.

For a document, its rows are removed from every provenance seed and from the explicit numeral
classifications (as if nobody had transcribed it), the ledger finds what is left, and ``propose``
proposes. Each committed plan_amounts row of the document is then looked up among the proposals by
the token it claims (the ledger's own matching of rows to printed numbers) and compared column by
column: funding source, capital type, phase, component, period, and what a total sums. A proposal
whose printed value or number differs from the committed row's is counted apart: there must be
none (a proposal never changes a printed value).
"""

from __future__ import annotations

import csv
import shutil
import tempfile
import time
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from ntp_poverty.ledger.numerals import build_ledger, match_claims, read_claims, read_documents
from ntp_poverty.ledger.tokens import Document, Token
from ntp_poverty.propose.cues import norm
from ntp_poverty.propose.layouts import read_layouts
from ntp_poverty.propose.measures import (
    CLASSIFICATION_JUDGEMENTS,
    KINDS,
    RESULT_JUDGEMENTS,
    TARGET_JUDGEMENTS,
    MeasureProposal,
    propose_measures,
)
from ntp_poverty.propose.review import amount_ids, amount_row
from ntp_poverty.propose.rules import JUDGEMENTS, Proposal, Registration, propose, where_printed

AMOUNTS = Path("transcription") / "plan_amounts.csv"


@dataclass
class Score:
    """Per document: committed amounts, how many were proposed, and per column how many right."""

    document_id: str
    committed: int = 0
    proposed: int = 0
    extra: int = 0
    right: dict[str, int] = field(default_factory=lambda: {name: 0 for name in JUDGEMENTS})
    all_right: int = 0
    values_changed: int = 0
    seconds: float = 0.0

    def share(self, count: int) -> str:
        return f"{100 * count / self.committed:.0f} %" if self.committed else "–"


def component_names(seeds_dir: Path) -> dict[str, str]:
    """Decision 90's component names by code (program_components.csv), NFC and lower-case."""
    with (seeds_dir / "reference" / "program_components.csv").open(encoding="utf-8", newline="") as handle:
        return {row["component_code"]: norm(row["name_vi"]).strip() for row in csv.DictReader(handle)}


def _statement_groups(seeds_dir: Path, document_id: str) -> tuple[str, ...]:
    with (seeds_dir / "reference" / "statement_groups.csv").open(encoding="utf-8", newline="") as handle:
        return tuple(row["statement_group"] for row in csv.DictReader(handle) if row["document_id"] == document_id)


def registration(seeds_dir: Path, document_id: str) -> Registration:
    """The document's registration in seeds/reference/documents.csv."""
    with (seeds_dir / "reference" / "documents.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["document_id"] == document_id:
                return Registration(
                    document_id,
                    row["source_file"],
                    (int(row["period_start_year"]), int(row["period_end_year"])),
                    row["total_funding_sources"],
                    row["geography_code"],
                    component_names(seeds_dir),
                    statement_groups=_statement_groups(seeds_dir, document_id),
                )
    raise KeyError(f"{seeds_dir / 'reference' / 'documents.csv'}: no document {document_id!r}")


def _unaccounted(documents_dir: Path, seeds_dir: Path, document_id: str) -> tuple[Registration, Document, set[Token]]:
    """The document's registration (with its declared table layouts, documents/table_layouts.csv),
    its text, and the numerals of it the ledger does not account for: one ledger build."""
    reg = registration(seeds_dir, document_id)
    reg = replace(reg, layouts=tuple(read_layouts(documents_dir, seeds_dir).get(document_id, ())))
    ledger = build_ledger(documents_dir, seeds_dir)
    unaccounted = {e.token for e in ledger.unaccounted() if e.token.file == reg.source_file}
    return reg, ledger.documents[reg.source_file], unaccounted


def all_proposals_for(
    documents_dir: Path, seeds_dir: Path, document_id: str
) -> tuple[list[Proposal], list[MeasureProposal]]:
    """The amount proposals and, for the other unaccounted numerals, the target, result or
    classification proposals of one document."""
    reg, document, unaccounted = _unaccounted(documents_dir, seeds_dir, document_id)
    amounts = propose(document, reg, unaccounted)
    measures = propose_measures(document, reg, unaccounted, {p.token for p in amounts}, indicator_names(seeds_dir))
    return amounts, measures


def proposals_for(documents_dir: Path, seeds_dir: Path, document_id: str) -> list[Proposal]:
    """Every proposal for the document's amounts the ledger does not account for."""
    reg, document, unaccounted = _unaccounted(documents_dir, seeds_dir, document_id)
    return propose(document, reg, unaccounted)


def _without(seeds_dir: Path, target: Path, document_id: str) -> None:
    """A copy of the seeds with the document's rows removed from every seed that has document_id
    (its registration and blocks kept: they are the first step of bringing a document in)."""
    shutil.copytree(seeds_dir, target)
    for path in (target / "transcription").glob("*.csv"):
        _drop_rows(path, document_id)
    _drop_rows(target / "reference" / "numeral_classifications.csv", document_id)
    _drop_rows(target / "reference" / "acknowledged_source_errors.csv", document_id)


def _drop_rows(path: Path, document_id: str) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header = list(reader.fieldnames or [])
        rows = list(reader)
    if "document_id" in header:
        kept = [row for row in rows if row["document_id"] != document_id]
    else:  # printed_percentages: rows whose percentage is the document's
        kept = [row for row in rows if not row[header[0]].startswith(f"{document_id}:")]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(kept)


def _committed(row: dict[str, str]) -> dict[str, str]:
    sums = [f"sources={row['sums_funding_sources']}"] if row["sums_funding_sources"] else []
    sums += [f"components={row['sums_components']}"] if row["sums_components"] else []
    sums += [f"capitals={row['sums_capital_types']}"] if row["sums_capital_types"] else []
    return {
        "funding_source_code": row["funding_source_code"],
        "capital_type_code": row["capital_type_code"],
        "phase_code": row["phase_code"],
        "component_code": row["component_code"],
        "period": f"{row['period_start_year']}-{row['period_end_year']}",
        "sums": ";".join(sums),
        "statement_group": row["statement_group"],
    }


def score_document(documents_dir: Path, seeds_dir: Path, document_id: str) -> Score:
    """Propose the document from seeds without its rows and compare with its committed rows."""
    score = Score(document_id)
    reg = registration(seeds_dir, document_id)
    documents = read_documents(documents_dir)
    claims = [c for c in read_claims(seeds_dir) if c.seed.name == AMOUNTS.name and c.value_column == "value_printed"]
    claimed, _ = match_claims(claims, documents)
    with tempfile.TemporaryDirectory(prefix="propose_") as work:
        stripped = Path(work) / "seeds"
        _without(seeds_dir, stripped, document_id)
        started = time.monotonic()
        listed = proposals_for(documents_dir, stripped, document_id)
        proposals = {p.token: p for p in listed}
        score.seconds = round(time.monotonic() - started, 2)
    token_of = {claim.seed_line: token for token, claim in claimed.items()}
    committed_rows = _committed_rows(seeds_dir, document_id)
    token_of_id = {row["amount_id"]: token_of[line] for line, row in committed_rows if line in token_of}
    committed_tokens = set()
    with (seeds_dir / AMOUNTS).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        line = 2
        for row in reader:
            row_line, line = line, reader.line_num + 1
            if row["document_id"] != document_id or row_line not in token_of:
                continue
            token = token_of[row_line]
            committed_tokens.add(token)
            score.committed += 1
            if (proposal := proposals.get(token)) is not None:
                _compare(score, proposal, row, reg, token_of_id)
    score.extra = len([t for t in proposals if t not in committed_tokens])
    return score


def _committed_rows(seeds_dir: Path, document_id: str) -> list[tuple[int, dict[str, str]]]:
    """The document's committed plan_amounts rows with their line in the seed."""
    with (seeds_dir / AMOUNTS).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows, line = [], 2
        for row in reader:
            rows.append((line, row))
            line = reader.line_num + 1
    return [(line, row) for line, row in rows if row["document_id"] == document_id]


def _compare(
    score: Score, proposal: Proposal, row: dict[str, str], reg: Registration, token_of_id: dict[str, Token]
) -> None:
    """Count one proposal against its committed row."""
    score.proposed += 1
    proposed = amount_row(proposal, reg, amount_ids([proposal, *([proposal.repeats] if proposal.repeats else [])], reg))
    if proposed["value_printed"] != row["value_printed"] or Decimal(proposed["value_numeric"]) != Decimal(
        row["value_numeric"]
    ):
        score.values_changed += 1
    expected = _committed(row)
    original = token_of_id.get(row["repeats_amount_id"])
    expected["repeats"] = where_printed(original) if original else ""
    right = [name for name in JUDGEMENTS if proposal.value(name) == expected[name]]
    for name in right:
        score.right[name] += 1
    score.all_right += len(right) == len(JUDGEMENTS)


def document_ids(seeds_dir: Path) -> list[str]:
    """Every registered document, in registration order."""
    with (seeds_dir / "reference" / "documents.csv").open(encoding="utf-8", newline="") as handle:
        return [row["document_id"] for row in csv.DictReader(handle)]


def table(scores: list[Score]) -> str:
    """The scores as a Markdown table (per document and in all)."""
    total = Score("all documents")
    for score in scores:
        total.committed += score.committed
        total.proposed += score.proposed
        total.extra += score.extra
        total.all_right += score.all_right
        total.values_changed += score.values_changed
        total.seconds += score.seconds
        for name in JUDGEMENTS:
            total.right[name] += score.right[name]
    header = ["document", "amounts", "proposed", *JUDGEMENTS, "every judgement right", "values changed", "extra", "s"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for score in [*scores, total]:
        cells = [
            score.document_id,
            str(score.committed),
            score.share(score.proposed),
            *(score.share(score.right[name]) for name in JUDGEMENTS),
            score.share(score.all_right),
            str(score.values_changed),
            str(score.extra),
            f"{score.seconds:.2f}",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


@dataclass
class MeasureScore:
    """Per document and kind (target, result, classification): committed rows, how many were
    proposed (any proposal for their number), and per judgement how many right."""

    document_id: str
    kind: str
    judgements: tuple[str, ...]
    committed: int = 0
    proposed: int = 0
    right: dict[str, int] = field(default_factory=dict)
    all_right: int = 0


def indicator_names(seeds_dir: Path) -> dict[str, tuple[str, str]]:
    """indicators.csv's names (NFC, lower-case) and measure units by indicator_code."""
    with (seeds_dir / "reference" / "indicators.csv").open(encoding="utf-8", newline="") as handle:
        return {row["indicator_code"]: (norm(row["name_vi"]), row["measure_unit"]) for row in csv.DictReader(handle)}


def measure_proposals_for(documents_dir: Path, seeds_dir: Path, document_id: str) -> list[MeasureProposal]:
    """A target, result or classification proposal for each unaccounted numeral that is not an amount."""
    return all_proposals_for(documents_dir, seeds_dir, document_id)[1]


def _committed_measures(seeds_dir: Path, documents_dir: Path, document_id: str) -> list[tuple[Token, str, dict]]:
    """(token, kind, expected judgements) of the document's committed targets, results and classifications."""
    documents = read_documents(documents_dir)
    expected: list[tuple[Token, str, dict]] = []
    for seed, kind in (("plan_targets.csv", "target"), ("plan_results.csv", "result")):
        claims = [c for c in read_claims(seeds_dir) if c.seed.name == seed and c.value_column == "value_printed"]
        claimed, _ = match_claims(claims, documents)
        rows = {}
        with (seeds_dir / "transcription" / seed).open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            line = 2
            for row in reader:
                rows[line], line = row, reader.line_num + 1
        for token, claim in claimed.items():
            row = rows[claim.seed_line]
            if row["document_id"] != document_id:
                continue
            if kind == "target":
                values = {
                    "indicator_code": row["indicator_code"],
                    "comparator": row["comparator"],
                    "unit_printed": norm(row["unit_printed"]),
                    "years": f"{row['target_year_start']}-{row['target_year_end']}",
                    "is_per_year": row["is_per_year"],
                }
            else:
                values = {
                    "indicator_code": row["indicator_code"],
                    "component_code": row["component_code"],
                    "value_comparator": row["value_comparator"],
                    "unit_printed": norm(row["unit_printed"]),
                    "reference_year": row["reference_year"],
                }
            expected.append((token, kind, {"kind": kind, **values}))
    with (seeds_dir / "reference" / "numeral_classifications.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["document_id"] != document_id:
                continue
            document = documents[row["source_file"]]
            matches = [
                t
                for t in document.tokens_on(int(row["source_line"]))
                if t.text == row["token"] and t.occurrence == int(row["occurrence"])
            ]
            if matches:
                expected.append((matches[0], "classification", {"kind": "classification", "category": row["category"]}))
    return expected


def score_measures(documents_dir: Path, seeds_dir: Path, document_id: str) -> list[MeasureScore]:
    """The document's targets, results and classifications proposed from seeds without its rows,
    compared with the committed ones per judgement."""
    judgements = {"target": TARGET_JUDGEMENTS, "result": RESULT_JUDGEMENTS, "classification": CLASSIFICATION_JUDGEMENTS}
    scores = {kind: MeasureScore(document_id, kind, judgements[kind]) for kind in KINDS}
    with tempfile.TemporaryDirectory(prefix="propose_") as work:
        stripped = Path(work) / "seeds"
        _without(seeds_dir, stripped, document_id)
        proposals = {p.token: p for p in measure_proposals_for(documents_dir, stripped, document_id)}
    for token, kind, expected in _committed_measures(seeds_dir, documents_dir, document_id):
        score = scores[kind]
        score.committed += 1
        if (proposal := proposals.get(token)) is None:
            continue
        score.proposed += 1
        right = [name for name in score.judgements if proposal.value(name) == expected[name]]
        for name in right:
            score.right[name] = score.right.get(name, 0) + 1
        score.all_right += len(right) == len(score.judgements)
    return list(scores.values())


def measures_table(scores: list[MeasureScore]) -> str:
    """Per kind, in all documents: committed, proposed, each judgement right, every judgement right."""
    lines = ["| kind | rows | proposed | judgements right | every judgement right |", "|---|---|---|---|---|"]
    for kind in KINDS:
        of_kind = [s for s in scores if s.kind == kind]
        committed = sum(s.committed for s in of_kind)
        if not committed:
            continue
        names = of_kind[0].judgements
        right = ", ".join(f"{n} {100 * sum(s.right.get(n, 0) for s in of_kind) / committed:.0f} %" for n in names)
        proposed = 100 * sum(s.proposed for s in of_kind) / committed
        every = 100 * sum(s.all_right for s in of_kind) / committed
        lines.append(f"| {kind} | {committed} | {proposed:.0f} % | {right} | {every:.0f} % |")
    return "\n".join(lines)
