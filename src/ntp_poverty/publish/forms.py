"""What goes into a release folder, each form carrying the run id that built it.

A reader holding any published form can tell which build it came from, and the tests check that
every form of the current release names the same run:

* the DuckDB file: ``audit.warehouse_build.run_id`` (written by dbt);
* the Parquet export of every mart: key ``run_id`` in each file's key-value metadata; the large facts
  also as Parquet datasets partitioned ``province=<code>/year=<yyyy>/`` in ``parquet/facts/<table>/``
  (:mod:`ntp_poverty.publish.facts`; after an incremental build the unchanged partitions are carried
  over from the previous release), each file with the same key;
* the Excel workbook ``excel/ntp_poverty.xlsx`` (:mod:`ntp_poverty.publish.excel`): its README sheet;
* the data package ``datapackage/`` (:mod:`ntp_poverty.publish.datapackage`): ``ntp:run_id``;
* the docs site and the completeness ledger: a ``<meta name="ntp-run-id">`` and a banner;
* the report: its header (rendered from the candidate's ``audit.warehouse_build``);
* the Great Expectations Data Docs: made offline (:mod:`ntp_poverty.publish.offline_docs`), then stamped.
"""

from __future__ import annotations

import html
import os
import re
import shutil
from pathlib import Path

from ntp_poverty.common.duckdb_connection import connect
from ntp_poverty.project import project_dir
from ntp_poverty.publish.datapackage import write_datapackage
from ntp_poverty.publish.excel import write_workbook
from ntp_poverty.publish.facts import Reuse, export_partitioned_facts
from ntp_poverty.publish.offline_docs import make_offline
from ntp_poverty.refresh import faults

RUN_ID_META = "ntp-run-id"


def export_parquet(database: Path, target: Path, run_id: str, marts: list[str]) -> None:
    """Write every mart as ``target/<mart>.parquet`` with ``run_id`` in the key-value metadata."""
    target.mkdir(parents=True)
    quoted = run_id.replace("'", "''")
    with connect(database) as con:
        for mart in marts:
            path = str(target / f"{mart}.parquet").replace("'", "''")
            con.execute(f"copy marts.{mart} to '{path}' (format parquet, kv_metadata {{run_id: '{quoted}'}})")


def stamp_html(text: str, run_id: str, label: str) -> str:
    """Add the run id to an HTML page: a meta element in the head and a small banner atop the body."""
    escaped = html.escape(run_id)
    meta = f'<meta name="{RUN_ID_META}" content="{escaped}">'
    banner = (
        f'<div class="ntp-run-banner" style="font:12px sans-serif;padding:2px 8px;background:#eef;'
        f'color:#223">{html.escape(label)}: lần làm mới / refresh <code>{escaped}</code></div>'
    )
    text = re.sub(r"<head([^>]*)>", lambda m: f"<head{m.group(1)}>{meta}", text, count=1)
    return re.sub(r"<body([^>]*)>", lambda m: f"<body{m.group(1)}>{banner}", text, count=1)


def stamped_run_id(text: str) -> str | None:
    """The run id a page was stamped with, if any."""
    match = re.search(rf'<meta name="{RUN_ID_META}" content="([^"]+)">', text)
    return html.unescape(match.group(1)) if match else None


def _copy_stamped(source: Path, target: Path, run_id: str, label: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(stamp_html(source.read_text(encoding="utf-8"), run_id, label), encoding="utf-8")


def assemble(
    release: Path,
    database_name: str,
    candidate: Path,
    run_id: str,
    marts: list[str],
    pages: dict[str, Path],
    reuse: Reuse | None = None,
) -> None:
    """Move the candidate into ``release`` and write every other form beside it.

    ``pages`` names the run's other outputs: ``docs`` (the static docs site), ``ledger`` (folder of
    ledger.html/.md/.json), ``report`` (the report page), ``data_docs`` (the GX site folder).
    ``reuse``: after an incremental build, the previous release's facts and the rebuilt partitions.
    """
    release.mkdir(parents=True)
    database = release / database_name
    os.replace(candidate, database)
    export_parquet(database, release / "parquet", run_id, marts)
    export_partitioned_facts(database, release / "parquet" / "facts", run_id, reuse)
    write_workbook(database, release / "excel", run_id, project_dir())
    write_datapackage(database, release / "datapackage", run_id, project_dir())
    faults.point("after_export")
    _copy_stamped(pages["docs"], release / "docs" / "index.html", run_id, "Tài liệu dữ liệu / Docs")
    for name in ("ledger.md", "ledger.json"):
        shutil.copyfile(pages["ledger"] / name, release / "docs" / name)
    _copy_stamped(
        pages["ledger"] / "ledger.html",
        release / "docs" / "ledger.html",
        run_id,
        "Sổ kiểm đếm số liệu / Completeness ledger",
    )
    _copy_stamped(pages["report"], release / "report" / "index.html", run_id, "Báo cáo / Report")
    data_docs = release / "data_docs"
    shutil.copytree(pages["data_docs"], data_docs)
    make_offline(data_docs)
    for page in data_docs.rglob("*.html"):
        page.write_text(stamp_html(page.read_text(encoding="utf-8"), run_id, "Data Docs"), encoding="utf-8")
