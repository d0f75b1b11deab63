"""The Great Expectations Data Docs a release publishes work offline: no request leaves the machine,
every page is styled, and the index's tables (filled by script) are drawn in headless Chromium with
the network disabled."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from ntp_poverty.publish.offline_docs import ASSET_DIR, OFFLINE_CSS, external_urls, make_offline, status_as_text
from ntp_poverty.validate.marts import validate as validate_marts

pytestmark = pytest.mark.slow

ARTIFACTS = Path(__file__).resolve().parent / "output"
STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]*offline\.css)">')


@pytest.fixture(scope="module")
def data_docs(built_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("data_docs") / "site"
    assert validate_marts(built_warehouse, site) == []
    assert any(external_urls(p.read_text(encoding="utf-8")) for p in site.rglob("*.html")), (
        "GX's own pages load from CDNs (what this module exists to remove)"
    )
    assert make_offline(site) > 5
    return site


def test_no_page_loads_anything_from_the_network(data_docs: Path) -> None:
    pages = sorted(data_docs.rglob("*.html"))
    assert pages
    assert {str(p.relative_to(data_docs)): external_urls(p.read_text(encoding="utf-8")) for p in pages} == {
        str(p.relative_to(data_docs)): [] for p in pages
    }


def test_every_page_is_styled_by_a_local_stylesheet(data_docs: Path) -> None:
    for page in data_docs.rglob("*.html"):
        match = STYLESHEET.search(page.read_text(encoding="utf-8"))
        assert match, page
        assert (page.parent / match.group(1)).resolve() == (data_docs / ASSET_DIR / "offline.css").resolve()


def _chromium(*args: str, user_dir: Path) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("chromium")
    assert binary, "Debian's chromium package is required (make test installs it)"
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--proxy-server=127.0.0.1:9",
        f"--user-data-dir={user_dir}",
        "--enable-logging=stderr",
        "--v=0",
        "--virtual-time-budget=5000",
    ]
    return subprocess.run([binary, *flags, *args], capture_output=True, text=True, timeout=180, check=False)


def test_index_tables_draw_offline_in_headless_chromium(data_docs: Path, tmp_path: Path) -> None:
    result = _chromium("--dump-dom", (data_docs / "index.html").as_uri(), user_dir=tmp_path / "profile")
    assert result.returncode == 0, result.stderr[-2000:]
    console = [line for line in result.stderr.splitlines() if ":CONSOLE" in line]
    assert [line for line in console if "rror" in line or "Uncaught" in line] == []
    dom = result.stdout
    assert dom.count('class="table ntp-offline-table"') >= 2
    for mart in ("funding_mix", "target_attainment", "poverty_rate_series"):
        assert f"expectations/{mart}_suite.html" in dom or f"{mart}_suite" in dom, mart
    # the index's status column says each validation passed, in text, not in an icon font
    assert dom.count('title="passed"') >= 10 and "\u2713" in dom and 'title="failed"' not in dom


def test_every_expectation_of_a_validation_page_shows_its_verdict(data_docs: Path, tmp_path: Path) -> None:
    page = next(data_docs.glob("validations/**/*.html"))
    dom = _chromium("--dump-dom", page.as_uri(), user_dir=tmp_path / "profile").stdout
    # no status icon is left empty (an icon font the offline page cannot load would show nothing)
    assert re.findall(r'<i class="[^"]*fa-check-circle[^"]*"[^>]*></i>', dom) == []
    assert dom.count("\u2713") >= 10


def test_a_failed_verdict_is_displayed_in_the_browser(tmp_path: Path) -> None:
    """GX's icons for a passed and a failed expectation become visible text: computed in Chromium,
    with the offline stylesheet, neither is hidden with the icon fonts."""
    icons = (
        '<i class="fas fa-check-circle text-success" aria-hidden="true"></i>'
        '<i class="fas fa-times text-danger" aria-hidden="true"></i>'
    )
    (tmp_path / "offline.css").write_text(OFFLINE_CSS, encoding="utf-8")
    (tmp_path / "page.html").write_text(
        '<html><head><link rel="stylesheet" href="offline.css"></head><body>'
        + status_as_text(icons)
        + "<script>document.body.setAttribute('data-shown', Array.from(document.querySelectorAll('i'))"
        + ".map(function (e) { return getComputedStyle(e).display + ':' + e.textContent; }).join(','));</script>"
        + "</body></html>",
        encoding="utf-8",
    )
    dom = _chromium("--dump-dom", (tmp_path / "page.html").as_uri(), user_dir=tmp_path / "profile").stdout
    assert 'data-shown="inline:\u2713,inline:\u2717"' in dom


def test_screenshot_of_the_offline_data_docs(data_docs: Path, tmp_path: Path) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "data_docs.png"
    shot.unlink(missing_ok=True)
    result = _chromium(
        f"--screenshot={shot}",
        "--window-size=1280,1400",
        (data_docs / "index.html").as_uri(),
        user_dir=tmp_path / "profile",
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert shot.stat().st_size > 20_000
