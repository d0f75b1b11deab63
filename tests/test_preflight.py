"""The preflight registry: what runs before dbt, how a check is added, and that it never crashes.

The refresh's use of it (exit 2, published file untouched) is proven in test_refresh.py.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import DOCUMENTS, NTP, ROOT, SEEDS
from ntp_poverty.validate import preflight
from ntp_poverty.validate.preflight import Inputs, check, errors_of, run_preflight

SOC_TRANG = "000_cdbc9b3cac43e985.txt"


@pytest.fixture()
def documents_copy(tmp_path: Path) -> Path:
    target = tmp_path / "documents"
    shutil.copytree(DOCUMENTS, target)
    return target


@pytest.fixture()
def extra_check() -> Iterator[list[Inputs]]:
    """Register a throwaway check for one test, and remove it afterwards."""
    seen: list[Inputs] = []
    before = list(preflight.REGISTRY)

    @check("extra", "a test check")
    def extra(inputs: Inputs) -> list[str]:
        seen.append(inputs)
        return ["extra.txt:1:1: always fails"]

    yield seen
    preflight.REGISTRY[:] = before


def test_the_registry_runs_seeds_provenance_and_the_ledger() -> None:
    names = [c.name for c in preflight.REGISTRY]
    assert names[:4] == ["seeds", "transcription_rules", "document_texts", "provenance"]
    assert "ledger" in names
    results = run_preflight(SEEDS, DOCUMENTS)
    assert [r.name for r in results] == names
    assert all(r.seconds >= 0 for r in results)


def test_adding_a_check_is_one_decorated_function(extra_check: list[Inputs]) -> None:
    results = run_preflight(SEEDS, DOCUMENTS, only=["extra"])
    assert [r.name for r in results] == ["extra"]
    assert errors_of(results) == ["extra.txt:1:1: always fails"]
    assert extra_check == [Inputs(SEEDS, DOCUMENTS)]


def test_a_crashing_check_is_one_error_line_not_a_traceback() -> None:
    before = list(preflight.REGISTRY)

    @check("crashes", "a test check")
    def crashes(inputs: Inputs) -> list[str]:
        raise UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte")

    try:
        (result,) = run_preflight(SEEDS, DOCUMENTS, only=["crashes"])
    finally:
        preflight.REGISTRY[:] = before
    assert result.errors == [
        "preflight check 'crashes' could not run: UnicodeDecodeError: 'utf-8' codec can't "
        "decode byte 0xff in position 0: invalid start byte"
    ]


def test_an_unknown_check_name_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown preflight check"):
        run_preflight(SEEDS, DOCUMENTS, only=["nope"])


def test_the_same_error_from_two_checks_is_printed_once() -> None:
    results = [
        preflight.Result("a", ["x:1:1: same", "x:2:1: a only"], 0.0),
        preflight.Result("b", ["x:1:1: same"], 0.0),
    ]
    assert errors_of(results) == ["x:1:1: same", "x:2:1: a only"]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(NTP), "preflight", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin"},
    )


def test_command_line_names_file_line_and_column(seeds_copy: Path) -> None:
    path = seeds_copy / "transcription" / "plan_amounts.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["value_printed"] == "1.650"
    rows[0]["value_printed"] = "1,650.5"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    result = _cli("--seeds", str(seeds_copy), "--documents", str(DOCUMENTS), "--only", "seeds", "--only", "provenance")
    assert result.returncode == 1
    assert (
        f"error: {path}:2:6 (value_printed): not a valid vi_number: '1,650.5' (did you mean '1,6505' or '1.650,5'?)"
    ) in result.stderr
    assert f"error: {path}:2:6 (value_printed): printed value '1,650.5' is not a number in source text" in result.stderr
    assert "preflight: seeds 1 error(s) in " in result.stdout and "provenance 1 error(s) in " in result.stdout


def test_command_line_on_a_document_that_is_not_utf8(seeds_copy: Path, documents_copy: Path) -> None:
    """Every check reports (or is reported as not able to run) on one line each; no traceback."""
    document = documents_copy / SOC_TRANG
    document.write_bytes(document.read_bytes().replace("triệu".encode(), b"tri\xeau", 1))
    result = _cli("--seeds", str(seeds_copy), "--documents", str(documents_copy))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"error: {document}:" in result.stderr and ": document is not UTF-8 (" in result.stderr


def test_command_line_lists_the_checks() -> None:
    result = _cli("--list")
    assert result.returncode == 0
    assert result.stdout.splitlines()[:2] == [f"{c.name}: {c.why}" for c in preflight.REGISTRY[:2]]


def test_a_text_changed_after_it_was_registered_is_refused_at_its_registry_cell(
    seeds_copy: Path, documents_copy: Path
) -> None:
    """documents.csv records each text's SHA-256: a text edited by one byte (a corrected number, a
    re-saved file) no longer matches, and the preflight names the registry's line and column."""
    document = documents_copy / SOC_TRANG
    assert not errors_of(run_preflight(seeds_copy, documents_copy, only=["document_texts"]))
    document.write_text(document.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    registry = seeds_copy / "reference" / "documents.csv"
    with registry.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    line = next(i for i, row in enumerate(rows, start=1) if row[1] == SOC_TRANG)
    column = rows[0].index("sha256") + 1
    [error] = errors_of(run_preflight(seeds_copy, documents_copy, only=["document_texts"]))
    assert error.startswith(f"{registry}:{line}:{column} (sha256): {document} has SHA-256 "), error
    assert "the text changed after it was transcribed" in error


def test_a_registry_cell_that_is_not_a_sha256_is_refused(seeds_copy: Path) -> None:
    registry = seeds_copy / "reference" / "documents.csv"
    registry.write_text(registry.read_text(encoding="utf-8").replace(",499401f6", ",XX9401f6", 1), encoding="utf-8")
    errors = errors_of(run_preflight(seeds_copy, DOCUMENTS, only=["seeds"]))
    assert any("(sha256): not a SHA-256 (64 lowercase hexadecimal digits)" in e for e in errors), errors
