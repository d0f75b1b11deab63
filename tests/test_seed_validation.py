"""A malformed seed stops the build with file, line and column; one test per kind of damage."""

from __future__ import annotations

import subprocess
import unicodedata
from pathlib import Path

import pytest

from conftest import BIN, ROOT, copy_project
from ntp_poverty.validate_seeds import validate

AMOUNTS = Path("transcription") / "plan_amounts.csv"


def _edit(seeds: Path, rel: Path, old: str, new: str, count: int = 1) -> Path:
    path = seeds / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


def _errors(seeds: Path) -> list[str]:
    return [str(e) for e in validate(seeds)]


def test_the_real_seeds_are_valid() -> None:
    assert _errors(ROOT / "seeds") == []


def test_unparseable_number(seeds_copy: Path) -> None:
    path = _edit(seeds_copy, AMOUNTS, "29,1.650 triệu đồng,1.650,", "29,1.650 triệu đồng,1.65O,")
    assert _errors(seeds_copy) == [f"{path}:2:6 (value_printed): not a valid vi_number: '1.65O'"]


def test_unknown_component_code(seeds_copy: Path) -> None:
    path = _edit(seeds_copy, AMOUNTS, ",DA1,total,", ",DA9,total,")
    assert _errors(seeds_copy) == [
        f"{path}:2:18 (component_code): unknown code 'DA9' (not in program_components.component_code)"
    ]


def test_unknown_funding_code(seeds_copy: Path) -> None:
    path = _edit(seeds_copy, AMOUNTS, ",DA1,central_budget,", ",DA1,central_budgt,")
    assert _errors(seeds_copy) == [
        f"{path}:3:19 (funding_source_code): unknown code 'central_budgt' (not in funding_sources.funding_source_code)"
    ]


def test_nfd_text(seeds_copy: Path) -> None:
    nfd = unicodedata.normalize("NFD", "Ngân sách trung ương: 1.500 triệu đồng")
    path = _edit(seeds_copy, AMOUNTS, "30,Ngân sách trung ương: 1.500 triệu đồng,", f"30,{nfd},")
    errors = _errors(seeds_copy)
    assert len(errors) == 1
    assert errors[0].startswith(f"{path}:3:5 (source_text): text is not Unicode NFC")


def test_duplicate_key(seeds_copy: Path) -> None:
    path = _edit(seeds_copy, AMOUNTS, "soctrang_2024_2025_draft:0030:1,", "soctrang_2024_2025_draft:0029:1,")
    assert _errors(seeds_copy) == [
        f"{path}:3:1 (amount_id): duplicate key ('soctrang_2024_2025_draft:0029:1',) (first on line 2)"
    ]


def test_utf8_bom(seeds_copy: Path) -> None:
    path = seeds_copy / AMOUNTS
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert _errors(seeds_copy) == [
        f"{path}:1:1: file starts with a UTF-8 byte-order mark (BOM); save without BOM"
    ]


def test_wrong_delimiter(seeds_copy: Path) -> None:
    path = seeds_copy / "reference" / "capital_types.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",", ";"), encoding="utf-8")
    errors = _errors(seeds_copy)
    assert f"{path}:1:1: wrong delimiter: the header is one field; seeds are comma-separated" in errors


def test_missing_column(seeds_copy: Path) -> None:
    path = seeds_copy / "reference" / "plan_phases.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    # drop the last column (description) from every line
    path.write_text("\n".join(line.rsplit(",", 1)[0] if i == 0 else line.split(',"')[0] for i, line in enumerate(lines)) + "\n",
                    encoding="utf-8")
    errors = _errors(seeds_copy)
    assert errors == [f"{path}:1:6 (description): declared column is missing from the header"]


def test_short_row_is_reported_not_dropped(seeds_copy: Path) -> None:
    path = seeds_copy / "reference" / "capital_types.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("unspecified,Không xác định,Capital type not stated,,3", "unspecified,Không xác định"),
                    encoding="utf-8")
    assert _errors(seeds_copy) == [f"{path}:4:3: 2 fields where the header has 5"]


@pytest.mark.slow
def test_make_build_stops_on_a_malformed_seed(tmp_path: Path) -> None:
    """The validator is wired into `make build`: a bad number fails it before dbt runs."""
    project = copy_project(tmp_path)
    (project / ".venv").symlink_to(BIN.parent)
    path = _edit(project / "seeds", AMOUNTS, "29,1.650 triệu đồng,1.650,", "29,1.650 triệu đồng,1.65O,")
    result = subprocess.run(["make", "build", "NTP_WAREHOUSE=" + str(tmp_path / "w.duckdb")], cwd=project,
                            capture_output=True, text=True, check=False)
    assert result.returncode != 0
    assert "seeds/transcription/plan_amounts.csv:2:6 (value_printed): not a valid vi_number: '1.65O'" in result.stderr
    assert not (tmp_path / "w.duckdb").exists()
