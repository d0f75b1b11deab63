"""The completeness ledger: every numeral printed in documents/ is transcribed or classified.

Broken inputs are always private copies (``seeds_copy``, a copied documents folder): the real
documents/ and seeds/ are never modified.
"""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import DOCUMENTS, SEEDS
from ntp_poverty.cli import main as ntp
from ntp_poverty.ledger.numerals import find_unaccounted, summarize
from ntp_poverty.ledger.rules import RULES, rule_for
from ntp_poverty.ledger.summary import write_summary
from ntp_poverty.ledger.tokens import CATEGORIES, line_tokens
from ntp_poverty.validate.seeds import validate as validate_seeds

DOCUMENT_FILES = sorted(p.name for p in DOCUMENTS.glob("*.txt"))
CLASSIFICATIONS = Path("reference") / "numeral_classifications.csv"


@pytest.fixture()
def documents_copy(tmp_path: Path) -> Path:
    """A private copy of documents/ that a test may change."""
    target = tmp_path / "documents"
    shutil.copytree(DOCUMENTS, target)
    return target


def _texts(text: str) -> list[str]:
    return [t.text for t in line_tokens("x.txt", 1, text)]


def _remove_seed_row(seed: Path, predicate: Callable[[dict[str, str]], bool]) -> dict[str, str]:
    """Drop the first row of ``seed`` matching ``predicate``; return it."""
    with seed.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    removed = next(r for r in rows if predicate(r))
    rows.remove(removed)
    with seed.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return removed


def _append_classification(seeds: Path, **values: str) -> None:
    path = seeds / CLASSIFICATIONS
    with path.open(encoding="utf-8", newline="") as handle:
        fields = csv.DictReader(handle).fieldnames
    with path.open("a", encoding="utf-8", newline="") as handle:
        csv.DictWriter(handle, fieldnames=fields, lineterminator="\n").writerow(values)


# --- the tokeniser -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ngày 14/7/2022 của UBND", ["14", "7", "2022"]),
        ("Quyết định số 1424/QĐ-UBND", ["1424"]),
        ("Nghị định số 07/2021/NĐ-CP", ["07", "2021"]),
        ("năm 2023: **344.961** triệu đồng", ["2023", "344.961"]),
        ("chiếm 8,92%; tổng 15.555,25 triệu", ["8,92", "15.555,25"]),
        ("ban hành các Nghị quyết¹, Kế hoạch²", ["¹", "²"]),
        ("Nghị quyết số 24/2021/QH15", ["24", "2021", "15"]),
        ("Lưu: VT, 3.21.02.", ["3.21.02"]),
        ("Điện Thoại: 02993.822333", ["02993.822333"]),
        ("giai đoạn 2021 - 2025; từ 1,5% - 2%", ["2021", "2025", "1,5", "2"]),
        ("\t-", ["-"]),
        ("- Ngân sách trung ương: 1.500 triệu đồng.", ["1.500"]),
    ],
)
def test_tokens(text: str, expected: list[str]) -> None:
    assert _texts(text) == expected


def test_tokens_have_1_based_columns_and_occurrences() -> None:
    tokens = line_tokens("x.txt", 7, "Nguồn: 2.756 triệu đồng; NSTW: 2.756 triệu đồng")
    assert [(t.column, t.text, t.occurrence) for t in tokens] == [(8, "2.756", 1), (32, "2.756", 2)]
    assert tokens[1].where(Path("documents")) == "documents/x.txt:7:32"


# --- the rules -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "token", "rule"),
    [
        ("Căn cứ Quyết định số 1424/QĐ-UBND ngày 14/7/2022", "1424", "document_number"),
        ("Căn cứ Quyết định số 1424/QĐ-UBND ngày 14/7/2022", "2022", "date_dmy"),
        ("Ngày 28/02/2023, UBND tỉnh", "28", "date_dmy"),
        ("báo cáo ngày 9/11 của Sở Tài chính", "9", "date_day_month"),
        ("báo cáo ngày 9/11 của Sở Tài chính", "11", "date_day_month"),
        ("giải ngân từ ngày 01/7, đạt", "7", "date_day_month"),
        ("số liệu đến 2025-06-30 (cập nhật)", "2025", "date_iso"),
        ("số liệu đến 2025-06-30 (cập nhật)", "06", "date_iso"),
        ("số liệu đến 2025-06-30 (cập nhật)", "30", "date_iso"),
        ("đến hết tháng 12/2023 đạt 100%", "12", "date_month_year"),
        ("ngày 14 tháng 7 năm 2022 của", "7", "date_words"),
        ("kết quả rà soát năm 2024.", "2024", "date_words"),
        ("giai đoạn 2021 - 2025, UBND", "2025", "year_range"),
        ("1. Mục tiêu tổng quát", "1", "list_number"),
        ("(12) 95% người dân", "12", "inline_enumeration"),
        ("Dự án 4. Phát triển", "4", "project_number"),
        ("quy định tại khoản 5 Điều 21", "21", "legal_reference"),
        ("trẻ từ 5 đến dưới 16 tuổi", "16", "age"),
        ("trong vòng 03 năm", "03", "duration"),
        ("không quá 02 tỷ đồng/dự án", "02", "per_unit_norm"),
        ("Nghị quyết¹, Kế hoạch²", "²", "footnote_marker"),
    ],
)
def test_rules_classify_families(line: str, token: str, rule: str) -> None:
    found = next(t for t in line_tokens("x.txt", 1, line) if t.text == token)
    assert (matched := rule_for([line], found)) is not None, line
    assert matched.name == rule
    assert matched.category in CATEGORIES


@pytest.mark.parametrize(
    "line",
    [
        "Tổng nhu cầu vốn thực hiện là 1.650 triệu đồng",
        "giảm tỷ lệ hộ nghèo từ 1,5% - 2% so với năm 2023",
        "tổng số hộ nghèo là 17.497 hộ, chiếm 8,92%",
        "đã có 05/11 huyện mở được 32 lớp",
        "mã số 2025-13-40 của hộ",
        "thực hiện 42 dự án (công trình), 22 dự án giao thông",
        "kinh phí dự án 500 triệu đồng",
        "bố trí khoản 300 triệu đồng",
        "huy động 300 ngày công",
        "hỗ trợ 50/hộ",
        "kinh phí 250 triệu đồng/năm",
        "\t75",
    ],
)
def test_rules_leave_programme_numbers_alone(line: str) -> None:
    programme = [t for t in line_tokens("x.txt", 1, line) if t.text not in {"2023"}]
    assert [t.text for t in programme if rule_for([line], t) is not None] == []


def test_table_stt_needs_a_label_on_the_next_line() -> None:
    lines = ["\t2", "\tDự án 2: Đa dạng hóa sinh kế", "\t29.920", "\t0", "\t-", "\t62.500"]
    tokens = [t for no, text in enumerate(lines, start=1) for t in line_tokens("x.txt", no, text)]
    covered = {t.text: rule_for(lines, t) is not None for t in tokens}
    assert covered == {"2": True, "29.920": False, "0": False, "-": False, "62.500": False}


def test_every_rule_has_a_known_category() -> None:
    assert {r.category for r in RULES} <= set(CATEGORIES)


# --- the real documents and seeds ----------------------------------------------------------------


@pytest.mark.parametrize("document", DOCUMENT_FILES)
def test_every_printed_numeral_is_accounted_for(document: str) -> None:
    summary = next(s for s in summarize(DOCUMENTS, SEEDS) if s.document == document)
    assert summary.tokens > 0
    assert summary.unaccounted_tokens == [], "\n".join(summary.unaccounted_tokens)


def test_no_stale_or_double_accounted_classifications_and_no_unmatched_rows() -> None:
    problems = [p for p in find_unaccounted(DOCUMENTS, SEEDS) if "is not transcribed and not classified" not in p]
    assert problems == []


def test_the_classifications_seed_is_declared_and_valid() -> None:
    errors = [e for e in validate_seeds(SEEDS) if "numeral_classifications" in str(e)]
    assert errors == []


def test_summary_counts_add_up(tmp_path: Path) -> None:
    summary = summarize(DOCUMENTS, SEEDS)
    assert [s.document for s in summary] == DOCUMENT_FILES
    for s in summary:
        assert s.tokens == s.transcribed + sum(s.classified.values()) + s.unaccounted, s.document
        assert sum(s.classified.values()) == s.classified_by_rule + s.classified_explicitly
        assert set(s.classified) == set(CATEGORIES)
        assert s.unaccounted == len(s.unaccounted_tokens)
    write_summary(summary, tmp_path)
    data = json.loads((tmp_path / "ledger.json").read_text(encoding="utf-8"))
    assert data["total"]["tokens"] == sum(s.tokens for s in summary)
    assert data["total"]["tokens"] == (
        data["total"]["transcribed"] + data["total"]["classified"] + data["total"]["unaccounted"]
    )
    assert "| total |" in (tmp_path / "ledger.md").read_text(encoding="utf-8")
    assert "<table>" in (tmp_path / "ledger.html").read_text(encoding="utf-8")


# --- a test must be able to fail -----------------------------------------------------------------


def test_removing_a_transcribed_row_is_reported(seeds_copy: Path) -> None:
    removed = _remove_seed_row(
        seeds_copy / "transcription" / "plan_amounts.csv",
        lambda r: r["source_file"].startswith("003_") and r["source_line"] == "289",
    )
    problems = find_unaccounted(DOCUMENTS, seeds_copy)
    where = f"{DOCUMENTS / removed['source_file']}:289:"
    assert [p for p in problems if p.startswith(where)] == [
        f"{where}2: token {removed['value_printed']!r} is not transcribed and not classified"
    ]


def test_two_equal_numbers_on_one_line_are_told_apart(seeds_copy: Path) -> None:
    # 001 line 165 prints 2.756 twice (the project's total and its central-budget part).
    seed = seeds_copy / "transcription" / "plan_amounts.csv"
    rows = [
        r
        for r in csv.DictReader(seed.open(encoding="utf-8"))
        if r["source_file"].startswith("001_") and r["source_line"] == "165"
    ]
    assert [r["value_printed"] for r in rows] == ["2.756", "2.756"]
    second = max(
        rows,
        key=lambda r: (
            (DOCUMENTS / r["source_file"]).read_text(encoding="utf-8").split("\n")[164].find(r["source_text"])
        ),
    )
    _remove_seed_row(seed, lambda r: r == second)
    missing = [p for p in find_unaccounted(DOCUMENTS, seeds_copy) if "001_" in p and ":165:" in p]
    line = (DOCUMENTS / second["source_file"]).read_text(encoding="utf-8").split("\n")[164]
    assert missing == [
        f"{DOCUMENTS / second['source_file']}:165:{line.rfind('2.756') + 1}: "
        "token '2.756' is not transcribed and not classified"
    ]


def test_a_new_number_in_a_document_is_reported(documents_copy: Path) -> None:
    path = documents_copy / DOCUMENT_FILES[1]
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\nKinh phí bổ sung: 4.321 triệu đồng.", encoding="utf-8")
    line_no = len(text.split("\n")) + 1
    problems = find_unaccounted(documents_copy, SEEDS)
    assert f"{path}:{line_no}:19: token '4.321' is not transcribed and not classified" in problems


def test_a_stale_classification_is_reported(seeds_copy: Path) -> None:
    _append_classification(
        seeds_copy,
        source_file=DOCUMENT_FILES[1],
        document_id="songma_2024_plan",
        source_line="87",
        token="9",
        occurrence="1",
        source_text="9",
        category="other",
        reason="a token that is not printed on this line",
    )
    problems = find_unaccounted(DOCUMENTS, seeds_copy)
    stale = [p for p in problems if "stale classification" in p]
    assert len(stale) == 1
    assert f"{DOCUMENTS / DOCUMENT_FILES[1]}:87: token '9' (occurrence 1)" in stale[0]
    assert stale[0].startswith(f"{seeds_copy / CLASSIFICATIONS}:")


def test_a_classification_of_a_transcribed_number_is_double_accounted(seeds_copy: Path) -> None:
    # 000 line 29 prints the Dự án 1 total 1.650, transcribed in plan_amounts.
    _append_classification(
        seeds_copy,
        source_file=DOCUMENT_FILES[0],
        document_id="soctrang_2024_2025_draft",
        source_line="29",
        token="1.650",
        occurrence="1",
        source_text="1.650 triệu đồng",
        category="other",
        reason="wrongly classified budget amount",
    )
    problems = find_unaccounted(DOCUMENTS, seeds_copy)
    assert any("token '1.650'" in p and "double-accounted" in p and ":29:" in p for p in problems), problems


def test_any_seed_with_provenance_is_a_transcription(seeds_copy: Path) -> None:
    # A seed is found through its YAML's meta.provenance (as plan_results is): move one printed
    # amount from plan_amounts into a new seed and it is still accounted for.
    removed = _remove_seed_row(
        seeds_copy / "transcription" / "plan_amounts.csv",
        lambda r: r["source_file"].startswith("003_") and r["source_line"] == "289",
    )
    assert len(find_unaccounted(DOCUMENTS, seeds_copy)) == len(find_unaccounted(DOCUMENTS, SEEDS)) + 1
    (seeds_copy / "transcription" / "_ledger_probe.yml").write_text(
        "version: 2\nseeds:\n  - name: ledger_probe\n    meta:\n"
        "      provenance: {file: source_file, line: source_line, text: source_text, value: value_printed}\n",
        encoding="utf-8",
    )
    with (seeds_copy / "transcription" / "ledger_probe.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["source_file", "source_line", "source_text", "value_printed"])
        writer.writerow([removed[c] for c in ("source_file", "source_line", "source_text", "value_printed")])
    assert find_unaccounted(DOCUMENTS, seeds_copy) == find_unaccounted(DOCUMENTS, SEEDS)


def test_command_line_lists_what_is_left_on_a_new_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "005_new.txt").write_text(
        "Căn cứ Quyết định số 90/QĐ-TTg ngày 18/01/2022\n1. Dự án 2: kinh phí 3.450 triệu đồng", encoding="utf-8"
    )
    code = ntp(
        [
            "ledger",
            "--documents",
            str(documents),
            "--seeds",
            str(SEEDS),
            "--summary",
            str(tmp_path / "out"),
            "--todo",
            str(tmp_path / "todo.csv"),
        ]
    )
    out = capsys.readouterr()
    assert code == 1
    assert "stale" not in out.err  # seed rows of documents outside --documents are out of scope
    assert f"{documents / '005_new.txt'}:2:22: token '3.450' is not transcribed and not classified" in out.err
    assert "005_new.txt: 7 tokens = 0 transcribed + 6 classified" in out.out
    todo = list(csv.DictReader((tmp_path / "todo.csv").open(encoding="utf-8")))
    assert [(r["source_line"], r["token"], r["occurrence"], r["column"]) for r in todo] == [("2", "3.450", "1", "22")]
    assert (tmp_path / "out" / "ledger.html").exists()
