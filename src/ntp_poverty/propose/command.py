"""``ntp propose DOCUMENT [--out REVIEW]``, ``ntp propose --apply REVIEW``, ``ntp propose --evaluate``.

* ``DOCUMENT`` (a document_id of seeds/reference/documents.csv, or its file in documents/): a
  proposal for every amount the ledger does not account for, written to a review file (default
  ``target/proposals/<document_id>.csv``) with an empty ``verdict`` column. Nothing is written to
  a seed.
* ``--apply REVIEW``: the accepted and edited rows into seeds/transcription/plan_amounts.csv (see
  :mod:`ntp_poverty.propose.review`); then run ``ntp preflight``.
* ``--evaluate``: every registered document proposed again from the seeds without its rows, and
  compared with its committed transcription per judgement column (:mod:`ntp_poverty.propose.evaluate`).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ntp_poverty.project import project_dir
from ntp_poverty.propose.evaluate import AMOUNTS, document_ids, proposals_for, registration, score_document, table
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
    if args.apply:
        try:
            applied = apply_review(args.apply, seeds / AMOUNTS)
        except ReviewError as exc:
            print(f"ntp propose: {exc}", file=sys.stderr)
            return 1
        print(f"{applied.written} row(s) written to {applied.seed}, {applied.rejected} rejected; now run ntp preflight")
        return 0
    if args.evaluate:
        print(table([score_document(documents, seeds, d) for d in document_ids(seeds)]))
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
    proposals = proposals_for(documents, seeds, document_id)
    out = args.out or project_dir() / "target" / "proposals" / f"{document_id}.csv"
    write_review(proposals, registration(seeds, document_id), out, documents)
    print(f"{len(proposals)} proposal(s) for {document_id} in {time.monotonic() - started:.2f} s: {out}")
    print("set each row's verdict (accept, edit or reject), then: ntp propose --apply " + str(out))
    return 0
