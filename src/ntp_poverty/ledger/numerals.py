"""Completeness ledger: every numeral printed in ``documents/*.txt`` is accounted for.

The warehouse is only as complete as its transcription. The provenance check
(:mod:`ntp_poverty.validate.provenance`) proves that every transcribed number is printed where its row
says; this module proves the converse: that nothing printed is lost. Every numeral token of every
document line is either

* **transcribed**: claimed by a row of a seed with provenance (any seed whose YAML declares
  ``meta.provenance`` with ``file``/``line``/``text``/``value`` and optionally ``high`` columns,
  e.g. ``plan_amounts``, ``plan_targets``, ``plan_results``), or
* **classified** as not programme data, with a category (``date``, ``document_number``,
  ``legal_reference``, ``list_numbering``, ``age_or_duration``, ``per_unit_norm``,
  ``contact_or_page``, ``other``): by a *rule* (below) for whole families such as dates, or by an
  *explicit* row of ``seeds/reference/numeral_classifications.csv`` (document, line, token,
  occurrence on the line, category, reason), or
* **unaccounted**: reported, so that it is transcribed or classified by hand. On a new document
  the unaccounted tokens are exactly what is left to do.

Precedence is transcribed, then explicit, then rule: a token that a seed claims is transcribed
even if a rule would call it a date; an explicit row that names a transcribed token is an error
(double-accounted); an explicit row may override a rule's category.

What a token is (deterministic, and located by a 1-based character column in the line):

* Lines are the document's ``\\n``-separated lines, NFC-normalised (document 000 mixes NFD).
* A numeral token is a maximal run of ASCII digits in which single ``.`` or ``,`` may join digit
  groups: ``1.650``, ``15.555,25``, ``8,92``, ``209.600.000.000``, ``3.21.02``, ``02993.822333``.
  So each maximal run is one token whatever it means; every :data:`ntp_poverty.validate.provenance.NUMBER_TOKEN`
  match (what a transcribed ``value_printed`` must be) is such a run.
* Separators other than ``.``/``,`` between digits split tokens: ``14/7/2022`` is three tokens
  (``14``, ``7``, ``2022``), ``2021-2025`` two, ``1424/QĐ-UBND`` one (``1424``), ``07/2021/NĐ-CP``
  two. Rules classify such groups together.
* Digits glued to letters still count (``QH15`` gives ``15``, ``35b`` gives ``35``): nothing
  printed is dropped by the tokeniser, only classified. Markup around a number is not part of it:
  ``**1.724**`` gives ``1.724``; a percent sign is the unit, not the token: ``8,92%`` gives ``8,92``.
* Superscript digits (``¹²³⁴⁵⁶``, footnote markers in document 004) are not ASCII digits, but they
  are printed numerals, so a run of them is a token too (classified by the footnote rule).
* A lone ``-`` is a token only when it is the whole line (a reconstructed table cell, one cell per
  line): in document 003's appendix it is a printed nil (transcribed with value ``-``), in
  document 000's appendix it is the STT bullet of a sub-project row (the table-STT rule). A ``-``
  inside running text (``2021 - 2025``, ``1,5% - 2%``, bullets) is punctuation, not a token.

How a transcribed row claims a token: its ``source_text`` (NFC) is located on ``source_line``
(every occurrence of it), and the tokens of the line that lie inside that span and equal
``value_printed`` (resp. ``value_high_printed``) are its candidates. Each value claims exactly one
token occurrence; claims are assigned by a maximum bipartite matching in seed order, so two
identical numbers on one line are told apart by position and one printed number can never be
counted twice. A value with no candidate, or with every candidate already taken, is reported.

Scope: the ledger accounts for the documents in the folder it is given. Seed rows and
classifications that name a document outside it are ignored (so ``--documents`` may point at a
folder holding only a new document); that every seed row names an existing document is the
provenance check's and the seed validator's job.
"""

from __future__ import annotations

import argparse
import csv
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from ntp_poverty.common.arguments import existing_dir
from ntp_poverty.ledger.rules import rule_for
from ntp_poverty.ledger.summary import DocumentSummary, print_summary, write_summary, write_todo
from ntp_poverty.ledger.tokens import (
    CATEGORIES,
    CLASSIFICATIONS,
    Document,
    Token,
    read_documents,
)
from ntp_poverty.project import project_dir

# --------------------------------------------------------------------------------------------
# Transcribed rows (seeds with provenance)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    """One printed value of one seed row: it must claim exactly one token occurrence."""

    seed: Path
    seed_line: int
    value_column: str
    value: str
    file: str
    line: int
    text: str

    @property
    def where(self) -> str:
        return f"{self.seed}:{self.seed_line}"


def provenance_seeds(seeds_dir: Path) -> list[tuple[Path, dict[str, str]]]:
    """Every seed CSV whose YAML declares ``meta.provenance`` with file/line/text/value columns."""
    found: list[tuple[Path, dict[str, str]]] = []
    for yml in sorted(seeds_dir.rglob("*.yml")):
        doc = yaml.safe_load(yml.read_text(encoding="utf-8")) or {}
        for seed in doc.get("seeds", []) or []:
            prov = (seed.get("meta") or {}).get("provenance") or {}
            if all(k in prov for k in ("file", "line", "text", "value")):
                path = yml.parent / f"{seed['name']}.csv"
                if path.exists():
                    found.append((path, {k: str(v) for k, v in prov.items()}))
    return found


def _csv_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a CSV with the 1-based file line each starts on."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        line = 2
        for row in reader:
            yield line, row
            line = reader.line_num + 1


def read_claims(seeds_dir: Path) -> list[Claim]:
    """Every printed value (low and, for ranges, high) of every provenance seed row, in seed order."""
    claims: list[Claim] = []
    for path, prov in provenance_seeds(seeds_dir):
        for seed_line, row in _csv_rows(path):
            for kind in ("value", "high"):
                column = prov.get(kind)
                value = (row.get(column) or "").strip() if column else ""
                if not value:
                    continue
                try:
                    line_no = int(row.get(prov["line"], ""))
                except ValueError:
                    line_no = 0
                claims.append(
                    Claim(
                        path,
                        seed_line,
                        column or kind,
                        unicodedata.normalize("NFC", value),
                        row.get(prov["file"], ""),
                        line_no,
                        unicodedata.normalize("NFC", row.get(prov["text"], "")),
                    )
                )
    return claims


def _occurrences(haystack: str, needle: str) -> list[int]:
    """Every start offset of ``needle`` in ``haystack`` (overlapping allowed)."""
    starts, i = [], haystack.find(needle) if needle else -1
    while i != -1:
        starts.append(i)
        i = haystack.find(needle, i + 1)
    return starts


def candidates(claim: Claim, documents: dict[str, Document]) -> list[Token]:
    """Tokens equal to the claim's value inside an occurrence of its source text on its line."""
    doc = documents.get(claim.file)
    if doc is None or not 1 <= claim.line <= len(doc.lines):
        return []
    text = doc.lines[claim.line - 1]
    found: list[Token] = []
    for start in _occurrences(text, claim.text):
        end = start + len(claim.text)
        for token in doc.tokens_on(claim.line):
            if token.text == claim.value and start <= token.start and token.end <= end and token not in found:
                found.append(token)
    return sorted(found, key=lambda t: t.column)


def match_claims(claims: list[Claim], documents: dict[str, Document]) -> tuple[dict[Token, Claim], list[str]]:
    """Assign each claim one token (maximum bipartite matching, deterministic); return problems too."""
    claims = [c for c in claims if c.file in documents]  # other documents are out of this ledger's scope
    options = [candidates(c, documents) for c in claims]
    owner: dict[Token, int] = {}

    def augment(i: int, visited: set[Token]) -> bool:
        for token in options[i]:
            if token in visited:
                continue
            visited.add(token)
            if token not in owner or augment(owner[token], visited):
                owner[token] = i
                return True
        return False

    problems: list[str] = []
    for i, claim in enumerate(claims):
        if not options[i]:
            problems.append(
                f"{claim.where}: {claim.value_column} {claim.value!r} is not a numeral token inside "
                f"its source text {claim.text!r} on {claim.file}:{claim.line}"
            )
        elif not augment(i, set()):
            taken = ", ".join(claims[owner[t]].where for t in options[i])
            problems.append(
                f"{claim.where}: {claim.value_column} {claim.value!r} on {claim.file}:{claim.line} "
                f"has no printed occurrence left: already claimed by {taken} (transcribed twice?)"
            )
    return {token: claims[i] for token, i in owner.items()}, problems


# --------------------------------------------------------------------------------------------
# Explicit classifications
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Classification:
    """One row of numeral_classifications.csv."""

    path: Path
    seed_line: int
    values: dict[str, str]

    @property
    def where(self) -> str:
        return f"{self.path}:{self.seed_line}"


def read_classifications(seeds_dir: Path) -> list[Classification]:
    """The explicit classifications (empty when the file does not exist yet)."""
    path = seeds_dir / CLASSIFICATIONS
    if not path.exists():
        return []
    return [
        Classification(path, line, {k: unicodedata.normalize("NFC", v or "") for k, v in row.items()})
        for line, row in _csv_rows(path)
    ]


def _document_ids(seeds_dir: Path) -> dict[str, str]:
    """source_file -> document_id from the documents registry, when there is one."""
    path = seeds_dir / "reference" / "documents.csv"
    if not path.exists():
        return {}
    return {row["source_file"]: row["document_id"] for _, row in _csv_rows(path)}


def resolve_classifications(
    rows: list[Classification], documents: dict[str, Document], documents_dir: Path, seeds_dir: Path
) -> tuple[dict[Token, Classification], list[str]]:
    """Find the token each explicit row names; report rows that name nothing (stale) or a wrong id."""
    resolved: dict[Token, Classification] = {}
    problems: list[str] = []
    ids = _document_ids(seeds_dir)
    for row in rows:
        v = row.values
        file_name, token_text = v.get("source_file", ""), v.get("token", "")
        where = f"{documents_dir / file_name}:{v.get('source_line', '')}"
        try:
            line_no, occurrence = int(v.get("source_line", "")), int(v.get("occurrence", ""))
        except ValueError:
            problems.append(f"{row.where}: source_line and occurrence must be integers")
            continue
        if v.get("category") not in CATEGORIES:
            problems.append(f"{row.where}: category {v.get('category')!r} is not one of {', '.join(CATEGORIES)}")
            continue
        if not v.get("reason", "").strip():
            problems.append(f"{row.where}: reason is empty")
        if ids and file_name in ids and v.get("document_id") != ids[file_name]:
            problems.append(
                f"{row.where}: document_id {v.get('document_id')!r} is not {ids[file_name]!r} "
                f"(the document of {file_name})"
            )
        doc = documents.get(file_name)
        if doc is None:
            continue  # a document outside ``documents_dir``: out of this ledger's scope
        matching = [t for t in doc.tokens_on(line_no) if t.text == token_text]
        if occurrence < 1 or occurrence > len(matching):
            problems.append(
                f"{row.where}: {where}: token {token_text!r} (occurrence {occurrence}) "
                f"is not on this line any more (stale classification)"
            )
            continue
        token = matching[occurrence - 1]
        text = v.get("source_text", "")
        spans = [(s, s + len(text)) for s in _occurrences(doc.lines[line_no - 1], text)]
        if not any(s <= token.start and token.end <= e for s, e in spans):
            problems.append(
                f"{row.where}: {token.where(documents_dir)}: source_text {text!r} does not contain "
                f"token {token_text!r} (occurrence {occurrence}) on this line (stale classification)"
            )
            continue
        if token in resolved:
            problems.append(
                f"{row.where}: {token.where(documents_dir)}: token {token_text!r} is classified twice "
                f"(also {resolved[token].where})"
            )
            continue
        resolved[token] = row
    return resolved, problems


# --------------------------------------------------------------------------------------------
# The ledger
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """How one token is accounted for."""

    token: Token
    status: str  # transcribed | classified | unaccounted
    category: str = ""
    by: str = ""  # seed row, explicit classification row or rule name


@dataclass
class Ledger:
    """Every token of every document with its accounting, and the problems found on the way."""

    documents_dir: Path
    documents: dict[str, Document]
    entries: list[Entry]
    problems: list[str]

    def unaccounted(self) -> list[Entry]:
        """The tokens nobody has transcribed or classified: what is left to do."""
        return [e for e in self.entries if e.status == "unaccounted"]

    def messages(self) -> list[str]:
        """One located message per unaccounted token, then the problems (stale rows and the like)."""
        return [_unaccounted_message(e, self.documents_dir) for e in self.unaccounted()] + self.problems

    def summary(self) -> list[DocumentSummary]:
        """Per-document counts: tokens = transcribed + classified (by category) + unaccounted."""
        by_doc = {name: DocumentSummary(name, classified={c: 0 for c in CATEGORIES}) for name in self.documents}
        for entry in self.entries:
            s = by_doc[entry.token.file]
            s.tokens += 1
            if entry.status == "transcribed":
                s.transcribed += 1
            elif entry.status == "classified":
                s.classified[entry.category] += 1
                if entry.by.startswith("rule:"):
                    s.classified_by_rule += 1
                else:
                    s.classified_explicitly += 1
            else:
                s.unaccounted += 1
                s.unaccounted_tokens.append(_unaccounted_message(entry, self.documents_dir))
        return list(by_doc.values())


def build_ledger(documents_dir: Path, seeds_dir: Path) -> Ledger:
    """Account for every token of every document in ``documents_dir`` against ``seeds_dir``."""
    documents = read_documents(documents_dir)
    claimed, claim_problems = match_claims(read_claims(seeds_dir), documents)
    explicit, class_problems = resolve_classifications(
        read_classifications(seeds_dir), documents, documents_dir, seeds_dir
    )
    problems = list(claim_problems) + list(class_problems)
    entries: list[Entry] = []
    for doc in documents.values():
        for token in doc.tokens:
            if token in claimed:
                entries.append(Entry(token, "transcribed", "", claimed[token].where))
                if token in explicit:
                    problems.append(
                        f"{explicit[token].where}: {token.where(documents_dir)}: token {token.text!r} "
                        f"is classified here and transcribed in {claimed[token].where} "
                        f"(double-accounted: remove the classification)"
                    )
            elif token in explicit:
                entries.append(Entry(token, "classified", explicit[token].values["category"], explicit[token].where))
            elif (rule := rule_for(doc.lines, token)) is not None:
                entries.append(Entry(token, "classified", rule.category, f"rule:{rule.name}"))
            else:
                entries.append(Entry(token, "unaccounted"))
    return Ledger(documents_dir, documents, entries, problems)


def _unaccounted_message(entry: Entry, documents_dir: Path) -> str:
    return f"{entry.token.where(documents_dir)}: token {entry.token.text!r} is not transcribed and not classified"


def find_unaccounted(documents_dir: Path, seeds_dir: Path) -> list[str]:
    """One located message per unaccounted token, then per stale or double-accounted classification.

    Also reports transcribed rows whose value cannot be found in their source text (they account
    for nothing) or whose printed occurrence is already claimed by another row.
    """
    return build_ledger(documents_dir, seeds_dir).messages()


def summarize(documents_dir: Path, seeds_dir: Path) -> list[DocumentSummary]:
    """Per-document counts: tokens = transcribed + classified (by category) + unaccounted."""
    return build_ledger(documents_dir, seeds_dir).summary()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``ntp ledger [--documents D] [--seeds S] [--summary OUTDIR] [--todo FILE]``."""
    parser.add_argument(
        "--documents", type=existing_dir, help="folder of plan documents (*.txt; default: the project's)"
    )
    parser.add_argument(
        "--seeds", type=existing_dir, help="seeds folder: provenance seeds, classifications (default: the project's)"
    )
    parser.add_argument("--summary", metavar="OUTDIR", help="write ledger.md, ledger.json and ledger.html here")
    parser.add_argument(
        "--todo", metavar="FILE", help="write the unaccounted tokens as numeral_classifications.csv rows to fill in"
    )


def run(args: argparse.Namespace) -> int:
    """Print every unaccounted token and stale classification (exit 1 if any), then the counts per
    document: on a new document this is the list of what is left to transcribe or classify.
    """
    documents_dir = args.documents or project_dir() / "documents"
    seeds_dir = args.seeds or project_dir() / "seeds"
    ledger = build_ledger(documents_dir, seeds_dir)
    problems, summary = ledger.messages(), ledger.summary()
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    print_summary(summary, sys.stdout)
    if args.summary:
        write_summary(summary, Path(args.summary))
        print(f"ledger summary written to {args.summary}/ledger.{{md,json,html}}")
    if args.todo:
        n = write_todo(ledger, _document_ids(seeds_dir), Path(args.todo))
        print(
            f"{n} unaccounted token(s) written to {args.todo}: transcribe each into a provenance seed, "
            f"or fill in category and reason and append it to {seeds_dir / CLASSIFICATIONS}"
        )
    if problems:
        print(
            f"ledger: {len(problems)} problem(s); every printed numeral must be transcribed or classified",
            file=sys.stderr,
        )
        return 1
    print("ledger: every printed numeral is accounted for")
    return 0
