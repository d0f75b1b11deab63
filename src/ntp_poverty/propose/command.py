"""``ntp propose DOCUMENT [--out REVIEW]``, ``ntp propose --apply REVIEW``, ``ntp propose --evaluate``.

* ``DOCUMENT`` (a document_id of seeds/reference/documents.csv, or its file in documents/): a
  proposal for every number the ledger does not account for, written to two review files with an
  empty ``verdict`` column: the amounts (default ``target/proposals/<document_id>.csv``) and the
  targets, results and classifications (``<document_id>.measures.csv`` beside it). Nothing is
  written to a seed.
* ``--apply REVIEW``: the accepted and edited rows of either review file into their seeds (see
  :mod:`ntp_poverty.propose.review` and :mod:`ntp_poverty.propose.measures_review`); then run
  ``ntp preflight``.
* ``--evaluate``: every registered document proposed again from the seeds without its rows, and
  compared with its committed transcription per judgement column (:mod:`ntp_poverty.propose.evaluate`).
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

from ntp_poverty.project import project_dir
from ntp_poverty.propose.evaluate import (
    AMOUNTS,
    all_proposals_for,
    document_ids,
    measures_table,
    registration,
    score_document,
    score_measures,
    table,
)
from ntp_poverty.propose.layouts import LayoutError
from ntp_poverty.propose.measures_review import MEASURE_REVIEW_COLUMNS, apply_measures_review, write_measures_review
from ntp_poverty.propose.review import ReviewError, apply_review, write_review


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``ntp propose``'s arguments."""
    parser.add_argument("document", nargs="?", help="document_id (or its file name) to propose rows for")
    parser.add_argument("--out", type=Path, help="review file (default: target/proposals/<document_id>.csv)")
    parser.add_argument("--apply", type=Path, metavar="REVIEW", help="write a reviewed file's accepted rows")
    parser.add_argument("--evaluate", action="store_true", help="leave-one-out match rates of the five documents")
    parser.add_argument("--seeds", type=Path, help="seeds folder (default: the project's)")
    parser.add_argument("--documents", type=Path, help="documents folder (default: the project's)")


def run(args: argparse.Namespace) -> int:
    """Propose, apply or evaluate; exit 1 on a review that cannot be applied, 2 on a usage error."""
    seeds = args.seeds or project_dir() / "seeds"
    documents = args.documents or seeds.parent / "documents"
    try:
        return _run(args, seeds, documents)
    except (ReviewError, LayoutError) as exc:
        print(f"ntp propose: {exc}", file=sys.stderr)
        return 1


def _is_measures_review(review: Path) -> bool:
    with review.open(encoding="utf-8", newline="") as handle:
        return tuple(next(csv.reader(handle), [])) == MEASURE_REVIEW_COLUMNS


def _run(args: argparse.Namespace, seeds: Path, documents: Path) -> int:
    if args.apply and _is_measures_review(args.apply):
        with args.apply.open(encoding="utf-8", newline="") as handle:
            first = next(csv.DictReader(handle), None)
        geography = registration(seeds, first["document_id"]).geography_code if first else ""
        measures = apply_measures_review(args.apply, seeds, geography)
        written = ", ".join(f"{n} {kind}(s)" for kind, n in measures.written.items())
        print(f"{written} written, {measures.rejected} rejected; now run ntp preflight")
        return 0
    if args.apply:
        applied = apply_review(args.apply, seeds / AMOUNTS)
        print(f"{applied.written} row(s) written to {applied.seed}, {applied.rejected} rejected; now run ntp preflight")
        return 0
    if args.evaluate:
        ids = document_ids(seeds)
        print(table([score_document(documents, seeds, d) for d in ids]))
        print()
        print(measures_table([s for d in ids for s in score_measures(documents, seeds, d)]))
        return 0
    if not args.document:
        print("ntp propose: name a document (its document_id), or use --apply or --evaluate", file=sys.stderr)
        return 2
    ids = {d: d for d in document_ids(seeds)}
    ids |= {registration(seeds, d).source_file: d for d in ids}
    if Path(args.document).name not in ids:
        print(
            f"ntp propose: {args.document}: not a registered document (seeds/reference/documents.csv)", file=sys.stderr
        )
        return 2
    document_id = ids[Path(args.document).name]
    started = time.monotonic()
    proposals, measures = all_proposals_for(documents, seeds, document_id)
    out = args.out or project_dir() / "target" / "proposals" / f"{document_id}.csv"
    write_review(proposals, registration(seeds, document_id), out, documents)
    measures_out = out.with_name(f"{out.stem}.measures.csv")
    write_measures_review(measures, registration(seeds, document_id), measures_out, documents)
    seconds = time.monotonic() - started
    print(f"{len(proposals)} amount proposal(s) for {document_id} in {seconds:.2f} s: {out}")
    print(f"{len(measures)} target, result or classification proposal(s): {measures_out}")
    print("set each row's verdict (accept, edit or reject), then: ntp propose --apply REVIEW (each file)")
    return 0
