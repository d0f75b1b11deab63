"""The visual report renders in headless Chromium: every chart drew, no console errors, offline."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from ntp_poverty.cli import main as ntp
from ntp_poverty.report.html import (
    CHART_GEOGRAPHIES,
    TEMPLATES,
    Marts,
    chart_scope,
    funding_map,
    printed_text,
    read_marts,
    scope_note,
    vnd,
)
from ntp_poverty.report.unit_map import MEASURES

pytestmark = pytest.mark.slow

CHARTS = ["funding-mix", "funding-map", "cross-province", "yoy-change"]
ARTIFACTS = Path(__file__).resolve().parent / "output"


def test_numbers_are_formatted_the_vietnamese_way_with_english_alongside() -> None:
    assert vnd(1234.5) == "1.234,5 triệu đồng (1,234.5 million VND)"
    assert vnd(862362, 0) == "862.362 triệu đồng (862,362 million VND)"
    assert vnd(None) == "—"


def test_a_findings_printed_text_is_quoted_and_a_feed_rows_says_it_is_one() -> None:
    assert printed_text("1.650 <tỷ>") == "<q>1.650 &lt;tỷ&gt;</q>"
    assert "feed row" in printed_text(None) and "<q>" not in printed_text(None)
    assert "feed row" in printed_text(pd.NA)


@pytest.fixture(scope="module")
def report(built_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("report") / "index.html"
    assert ntp(["report", str(built_warehouse), str(output)]) == 0
    return output


def _chromium(*args: str, user_dir: Path) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("chromium")
    assert binary, "Debian's chromium package is required (make test installs it)"
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={user_dir}",
        "--enable-logging=stderr",
        "--v=0",
        "--virtual-time-budget=8000",
    ]
    return subprocess.run([binary, *flags, *args], capture_output=True, text=True, timeout=180, check=False)


def test_report_is_self_contained(report: Path) -> None:
    text = report.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=\"https?://", text), "the report must not load scripts from the network"
    assert "Cơ cấu nguồn vốn" in text and "Kiểm tra số liệu" in text  # Vietnamese with diacritics
    assert "triệu đồng (" in text and "million VND)" in text


def test_every_chart_draws_in_headless_chromium(report: Path, tmp_path: Path) -> None:
    result = _chromium("--dump-dom", report.as_uri(), user_dir=tmp_path / "profile")
    assert result.returncode == 0, result.stderr[-2000:]
    console = [line for line in result.stderr.splitlines() if ":CONSOLE" in line]
    assert [line for line in console if "rror" in line or "Uncaught" in line] == []
    dom = result.stdout
    target_charts = re.findall(r'id="(targets-[a-z-]+)"', dom)
    assert len(set(target_charts)) >= 8, target_charts  # one per indicator family and unit
    for chart in [*CHARTS, *sorted(set(target_charts))]:
        start = dom.index(f'id="{chart}"')
        section = dom[start : start + 200_000]
        assert 'class="main-svg"' in section, chart
        assert 'class="point"' in section, f"{chart}: no bars or points drawn"
    # the map: the country drawn by its ~10,000 communes, every province labelled
    start = dom.index('id="funding-map"')
    section = dom[start : dom.index('id="cross-province"')]
    assert section.count('class="point"') >= 10_000
    labels = re.findall(r'class="textpoint"[^>]*>\s*<text[^>]*>([^<]+)</text>', section)
    assert len(labels) == 63 and {"Lạng Sơn", "Sóc Trăng", "Hà Nội", "Cà Mau"} <= set(labels)
    assert dom.count('class="conflict"') == 9  # Sóc Trăng 2024: draft vs issued plan (full table)
    assert "⚠ " in dom  # conflicts marked in the target charts too
    assert 'id="findings"' in dom and "dòng / line 159" in dom


def test_screenshot_for_review(report: Path, tmp_path: Path) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report.png"
    shot.unlink(missing_ok=True)
    result = _chromium(
        f"--screenshot={shot}", "--window-size=1280,3600", report.as_uri(), user_dir=tmp_path / "profile"
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert shot.stat().st_size > 50_000


def _geographies(path: Path, communes: int) -> Path:
    """A warehouse whose funding_mix has 3 provinces and ``communes`` communes."""
    rows = [(f"p{i}", "province") for i in range(3)] + [(f"c{i}", "commune") for i in range(communes)]
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts; create schema core")
        con.execute("create table core.dim_geography (geography_code varchar, admin_level varchar)")
        con.executemany("insert into core.dim_geography values (?, ?)", rows)
        con.execute("create table marts.funding_mix as select * from core.dim_geography")
    return path


def test_charts_by_geography_draw_every_geography_up_to_the_limit(tmp_path: Path) -> None:
    with duckdb.connect(str(_geographies(tmp_path / "w.duckdb", CHART_GEOGRAPHIES - 3))) as con:
        assert chart_scope(con) == ("true", 0)


def test_charts_by_geography_draw_provinces_only_at_national_scale(tmp_path: Path) -> None:
    with duckdb.connect(str(_geographies(tmp_path / "w.duckdb", CHART_GEOGRAPHIES - 2))) as con:
        scope, left_out = chart_scope(con)
        drawn = con.execute(f"select geography_code from marts.funding_mix where {scope} order by 1").fetchall()
    assert left_out == CHART_GEOGRAPHIES - 2 and drawn == [("p0",), ("p1",), ("p2",)]
    empty = pd.DataFrame()
    note = scope_note(Marts(empty, empty, empty, empty, empty, empty, empty, "run", geographies_left_out=left_out))
    assert f"{left_out} địa bàn" in note and f"{left_out} other geographies" in note


def test_the_report_counts_every_amount_per_reason(report: Path) -> None:
    """Section 6: the accounting's reasons with their descriptions and counts, none unaccounted."""
    text = report.read_text(encoding="utf-8")
    table = text[text.index('<table id="accounting">') :]
    table = table[: table.index("</table>")]
    for reason in ("annual_leaf", "to_date_leaf", "multi_year_leaf", "checked_total"):
        assert f"<code>{reason}</code>" in table
    assert "unaccounted" not in table
    assert "giải ngân 6 tháng đầu năm" in table  # the to-date reason's description, from the seed


def test_the_map_colours_each_commune_by_its_provinces_chosen_measure(built_warehouse: Path) -> None:
    """The menu restyles the coloured communes: each takes its province's total funding, central or
    local share of the latest plan year; communes of provinces without a plan stay grey."""
    marts = read_marts(built_warehouse)
    fig = funding_map(marts)
    grey, coloured, names = fig.data
    assert len(grey.x) == len(marts.units) >= 10_000 and len(names.text) == 63
    planned = marts.province_funding.dropna(subset=["total_funding"]).set_index("geography_code")
    in_planned = marts.units.province_code.isin(planned.index)
    assert len(coloured.x) == int(in_planned.sum()) > 0
    (menu,) = fig.layout.updatemenus
    assert [b.label for b in menu.buttons] == [m.label for m in MEASURES]
    provinces = marts.units[in_planned].province_code.tolist()
    for button, measure in zip(menu.buttons, MEASURES):
        style, traces = button.args
        assert list(traces) == [1]
        (colours,) = style["marker.color"]
        assert colours == [float(planned[measure.column][p]) for p in provinces]
    lang_son = planned.index[planned.name_vi == "Lạng Sơn"][0]
    assert float(planned.total_funding[lang_son]) == 265551  # 2024 request (doc 001)


def test_the_page_is_rendered_from_its_template(report: Path) -> None:
    text = report.read_text(encoding="utf-8")
    assert TEMPLATES.get_template("report.html").filename.endswith("templates/report.html")
    for table in ("targets", "findings", "accounting"):
        assert f'<table id="{table}">' in text
    outside_scripts = re.sub(r"<script.*?</script>", "", text, flags=re.S)  # Plotly's own code has braces
    assert "{{" not in outside_scripts and "{%" not in outside_scripts
