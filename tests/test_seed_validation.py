"""A malformed seed stops the build with file, line and column; one test per kind of damage."""

from __future__ import annotations

import csv
import subprocess
import unicodedata
from pathlib import Path

import pytest

from conftest import BIN, ROOT, copy_project
from ntp_poverty.validate.seeds import validate

AMOUNTS = Path("transcription") / "plan_amounts.csv"
TARGETS = Path("transcription") / "plan_targets.csv"
FIRST_AMOUNT = "soctrang_2024_2025_draft:0029:1"  # line 2: "1.650 triệu đồng", requested


def _edit(seeds: Path, rel: Path, old: str, new: str, count: int = 1) -> Path:
    path = seeds / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


def _errors(seeds: Path) -> list[str]:
    return [str(e) for e in validate(seeds)]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(path: Path, rows: list[dict[str, str]], fields: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _set(seeds: Path, rel: Path, row_id: str, **values: str) -> Path:
    """Change cells of the row whose first column is ``row_id`` in a copy of a seed."""
    path = seeds / rel
    rows = _rows(path)
    fields = list(rows[0])
    hit = [r for r in rows if r[fields[0]] == row_id]
    assert len(hit) == 1
    hit[0].update(values)
    _write(path, rows, fields)
    return path


def _errors_in(seeds: Path, path: Path) -> list[str]:
    """The errors located in one seed file (other seeds may be mid-edit in a shared tree)."""
    return [str(e) for e in validate(seeds) if e.path == path]


def test_the_real_seeds_are_valid() -> None:
    assert _errors(ROOT / "seeds") == []


def test_unparseable_number(seeds_copy: Path) -> None:
    path = _edit(seeds_copy, AMOUNTS, "29,1.650 triệu đồng,1.650,", "29,1.650 triệu đồng,1.65O,")
    assert _errors(seeds_copy) == [f"{path}:2:6 (value_printed): not a valid vi_number: '1.65O'"]


def _column(path: Path, name: str) -> int:
    """1-based position of a column in a seed's header (columns are added as the seeds grow)."""
    return path.read_text(encoding="utf-8").split("\n", 1)[0].split(",").index(name) + 1


def test_unknown_component_code(seeds_copy: Path) -> None:
    path = _edit(seeds_copy, AMOUNTS, ",DA1,total,", ",DA9,total,")
    column = _column(path, "component_code")
    assert _errors(seeds_copy) == [
        f"{path}:2:{column} (component_code): unknown code 'DA9' (not in program_components.component_code)"
    ]


def test_unknown_funding_code(seeds_copy: Path) -> None:
    path = _edit(seeds_copy, AMOUNTS, ",DA1,central_budget,", ",DA1,central_budgt,")
    column = _column(path, "funding_source_code")
    assert _errors(seeds_copy) == [
        f"{path}:3:{column} (funding_source_code): unknown code 'central_budgt' "
        "(not in funding_sources.funding_source_code)"
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
    assert _errors(seeds_copy) == [f"{path}:1:1: file starts with a UTF-8 byte-order mark (BOM); save without BOM"]


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
    path.write_text(
        "\n".join(line.rsplit(",", 1)[0] if i == 0 else line.split(',"')[0] for i, line in enumerate(lines)) + "\n",
        encoding="utf-8",
    )
    errors = _errors(seeds_copy)
    assert errors == [f"{path}:1:7 (description): declared column is missing from the header"]


def test_short_row_is_reported_not_dropped(seeds_copy: Path) -> None:
    path = seeds_copy / "reference" / "capital_types.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("unspecified,Không xác định,Capital type not stated,,3", "unspecified,Không xác định"),
        encoding="utf-8",
    )
    assert _errors(seeds_copy) == [f"{path}:4:3: 2 fields where the header has 5"]


@pytest.mark.slow
def test_make_build_stops_on_a_malformed_seed(tmp_path: Path) -> None:
    """The validator is wired into `make build`: a bad number fails it before dbt runs."""
    project = copy_project(tmp_path)
    (project / ".venv").symlink_to(BIN.parent)
    _edit(project / "seeds", AMOUNTS, "29,1.650 triệu đồng,1.650,", "29,1.650 triệu đồng,1.65O,")
    result = subprocess.run(
        ["make", "build", "NTP_WAREHOUSE=" + str(tmp_path / "w.duckdb")],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "seeds/transcription/plan_amounts.csv:2:6 (value_printed): not a valid vi_number: '1.65O'" in result.stderr
    assert not (tmp_path / "w.duckdb").exists()


@pytest.mark.parametrize(
    ("printed", "hint"),
    [
        ("1,650.5", " (did you mean '1,6505' or '1.650,5'?)"),  # Babel's lenient mode reads 1.6505
        ("16.50", " (did you mean '1.650' or '16,5'?)"),  # misplaced group separator
        ("1650", " (it would print '1.650')"),  # not grouped the Vietnamese way
        ("1..650", " (did you mean '1.650'?)"),
    ],
)
def test_printed_number_that_does_not_round_trip(seeds_copy: Path, printed: str, hint: str) -> None:
    path = _set(seeds_copy, AMOUNTS, FIRST_AMOUNT, value_printed=printed)
    assert _errors_in(seeds_copy, path) == [f"{path}:2:6 (value_printed): not a valid vi_number: {printed!r}{hint}"]


def test_value_numeric_that_disagrees_with_the_printed_number(seeds_copy: Path) -> None:
    path = _set(seeds_copy, AMOUNTS, FIRST_AMOUNT, value_numeric="1651")
    assert _errors_in(seeds_copy, path) == [
        f"{path}:2:8 (value_numeric): value_numeric 1651 disagrees with value_printed '1.650', which reads 1650"
    ]  # reported once: the amount computed from it is not checked again


def test_amount_that_disagrees_with_value_times_unit(seeds_copy: Path) -> None:
    path = _set(seeds_copy, AMOUNTS, FIRST_AMOUNT, unit_printed="tỷ đồng")
    assert _errors_in(seeds_copy, path) == [
        f"{path}:2:9 (amount_million_vnd): 1650 disagrees with value_numeric 1650 tỷ đồng = 1650000 million VND"
    ]


def test_amount_of_a_percentage_must_be_empty(seeds_copy: Path) -> None:
    path = _set(seeds_copy, AMOUNTS, FIRST_AMOUNT, unit_printed="%")
    assert _errors_in(seeds_copy, path) == [f"{path}:2:9 (amount_million_vnd): must be empty: '%' is not a money unit"]


def test_target_values_that_disagree_with_the_printed_numbers(seeds_copy: Path) -> None:
    path = seeds_copy / TARGETS
    line, single = next((n, r) for n, r in enumerate(_rows(path), start=2) if r["value_high_printed"] == "")
    _set(seeds_copy, TARGETS, single["target_id"], high_value=single["high_value"] + "1")
    assert _errors_in(seeds_copy, path) == [
        f"{path}:{line}:{_column(path, 'high_value')} (high_value): high_value {single['high_value']}1 disagrees "
        f"with value_printed {single['value_printed']!r}, which reads {single['low_value']} "
        "(value_high_printed is empty: it stands for value_printed)"
    ]
    _set(seeds_copy, TARGETS, single["target_id"], high_value=single["high_value"], low_value="0.5")
    assert _errors_in(seeds_copy, path) == [
        f"{path}:{line}:{_column(path, 'low_value')} (low_value): low_value 0.5 disagrees "
        f"with value_printed {single['value_printed']!r}, which reads {single['low_value']}"
    ]


def test_header_only_seed(seeds_copy: Path) -> None:
    path = seeds_copy / TARGETS
    path.write_text(path.read_text(encoding="utf-8").split("\n", 1)[0] + "\n", encoding="utf-8")
    assert _errors_in(seeds_copy, path) == [f"{path}:2:1: the seed has a header but no rows"]
    _edit(
        seeds_copy,
        Path("transcription") / "_transcription__seeds.yml",
        "      primary_key: [target_id]\n",
        "      primary_key: [target_id]\n      may_be_empty: true\n",
    )
    assert _errors_in(seeds_copy, path) == []  # a seed that may legitimately be empty says so


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("1234567890123456", "16 integer digits (at most 15)"),
        ("1650.0001", "4 decimals (at most 3; the cast would round it)"),
    ],
)
def test_amount_that_does_not_fit_decimal_18_3(seeds_copy: Path, amount: str, message: str) -> None:
    printed = f"{int(float(amount)):,}".replace(",", ".")
    decimals = amount.partition(".")[2]
    path = _set(
        seeds_copy,
        AMOUNTS,
        FIRST_AMOUNT,
        source_text=f"{printed}{',' + decimals if decimals else ''} triệu",
        value_printed=printed + ("," + decimals if decimals else ""),
        value_numeric=amount,
        amount_million_vnd=amount,
    )
    errors = [e for e in _errors_in(seeds_copy, path) if "does not fit" in e]
    assert f"{path}:2:9 (amount_million_vnd): {amount} does not fit decimal(18,3): {message}" in errors


def test_negative_amount_where_the_phase_does_not_allow_one(seeds_copy: Path) -> None:
    path = _set(
        seeds_copy, AMOUNTS, FIRST_AMOUNT, value_printed="-1.650", value_numeric="-1650", amount_million_vnd="-1650"
    )
    assert _errors_in(seeds_copy, path) == [
        f"{path}:2:9 (amount_million_vnd): negative amount -1650 where phase_code 'requested' does not allow one "
        "(plan_phases.allows_negative is not true)"
    ]
    phases = seeds_copy / "reference" / "plan_phases.csv"
    _set(seeds_copy, Path("reference") / "plan_phases.csv", "requested", allows_negative="true")
    assert _errors_in(seeds_copy, path) == []  # the rule is the phase's declaration, not a constant
    assert _errors_in(seeds_copy, phases) == []


def test_the_same_printed_number_twice_under_another_id(seeds_copy: Path) -> None:
    path = seeds_copy / AMOUNTS
    rows = _rows(path)
    copy = dict(rows[0], amount_id="soctrang_2024_2025_draft:0029:2")
    _write(path, [rows[0], copy, *rows[1:]], list(rows[0]))
    errors = _errors_in(seeds_copy, path)
    assert len(errors) == 1
    assert errors[0].startswith(f"{path}:3:1 (amount_id): same document_id, source_line, source_text, ")
    assert errors[0].endswith(
        f"as line 2 (amount_id '{FIRST_AMOUNT}'): one printed number transcribed twice under another id"
    )


def test_a_row_rule_that_names_no_column_is_a_located_error(seeds_copy: Path) -> None:
    """A typo in a declaration is reported at the declaring column's header, not raised."""
    _edit(
        seeds_copy,
        Path("transcription") / "_transcription__seeds.yml",
        "parses_to: value_numeric",
        "parses_to: value_numerc",
    )
    path = seeds_copy / AMOUNTS
    assert _errors_in(seeds_copy, path) == [
        f"{path}:1:6 (value_printed): declaration in the seed's YAML: names column 'value_numerc', "
        "which the seed does not have"
    ]


def test_a_document_is_keyed_to_the_unit_of_its_date(seeds_copy: Path) -> None:
    """Vĩnh Long's 2022 plan is the legacy 86; a document of August 2025 about Vĩnh Long is 86@2025."""
    documents = Path("reference") / "documents.csv"
    path = _set(seeds_copy, documents, "vinhlong_2022_2025_qd1424", issued_date="2025-08-01")
    assert _errors_in(seeds_copy, path) == [
        f"{path}:2:4 (geography_code): '86' does not exist on 2025-08-01 (issued_date 2025-08-01): valid from "
        "the start to 2025-06-30; key the row to the unit of its date (a province whose territory changed "
        "on 1 July 2025 is '<code>@2025' from then)"
    ]
    _set(seeds_copy, documents, "vinhlong_2022_2025_qd1424", geography_code="86@2025")
    assert _errors_in(seeds_copy, path) == []
    # before 1 July 2025 the 2025 unit does not exist yet; without an issue date the period's start counts
    _set(seeds_copy, documents, "vinhlong_2022_2025_qd1424", issued_date="", period_start_year="2022")
    assert _errors_in(seeds_copy, path) == [
        f"{path}:2:4 (geography_code): '86@2025' does not exist on 2022-01-01 (period_start_year 2022, no "
        "issued_date): valid from 2025-07-01 to today; key the row to the unit of its date (a province whose "
        "territory changed on 1 July 2025 is '<code>@2025' from then)"
    ]
