"""Line-item feeds: bad input is refused with file, row and column before anything is built; a
good feed row reaches the facts with its provenance; a feed total that does not add up closes the gate."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv
import pyarrow.parquet as pq
import pytest

from conftest import NTP, ROOT, copy_project, run_dbt
from ntp_poverty.validate.feeds import batches, validate

SAMPLE = ROOT / "feeds" / "sample"
REFERENCE = ROOT / "seeds" / "reference"
HAU_GIANG_2022 = Path("province=93") / "year=2022" / "line_items.csv"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _edit(feed: Path, row: int, **cells: str) -> Path:
    """Change cells of one row (by its row_number) of Hậu Giang's 2022 file; return the file."""
    path = feed / HAU_GIANG_2022
    rows = _rows(path)
    assert rows[row - 1]["row_number"] == str(row)
    rows[row - 1].update(cells)
    _write(path, rows)
    return path


@pytest.fixture()
def feed(tmp_path: Path) -> Path:
    """A private copy of the sample feed that a test may break."""
    target = tmp_path / "feed"
    shutil.copytree(SAMPLE, target)
    return target


def _leaf_and_its_source_total(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """The first central-budget leaf of the file and the row that totals its sources."""
    rows = _rows(path)
    leaf = next(r for r in rows if r["funding_source_code"] == "central_budget" and r["is_printed_total"] == "false")
    total = next(
        r
        for r in rows
        if r["report_id"] == leaf["report_id"]
        and r["funding_source_code"] == "total"
        and all(r[c] == leaf[c] for c in ("geography_code", "component_code", "capital_type_code"))
    )
    return leaf, total


def test_the_sample_feed_follows_the_contract() -> None:
    assert validate(SAMPLE, REFERENCE) == []


def test_a_wrong_type_is_named_by_file_row_and_column(feed: Path) -> None:
    path = _edit(feed, 3, amount_million_vnd="12,5")
    _edit(feed, 5, period_month="June")
    errors = validate(feed, REFERENCE)
    assert (
        f"{path}: row 3: column amount_million_vnd: must be a decimal with at most 3 decimals and 15 integer "
        "digits, '.' as decimal point (required) (value '12,5')" in errors
    )
    assert f"{path}: row 5: column period_month: must be a month 1-12 or empty (value 'June')" in errors
    assert len(errors) == 2, errors


def test_an_unknown_code_is_named_by_file_row_and_column(feed: Path) -> None:
    path = _edit(feed, 2, component_code="DA9")
    _edit(feed, 6, geography_code="99999")
    errors = validate(feed, REFERENCE)
    assert f"{path}: row 2: column component_code: unknown component (program_components) (value 'DA9')" in errors
    assert (
        f"{path}: row 6: column geography_code: unknown geography code (seeds/reference/geographies.csv) "
        "(value '99999')" in errors
    )


def test_a_row_filed_under_another_province_or_year_is_refused(feed: Path) -> None:
    """Điện Biên's province row (11) in Hậu Giang's folder, and a 2023 row in the folder year=2022."""
    path = _edit(feed, 1, geography_code="11")
    _edit(feed, 4, fiscal_year="2023")
    errors = validate(feed, REFERENCE)
    assert (
        f"{path}: row 1: column geography_code: belongs to another province than the folder's province= "
        "(value '11')" in errors
    )
    assert f"{path}: row 4: column fiscal_year: does not match the folder's year= (value '2023')" in errors


def test_a_unit_outside_its_validity_is_refused(feed: Path) -> None:
    """A 2025 commune cannot report in 2022 (it exists from 1 July 2025)."""
    path = feed / "province=92@2025" / "year=2025" / "line_items.csv"
    rows = _rows(path)
    new_commune = next(r["geography_code"] for r in rows if r["geography_level"] == "commune")
    rows[0].update(geography_code=new_commune, geography_level="commune", period_month="6")
    _write(path, rows)
    errors = validate(feed, REFERENCE)
    assert (
        f"{path}: row 1: column geography_code: the unit does not exist in this period (valid_from/valid_to) "
        f"(value '{new_commune}')" in errors
    )


def test_a_report_after_july_2025_is_keyed_to_the_merged_province(feed: Path) -> None:
    """Cần Thơ's December 2025 report is of 92@2025 (with Hậu Giang and Sóc Trăng): the legacy 92
    ended on 30 June 2025, so a row keyed to it is refused in the 2025 province's folder."""
    path = feed / "province=92@2025" / "year=2025" / "line_items.csv"
    rows = _rows(path)
    assert (rows[0]["geography_code"], rows[0]["geography_level"], rows[0]["period_month"]) == (
        "92@2025",
        "province",
        "12",
    )
    rows[0].update(geography_code="92")
    _write(path, rows)
    errors = validate(feed, REFERENCE)
    assert (
        f"{path}: row 1: column geography_code: the unit does not exist in this period (valid_from/valid_to) "
        "(value '92')" in errors
    )


def test_a_duplicate_line_item_is_refused(feed: Path) -> None:
    path = feed / HAU_GIANG_2022
    rows = _rows(path)
    rows.append(dict(rows[4], row_number=str(len(rows) + 1)))
    _write(path, rows)
    errors = validate(feed, REFERENCE)
    first = rows[4]
    assert errors == [
        f"{path}: row {len(rows)}: duplicate line item (report, geography, year, month, component, source, capital "
        f"type, phase = {first['report_id']}, {first['geography_code']}, 2022, empty, {first['component_code']}, "
        f"{first['funding_source_code']}, {first['capital_type_code']}, allocated) of {path}: row 5"
    ]


def test_a_negative_amount_is_refused_where_the_phase_forbids_it(feed: Path) -> None:
    path = _edit(feed, 2, amount_million_vnd="-363.112")
    assert validate(feed, REFERENCE) == [
        f"{path}: row 2: column amount_million_vnd: is negative, which the phase does not allow "
        "(plan_phases.allows_negative) (value '-363.112')"
    ]


def test_row_numbers_and_layout_are_part_of_the_contract(feed: Path) -> None:
    path = _edit(feed, 7, row_number="6")
    (feed / "notes.txt").write_text("not a feed file\n", encoding="utf-8")
    errors = validate(feed, REFERENCE)
    stray = f"{feed / 'notes.txt'}: not part of the feed contract (data files are province=<code>/year=<yyyy>/"
    assert any(e.startswith(stray + "<name>.csv or .parquet; at the root only acknowledged.csv") for e in errors)
    assert any(e.startswith(f"{path}: column row_number: the ") for e in errors), errors


def test_a_missing_column_and_a_float_amount_are_refused(feed: Path) -> None:
    path = feed / HAU_GIANG_2022
    rows = [{k: v for k, v in r.items() if k != "phase_code"} for r in _rows(path)]
    _write(path, rows)
    parquet = feed / "province=11" / "year=2022" / "line_items.parquet"
    table = pa.csv.read_csv(
        feed / "province=11" / "year=2022" / "line_items.csv",
        convert_options=pa.csv.ConvertOptions(column_types={"amount_million_vnd": pa.float64()}),
    )
    (feed / "province=11" / "year=2022" / "line_items.csv").unlink()
    pq.write_table(table, parquet)
    errors = validate(feed, REFERENCE)
    assert f"{path}:1: missing column 'phase_code'" in errors
    assert f"{parquet}: column 'amount_million_vnd': type DOUBLE is not allowed (allowed: VARCHAR, DECIMAL)" in errors


def test_checking_folder_by_folder_finds_what_one_pass_finds(feed: Path) -> None:
    """Rows are checked in batches of folders (validate_feeds.batches); what crosses batches still counts:
    a report split over two folders, the rows of a rule counted over every batch, the first examples."""
    hau_giang = _edit(feed, 3, amount_million_vnd="12,5")
    son_la = feed / "province=11" / "year=2022" / "line_items.csv"
    rows = _rows(son_la)
    rows[0]["amount_million_vnd"] = "x"
    rows[1]["report_id"] = _rows(hau_giang)[0]["report_id"]  # a report now in two files
    _write(son_la, rows)
    one_pass = validate(feed, REFERENCE, limit=1)
    by_folder = validate(feed, REFERENCE, limit=1, batch_bytes=1)
    assert by_folder == one_pass
    assert [e for e in by_folder if "amount_million_vnd" in e or "more row" in e] == [
        f"{son_la}: row 1: column amount_million_vnd: must be a decimal with at most 3 decimals and 15 integer "
        "digits, '.' as decimal point (required) (value 'x')",
        "... and 1 more row(s) whose column amount_million_vnd must be a decimal with at most 3 decimals and 15 "
        "integer digits, '.' as decimal point (required)",
    ]
    assert any(e.startswith(f"{hau_giang}: column report_id: report ") and str(son_la) in e for e in by_folder)
    assert len(batches_of(feed, 1)) == 5 and len(batches_of(feed, 1 << 30)) == 1


def batches_of(feed: Path, size: int) -> list[dict[str, list[Path]]]:
    files = {"csv": sorted(feed.glob("*/*/*.csv")), "parquet": sorted(feed.glob("*/*/*.parquet"))}
    return batches(files, size)


def test_a_feed_row_reaches_fct_plan_amount_with_its_provenance(built_warehouse: Path) -> None:
    leaf, _ = _leaf_and_its_source_total(SAMPLE / HAU_GIANG_2022)
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        row = con.execute(
            "select f.document_id, f.geography_code, f.source_file, f.source_line, cast(f.amount_million_vnd as "
            "varchar), f.period_month, d.status, f.source_text, f.locator from core.fct_plan_amount as f "
            "inner join core.dim_document as d using (document_id) where f.amount_id = ?",
            [f"{leaf['report_id']}:{leaf['row_number']}"],
        ).fetchall()
    # a feed prints no text and numbers no sections: its file and row are the whole provenance
    assert row == [
        (
            leaf["report_id"],
            leaf["geography_code"],
            HAU_GIANG_2022.as_posix(),
            int(leaf["row_number"]),
            leaf["amount_million_vnd"],
            None,
            "reporting_system",
            None,
            None,
        )
    ]


@pytest.mark.exhaustive
def test_a_feed_total_that_does_not_add_up_is_found_by_the_audit(tmp_path: Path) -> None:
    """One leaf of the sample one million higher: its source total and its source's component total
    no longer add up, and the build names both (report and row). make test: the same audit finds
    exactly the synthetic feed's deliberate mismatches
    (tests/test_synthetic.py::test_the_audit_finds_exactly_the_manifests_errors)."""
    feed = Path(shutil.copytree(ROOT / "feeds" / "sample", tmp_path / "feed"))
    path = feed / HAU_GIANG_2022
    leaf, total = _leaf_and_its_source_total(path)
    rows = _rows(path)
    row = rows[int(leaf["row_number"]) - 1]
    row["amount_million_vnd"] = f"{float(row['amount_million_vnd']) + 1:.3f}"
    _write(path, rows)
    assert validate(feed, ROOT / "seeds" / "reference") == []
    result = run_dbt(["build"], tmp_path / "w.duckdb", tmp_path, NTP_FEEDS=str(feed))
    assert result.returncode != 0
    assert (
        f"UNACKNOWLEDGED ARITHMETIC MISMATCH: check funding_sources_to_total, document {leaf['report_id']}, "
        f"line {total['row_number']}: printed "
    ) in result.stdout
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        findings = con.execute(
            "select check_code, source_file, source_line, cast(difference_million_vnd as varchar) "
            "from audit.sum_check_findings where document_id = ? order by 1",
            [leaf["report_id"]],
        ).fetchall()
    assert [f[0] for f in findings] == ["components_to_total", "funding_sources_to_total"]
    assert findings[1][1:] == (HAU_GIANG_2022.as_posix(), int(total["row_number"]), "-1.000")


@pytest.mark.slow
def test_the_refresh_refuses_a_bad_feed_before_dbt(tmp_path: Path) -> None:
    """Exit 2 with file, row and column; nothing published, dbt never started."""
    project = copy_project(tmp_path)
    path = _edit(project / "feeds" / "sample", 3, amount_million_vnd="abc")
    env = dict(os.environ, DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    env.pop("NTP_FEEDS", None)
    warehouse = project / "warehouse" / "ntp_poverty.duckdb"
    result = subprocess.run(
        [str(NTP), "refresh", "--warehouse", str(warehouse)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"{path}: row 3: column amount_million_vnd: must be a decimal" in result.stderr
    record = json.loads((project / "warehouse" / "refresh_runs.jsonl").read_text(encoding="utf-8").splitlines()[-1])
    assert record["published"] is False and "preflight failed" in record["reason"]
    assert not (project / "warehouse" / "current").exists() and not warehouse.exists()
    assert not (Path(record["candidate_dir"]) / "dbt_build.log").exists()
