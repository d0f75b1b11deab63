"""The committed texts are the ones the registry was transcribed from.

``seeds/reference/documents.csv`` records, per document, where its text came from, when, and the
SHA-256 of the text committed under ``documents/``. Every transcription (line numbers, fragments,
the ledger) is of that text: a text that changed after it was registered is refused, with the
registry's line and column, until it is registered (and transcribed) again.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

from ntp_poverty.validate.seeds import SeedError

REGISTRY = Path("reference") / "documents.csv"
COLUMN = "sha256"


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file's bytes, in lowercase hexadecimal."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_texts(seeds_dir: Path, documents_dir: Path) -> list[SeedError]:
    """One located error per registered document whose text is missing or has another SHA-256
    than the registry's (the registry's own format is the seed validator's)."""
    registry = seeds_dir / REGISTRY
    with registry.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = reader.fieldnames or []
        if COLUMN not in fields:
            return [
                SeedError(registry, 1, 1, "", f"no column {COLUMN!r}: the registry must record each text's SHA-256")
            ]
        column = fields.index(COLUMN) + 1
        errors = []
        for row in reader:
            line = reader.line_num
            text = documents_dir / row["source_file"]
            if not text.is_file():
                errors.append(SeedError(registry, line, column, COLUMN, f"{text} does not exist"))
                continue
            actual = sha256_of(text)
            if actual != row[COLUMN]:
                errors.append(
                    SeedError(
                        registry,
                        line,
                        column,
                        COLUMN,
                        f"{text} has SHA-256 {actual}, the registry {row[COLUMN] or '(none)'}: the text changed "
                        "after it was transcribed; register the new text (and check its transcription) again",
                    )
                )
    return errors
