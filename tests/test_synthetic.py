"""The synthetic national feed: deterministic, valid, shaped like the country, and its deliberate
errors are exactly what the audit finds."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT, run_dbt
from ntp_poverty.cli import main as ntp
from ntp_poverty.synthetic import feed as synthetic
from ntp_poverty.synthetic.units import load_geography
from ntp_poverty.validate.feeds import validate

REFERENCE = ROOT / "seeds" / "reference"


def _generate(out: Path, *args: str) -> dict:
    assert ntp(["synthetic", "--out", str(out), *args]) == 0
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "manifest.json"
    }


def _without_run_details(manifest: dict) -> dict:
    return manifest | {"arguments": {k: v for k, v in manifest["arguments"].items() if k != "out"}}


def _line_items(feed: Path) -> duckdb.DuckDBPyRelation:
    con = duckdb.connect()
    return con.sql(
        f"select * from read_parquet('{feed}/province=*/year=*/*.parquet', hive_partitioning = true, "
        "hive_types_autocast = false, filename = true)"
    )


@pytest.fixture(scope="module")
def small_feed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("synthetic") / "feed"
    return out, _generate(out, "--rows", "6000", "--seed", "42", "--errors", "3")


def test_the_same_seed_writes_the_same_feed(small_feed: tuple[Path, dict], tmp_path: Path) -> None:
    feed, manifest = small_feed
    again = _generate(tmp_path / "again", "--rows", "6000", "--seed", "42", "--errors", "3")
    assert _files(tmp_path / "again") == _files(feed)
    assert _without_run_details(again) == _without_run_details(manifest)
    other = _generate(tmp_path / "other", "--rows", "6000", "--seed", "43", "--errors", "3")
    assert _files(tmp_path / "other") != _files(feed) and other["errors"] != manifest["errors"]


def test_the_committed_sample_is_the_generators_output(tmp_path: Path) -> None:
    committed = json.loads((ROOT / "feeds" / "sample" / "manifest.json").read_text(encoding="utf-8"))
    argv = []
    for name, committed_value in committed["arguments"].items():
        flag = "--" + name.replace("_", "-")
        value = str(tmp_path / "sample") if name == "out" else committed_value
        if value is True:
            argv.append(flag)
        elif value is not None and value is not False:
            argv += [flag, str(value)]
    fresh = _generate(tmp_path / "sample", *argv)
    assert _files(tmp_path / "sample") == _files(ROOT / "feeds" / "sample"), (
        "feeds/sample is stale: regenerate it with the command in feeds/README.md"
    )
    assert _without_run_details(fresh) == _without_run_details(committed)


def test_a_synthetic_feed_follows_the_contract_and_its_manifest(small_feed: tuple[Path, dict]) -> None:
    feed, manifest = small_feed
    assert validate(feed, REFERENCE) == []
    items = _line_items(feed)
    [(rows, leaves, reports)] = items.aggregate(
        "count(*), count(*) filter (where not is_printed_total), count(distinct report_id)"
    ).fetchall()
    assert (rows, leaves, reports) == (
        manifest["counts"]["rows"],
        manifest["counts"]["leaf_rows"],
        manifest["counts"]["reports"],
    )
    with (feed / "acknowledged.csv").open(encoding="utf-8", newline="") as handle:
        acknowledged = {(r["document_id"], int(r["source_line"]), r["check_code"]) for r in csv.DictReader(handle)}
    findings = {
        (f["document_id"], f["source_line"], f["check_code"]) for e in manifest["errors"] for f in e["findings"]
    }
    assert acknowledged == findings and len(findings) == 2 * len(manifest["errors"]) == 6
    for error in manifest["errors"]:
        [(printed,)] = (
            items.filter(f"filename like '%{error['file']}' and row_number = {error['row_number']}")
            .aggregate("any_value(cast(amount_million_vnd as varchar))")
            .fetchall()
        )
        assert printed == error["printed_million_vnd"] != error["correct_million_vnd"]


def test_the_size_follows_rows() -> None:
    geography = load_geography(REFERENCE, 42)
    q, g, natural = synthetic.size(geography, synthetic.YEARS, None, 1_000_000, True)
    assert g == 1.0 and q == pytest.approx(1_000_000 / natural)
    assert natural > 5_000_000  # the whole country at its natural density
    q, g, _ = synthetic.size(geography, synthetic.YEARS, None, 50_000_000, True)
    assert q == 1.0 and g > 1.0


def test_from_july_2025_rows_are_keyed_to_the_2025_units(tmp_path: Path) -> None:
    """Hậu Giang (93) reports its legacy communes until June 2025; from July its area is Cần Thơ's (92),
    whose reports name 2025 communes only."""
    feed = tmp_path / "feed"
    _generate(
        feed,
        "--density",
        "1",
        "--provinces",
        "93",
        "--years",
        "2025",
        "--months",
        "6,7",
        "--max-units-per-level",
        "3",
        "--errors",
        "0",
    )
    assert validate(feed, REFERENCE) == []
    rows = (
        _line_items(feed)
        .aggregate(
            "province, period_month, list(distinct geography_level order by geography_level), "
            "bool_and(geography_level != 'commune' or geography_code like '%@2025') as keyed_to_2025",
            "province, period_month",
        )
        .order("all")
        .fetchall()
    )
    assert rows == [
        ("92@2025", 7, ["commune", "province"], True),
        ("93", 6, ["commune", "district", "province"], False),
        ("93", None, ["commune", "district", "province"], False),
    ]


def test_poor_districts_get_more(small_feed: tuple[Path, dict]) -> None:
    """The heavy-tailed weights: a commune of a poor district gets more per report than another."""
    feed, _ = small_feed
    geography = load_geography(REFERENCE, 42)
    poor = [u.code for u in geography.units.values() if u.level == "commune" and u.poor]
    con = duckdb.connect()
    con.execute("create table poor as select unnest(?::varchar[]) as geography_code", [poor])
    by_class = dict(
        con.sql(f"""
        select geography_code in (select geography_code from poor), avg(total)
        from (select report_id, geography_code, sum(amount_million_vnd) as total
              from read_parquet('{feed}/province=*/year=*/*.parquet')
              where not is_printed_total and geography_level = 'commune' and period_month is not null
              group by all)
        group by 1""").fetchall()
    )
    assert by_class[True] > 2 * by_class[False]


@pytest.mark.slow
def test_the_audit_finds_exactly_the_manifests_errors(
    small_feed: tuple[Path, dict], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Built with the feed's acknowledgments the gate passes; the findings on feed reports are
    exactly the manifest's, acknowledged, every one an arithmetic mismatch; no other comparison fails."""
    feed, manifest = small_feed
    monkeypatch.setenv("NTP_FEEDS", str(feed))
    result = run_dbt(["build"], tmp_path / "w.duckdb", tmp_path)
    assert result.returncode == 0, result.stdout[-4000:]
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        found = con.execute(
            "select document_id, source_line, check_code, classification, is_acknowledged "
            "from audit.sum_check_findings where document_id in "
            "(select document_id from core.dim_document where status = 'reporting_system')"
        ).fetchall()
        (leaves,) = con.execute(
            "select count(*) from core.fct_plan_amount where document_id in "
            "(select document_id from core.dim_document where status = 'reporting_system')"
        ).fetchone()
    expected = {
        (f["document_id"], f["source_line"], f["check_code"]) for e in manifest["errors"] for f in e["findings"]
    }
    assert {(d, line, check) for d, line, check, _, _ in found} == expected
    assert len(found) == len(expected)
    assert {(c, a) for *_, c, a in found} == {("arithmetic_mismatch", True)}
    assert leaves == manifest["counts"]["leaf_rows"]
