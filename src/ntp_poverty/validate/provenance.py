"""Prove every transcribed number against the document it came from.

Every seed whose YAML declares ``meta.provenance`` (``file``, ``line``, ``text``, ``value`` and
optionally ``high``: the columns holding the document, the 1-based line, the printed fragment and
the printed numbers) is proven row by row: the document exists and is UTF-8, the line exists, the
fragment is on that line (both NFC-normalised) and each printed number is a number token of the
fragment. A new seed with provenance is proven by declaring it, without touching this module.

That the stored values agree with the printed ones (``value_printed`` -> ``value_numeric`` ->
``amount_million_vnd``) is declared in the same YAML and checked by
:mod:`ntp_poverty.validate.seeds`; the preflight (:mod:`ntp_poverty.validate.preflight`) runs both, so a
row is proven from the document line to the amount before anything is built.

Every problem is a located error, never a traceback, because the refresh prints them for whoever
fixes the input: ``<seed>:<line>:<column> (<column name>): message`` for a row (where a
transcription error is fixed) and ``<document>:<line>:<column>: message`` for a document that
cannot be read. A document-level fault (missing, not UTF-8, truncated) is reported once per seed
and document, not once per row that cites it.
"""

from __future__ import annotations

import argparse
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ntp_poverty.common.arguments import existing_dir
from ntp_poverty.common.reporting import report
from ntp_poverty.project import project_dir
from ntp_poverty.validate.seeds import SeedError, SeedSpec, load_specs, read_rows

#: A printed number: digits with "." thousands groups and an optional "," decimal part, or a lone "-".
NUMBER_TOKEN = re.compile(r"(?<![\d.,])(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?(?![\d]|[.,]\d)|(?<!\S)-(?!\S)")
#: The keys of ``meta.provenance`` that name printed-number columns.
VALUE_KEYS = ("value", "high")


@dataclass(frozen=True)
class SeedRow:
    """One row of a seed with the file line it was read from."""

    path: Path
    line: int
    values: dict[str, str]


@dataclass(frozen=True)
class ProvenanceSpec:
    """A seed with provenance: its declaration and which columns hold file, line, text and values."""

    seed: SeedSpec
    file: str
    line: str
    text: str
    values: tuple[str, ...]

    @classmethod
    def of(cls, seed: SeedSpec) -> ProvenanceSpec | None:
        """The provenance declared in the seed's ``meta.provenance``, or None if it declares none."""
        declared = seed.seed_meta.get("provenance") or {}
        if not all(k in declared for k in ("file", "line", "text")):
            return None
        values = tuple(str(declared[k]) for k in VALUE_KEYS if k in declared)
        return cls(seed, str(declared["file"]), str(declared["line"]), str(declared["text"]), values)

    def error(self, line: int, column: str, message: str) -> str:
        """A message located at one cell of the seed."""
        index = self.seed.columns.index(column) + 1 if column in self.seed.columns else 0
        return str(SeedError(self.seed.path, line, index, column, message))


@dataclass
class Document:
    """A document's NFC lines, or why it cannot be read (``missing``, or ``problem``: a located message)."""

    path: Path
    lines: tuple[str, ...] = ()
    missing: bool = False
    problem: str = ""

    @property
    def line_count(self) -> int:
        """Lines in the file; a final newline ends the last line, it does not start another."""
        return len(self.lines) - 1 if self.lines and self.lines[-1] == "" else len(self.lines)

    @property
    def ends_with_newline(self) -> bool:
        return bool(self.lines) and self.lines[-1] == ""


def read_document(path: Path) -> Document:
    """Read a document for the proof; a missing or non-UTF-8 file is marked, not raised."""
    if not path.is_file():
        return Document(path, missing=True)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return Document(path, problem=f"{path}:0:0: document cannot be read ({exc.strerror})")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        # a character column, as editors count (the bytes before the bad one on its line are UTF-8)
        column = len(raw[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        return Document(
            path,
            problem=f"{path}:{line}:{column}: document is not UTF-8 ({exc.reason}, byte "
            f"0x{raw[exc.start]:02x}); no row citing it can be proven",
        )
    return Document(path, tuple(unicodedata.normalize("NFC", line) for line in text.split("\n")))


@dataclass
class Documents:
    """The documents folder, each file read once per proof."""

    folder: Path
    read: dict[str, Document] = field(default_factory=dict)

    def get(self, file_name: str) -> Document:
        if file_name not in self.read:
            self.read[file_name] = read_document(self.folder / file_name)
        return self.read[file_name]


def read_seed(path: Path) -> Iterator[SeedRow]:
    """Yield the rows of a provenance seed CSV with their 1-based file line numbers."""
    spec = _spec_for(path)
    rows, _ = read_rows(spec.seed) if spec else ([], [])
    for line, values in rows:
        yield SeedRow(path, line, values)


def number_tokens(text: str) -> list[str]:
    """Return the printed numbers in ``text``, in order."""
    return NUMBER_TOKEN.findall(text)


def provenance_specs(seeds_dir: Path) -> list[ProvenanceSpec]:
    """Every seed under ``seeds_dir`` whose YAML declares ``meta.provenance``."""
    return [p for s in load_specs(seeds_dir).values() if (p := ProvenanceSpec.of(s)) is not None]


def _spec_for(path: Path) -> ProvenanceSpec | None:
    return next((p for p in provenance_specs(path.parent) if p.seed.path.resolve() == path.resolve()), None)


def _cut(text: str, line: str) -> str:
    """The longest proper prefix of ``text`` that ``line`` ends with ('' if none)."""
    return next((text[:n] for n in range(len(text) - 1, 0, -1) if line.endswith(text[:n])), "")


def check_row(spec: ProvenanceSpec, line: int, row: dict[str, str], document: Document) -> list[str]:
    """Problems of one row whose document could be read (empty list = proven).

    A line past the end of the document is not reported here: :func:`prove_seed` reports it once
    per document, since it means the document is truncated (or every such row is wrong).
    """
    text = unicodedata.normalize("NFC", row[spec.text])
    line_no = int(row[spec.line])
    where = f"{document.path}:{line_no}"
    problems = []
    printed_line = document.lines[line_no - 1]
    if text not in printed_line:
        prefix = _cut(text, printed_line)
        if prefix and line_no == document.line_count and not document.ends_with_newline:
            problems.append(
                spec.error(
                    line,
                    spec.text,
                    f"source text {text!r} is cut at {where}:"
                    f"{len(printed_line) + 1}, the end of the document, after {prefix!r}: "
                    "the document is truncated",
                )
            )
        else:
            elsewhere = [str(n) for n, other in enumerate(document.lines, start=1) if text and text in other][:3]
            hint = f" (it is on line {', '.join(elsewhere)})" if elsewhere else ""
            problems.append(spec.error(line, spec.text, f"source text {text!r} is not on {where}{hint}"))
    tokens = number_tokens(text)
    for column in spec.values:
        value = row[column]
        if value and value not in tokens:
            problems.append(
                spec.error(line, column, f"printed value {value!r} is not a number in source text {text!r}")
            )
    return problems


def prove_seed(spec: ProvenanceSpec, documents: Documents) -> tuple[int, list[str]]:
    """Prove every row of one seed; return (rows checked, located problems)."""
    rows, errors = read_rows(spec.seed)
    problems = [str(e) for e in errors]
    missing: dict[Path, list[int]] = {}  # document -> seed lines citing it
    unreadable: dict[str, list[int]] = {}  # document problem -> seed lines citing it
    past_end: dict[Path, list[tuple[int, int]]] = {}  # document -> (seed line, cited line)
    for line, row in rows:
        try:
            line_no = int(row[spec.line])
        except ValueError:
            problems.append(spec.error(line, spec.line, f"{row[spec.line]!r} is not a line number"))
            continue
        if not row[spec.file]:
            problems.append(spec.error(line, spec.file, "names no document: the row cannot be proven"))
            continue
        document = documents.get(row[spec.file])
        if document.missing:
            missing.setdefault(document.path, []).append(line)
        elif document.problem:
            unreadable.setdefault(document.problem, []).append(line)
        elif not 1 <= line_no <= document.line_count:
            past_end.setdefault(document.path, []).append((line, line_no))
        else:
            problems.extend(check_row(spec, line, row, document))
    for path, lines in missing.items():
        problems.append(
            spec.error(
                lines[0], spec.file, f"document {path} does not exist ({len(lines)} row(s) cite it, the first here)"
            )
        )
    for problem, lines in unreadable.items():
        problems.append(f"{problem} ({len(lines)} row(s) of {spec.seed.path} cite it, the first on line {lines[0]})")
    for path, cited in past_end.items():
        first_line, first_cited = cited[0]
        count = documents.get(path.name).line_count
        problems.append(
            spec.error(
                first_line,
                spec.line,
                f"line {first_cited} is past the end of {path} ({count} "
                f"lines; {len(cited)} row(s) cite lines past its end, the first here): "
                "the document is truncated or the line numbers are wrong",
            )
        )
    return len(rows), problems


def prove(seeds_dir: Path, documents_dir: Path) -> list[str]:
    """Prove every provenance seed under ``seeds_dir`` against ``documents_dir``; located problems."""
    documents = Documents(documents_dir)
    problems: list[str] = []
    for spec in provenance_specs(seeds_dir):
        problems.extend(prove_seed(spec, documents)[1])
    return problems


def check_seed(path: Path, documents_dir: Path) -> tuple[int, list[str]]:
    """Prove one seed CSV (declared with provenance in a YAML beside it); (rows checked, problems)."""
    spec = _spec_for(path)
    if spec is None:
        return 0, [f"{path}:0:0: no YAML beside it declares meta.provenance for this seed"]
    return prove_seed(spec, Documents(documents_dir))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``ntp validate provenance [SEEDS_DIR [DOCUMENTS_DIR]]``."""
    parser.add_argument("seeds_dir", nargs="?", type=existing_dir, help="seeds folder (default: the project's seeds/)")
    parser.add_argument(
        "documents_dir",
        nargs="?",
        type=existing_dir,
        help="documents folder (default: documents/ beside the seeds folder)",
    )


def run(args: argparse.Namespace) -> int:
    """Exit 1 on any problem, each located by seed file, line and column."""
    seeds_dir = args.seeds_dir or project_dir() / "seeds"
    documents_dir = args.documents_dir or seeds_dir.parent / "documents"
    problems = prove(seeds_dir, documents_dir)
    return report(
        list(problems),
        f"provenance: {len(problems)} problem(s)",
        f"provenance: every row of {len(provenance_specs(seeds_dir))} seed(s) is on its document line",
    )
