"""Every transcribed amount and target is proven against its document line (100% of rows), and a
broken document or row is a located error, never a traceback."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from conftest import DOCUMENTS, SEEDS
from ntp_poverty.validate.provenance import (
    Documents,
    ProvenanceSpec,
    check_row,
    check_seed,
    prove,
    provenance_specs,
    read_seed,
)

AMOUNTS = SEEDS / "transcription" / "plan_amounts.csv"
TARGETS = SEEDS / "transcription" / "plan_targets.csv"
SOC_TRANG = "000_cdbc9b3cac43e985.txt"
FIRST_AMOUNT = "soctrang_2024_2025_draft:0029:1"  # line 2 of plan_amounts.csv, document 000 line 29
SPECS = provenance_specs(SEEDS)
ROWS = [(spec, line, row) for spec in SPECS for line, row in ((r.line, r.values) for r in read_seed(spec.seed.path))]


def test_amounts_and_targets_declare_provenance() -> None:
    assert {AMOUNTS, TARGETS} <= {spec.seed.path for spec in SPECS}


@pytest.mark.parametrize(
    ("spec", "line", "row"), ROWS, ids=[f"{s.seed.name}:{r[s.seed.primary_key[0]]}" for s, _, r in ROWS]
)
def test_row_is_proven_by_its_document(spec: ProvenanceSpec, line: int, row: dict[str, str]) -> None:
    document = Documents(DOCUMENTS).get(row[spec.file])
    assert not document.missing and not document.problem
    assert check_row(spec, line, row, document) == []


def test_every_row_is_checked() -> None:
    """Coverage is the whole seed, counted independently of the checker."""
    for path in (AMOUNTS, TARGETS):
        with path.open(encoding="utf-8", newline="") as handle:
            expected = sum(1 for _ in csv.DictReader(handle))
        checked, problems = check_seed(path, DOCUMENTS)
        assert checked == expected > 0
        assert problems == []


def test_every_provenance_seed_is_proven() -> None:
    assert prove(SEEDS, DOCUMENTS) == []


@pytest.fixture()
def documents_copy(tmp_path: Path) -> Path:
    """A private copy of documents/ that a test may break."""
    target = tmp_path / "documents"
    shutil.copytree(DOCUMENTS, target)
    return target


def _rewrite(path: Path, row_id: str, column: str, value: str) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    fields = list(rows[0])
    hit = [r for r in rows if r[fields[0]] == row_id]
    assert len(hit) == 1
    hit[0][column] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.parametrize(
    ("column", "value", "located", "message"),
    [
        ("value_printed", "1.651", "2:6 (value_printed)", "printed value '1.651' is not a number in source text"),
        ("value_printed", "1,650.5", "2:6 (value_printed)", "printed value '1,650.5' is not a number in source text"),
        ("source_line", "30", "2:5 (source_text)", f"is not on {DOCUMENTS / SOC_TRANG}:30 (it is on line 29)"),
        ("source_text", "1.650 tỷ đồng", "2:5 (source_text)", f"'1.650 tỷ đồng' is not on {DOCUMENTS / SOC_TRANG}:29"),
        ("source_line", "x", "2:4 (source_line)", "'x' is not a line number"),
    ],
)
def test_altering_one_amount_makes_the_proof_fail(
    seeds_copy: Path, column: str, value: str, located: str, message: str
) -> None:
    path = seeds_copy / "transcription" / "plan_amounts.csv"
    _rewrite(path, FIRST_AMOUNT, column, value)
    _, problems = check_seed(path, DOCUMENTS)
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}:{located}: ")
    assert message in problems[0]


def test_altering_one_target_makes_the_proof_fail(seeds_copy: Path) -> None:
    path = seeds_copy / "transcription" / "plan_targets.csv"
    first = next(read_seed(path)).values["target_id"]
    _rewrite(path, first, "value_printed", "999")
    _, problems = check_seed(path, DOCUMENTS)
    assert len(problems) == 1 and f"{path}:2:6 (value_printed): printed value '999'" in problems[0]


def test_a_document_truncated_between_lines_is_one_located_error(seeds_copy: Path, documents_copy: Path) -> None:
    document = documents_copy / SOC_TRANG
    lines = document.read_text(encoding="utf-8").split("\n")
    document.write_text("\n".join(lines[:200]) + "\n", encoding="utf-8")
    problems = prove(seeds_copy, documents_copy)
    amounts = [p for p in problems if "plan_amounts.csv" in p]
    assert len(amounts) == 1
    assert f"(source_line): line 201 is past the end of {document} (200 lines; " in amounts[0]
    assert "the document is truncated" in amounts[0]


def test_a_document_cut_inside_a_source_text_is_a_located_error(seeds_copy: Path, documents_copy: Path) -> None:
    document = documents_copy / SOC_TRANG
    text = document.read_text(encoding="utf-8")
    cut = text.index("1.650 triệu đồng") + len("1.650 tri")  # line 29, inside the first amount's fragment
    document.write_text(text[:cut], encoding="utf-8")
    problems = prove(seeds_copy, documents_copy)
    path = seeds_copy / "transcription" / "plan_amounts.csv"
    assert f"{path}:2:5 (source_text): source text '1.650 triệu đồng' is cut at {document}:29:" in problems[0]
    assert problems[0].endswith("after '1.650 tri': the document is truncated")
    assert any("past the end" in p for p in problems)


def test_a_missing_document_is_one_located_error_per_seed(seeds_copy: Path, documents_copy: Path) -> None:
    (documents_copy / SOC_TRANG).unlink()
    problems = prove(seeds_copy, documents_copy)
    path = seeds_copy / "transcription" / "plan_amounts.csv"
    assert problems[0].startswith(f"{path}:2:3 (source_file): document {documents_copy / SOC_TRANG} does not exist (")
    assert len(problems) == 2  # plan_amounts and plan_targets, each once


def test_a_document_that_is_not_utf8_is_located_in_the_document(seeds_copy: Path, documents_copy: Path) -> None:
    document = documents_copy / SOC_TRANG
    lines = document.read_bytes().split(b"\n")
    lines[28] = lines[28].replace("triệu".encode(), "tri\xeau".encode("latin-1"), 1)  # a Latin-1 "ê" on line 29
    document.write_bytes(b"\n".join(lines))
    bad = lines[28].index(b"\xea")
    column = len(lines[28][:bad].decode("utf-8")) + 1  # a character column, as editors count
    problems = prove(seeds_copy, documents_copy)
    assert problems and all(p.startswith(f"{document}:29:{column}: document is not UTF-8 (") for p in problems)
    assert "no row citing it can be proven" in problems[0]


def test_a_new_seed_that_declares_provenance_is_proven(seeds_copy: Path) -> None:
    """Nothing in the proof is specific to amounts or targets: a declaration is enough."""
    folder = seeds_copy / "extra"
    folder.mkdir()
    (folder / "_extra__seeds.yml").write_text(
        "version: 2\nseeds:\n  - name: plan_things\n"
        "    config:\n      column_types: {thing_id: varchar, doc: varchar, at: varchar, fragment: varchar,"
        " printed: varchar}\n"
        "    meta:\n      primary_key: [thing_id]\n"
        "      provenance: {file: doc, line: at, text: fragment, value: printed}\n"
        "    columns:\n"
        + "".join(
            f"      - name: {c}\n        meta: {{type: text}}\n"
            for c in ("thing_id", "doc", "at", "fragment", "printed")
        ),
        encoding="utf-8",
    )
    (folder / "plan_things.csv").write_text(
        "thing_id,doc,at,fragment,printed\n"
        f"a,{SOC_TRANG},29,1.650 triệu đồng,1.650\n"
        f"b,{SOC_TRANG},29,1.650 triệu đồng,1.500\n",
        encoding="utf-8",
    )
    problems = [p for p in prove(seeds_copy, DOCUMENTS) if "plan_things" in p]
    assert problems == [
        f"{folder / 'plan_things.csv'}:3:5 (printed): printed value '1.500' is not a number in "
        "source text '1.650 triệu đồng'"
    ]
