"""Proofs of the nightly refresh: readers never see a half-built warehouse, a failed or killed
refresh never replaces a good one, and two refreshes never run at once."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from conftest import copy_project
from ntp_poverty import refresh as refresh_module

pytestmark = pytest.mark.slow

MARTS = ["cross_province_comparison", "data_quality_findings", "document_reconciliation", "funding_mix",
         "target_comparison", "yoy_change"]


def start_refresh(project: Path, *args: str) -> subprocess.Popen[str]:
    """Start the project's refresh command in its own process group."""
    return subprocess.Popen(
        [sys.executable, str(project / "scripts" / "refresh"), "--warehouse", str(published_path(project)), *args],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        env=dict(os.environ, DBT_SEND_ANONYMOUS_USAGE_STATS="false"),
    )


def run_refresh(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    proc = start_refresh(project, *args)
    out, err = proc.communicate(timeout=600)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def published_path(project: Path) -> Path:
    return project / "warehouse" / "ntp_poverty.duckdb"


def run_id(path: Path) -> str:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("select run_id from audit.warehouse_build").fetchone()[0]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def last_log(project: Path) -> dict:
    lines = (project / "warehouse" / "refresh_runs.jsonl").read_text(encoding="utf-8").splitlines()
    return json.loads(lines[-1])


@pytest.fixture(scope="module")
def published_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project copy with one successful refresh published (copied again by every test)."""
    project = copy_project(tmp_path_factory.mktemp("template"))
    result = run_refresh(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project


@pytest.fixture()
def project(published_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(published_template, target, symlinks=True)
    shutil.rmtree(target / "target", ignore_errors=True)
    return target


def test_refresh_publishes_read_only_files_parquet_and_a_run_log(project: Path, duckdb15_python: Path) -> None:
    published = published_path(project)
    assert published.stat().st_mode & 0o777 == 0o444
    parquet = project / "warehouse" / "parquet"
    assert parquet.is_symlink()
    files = sorted(p.name for p in parquet.iterdir())
    assert files == [f"{m}.parquet" for m in MARTS]
    assert all((parquet / f).stat().st_mode & 0o777 == 0o444 for f in files)
    assert parquet.resolve().stat().st_mode & 0o777 == 0o555
    record = last_log(project)
    assert record["published"] is True and record["exit_code"] == 0
    assert record["run_id"] == run_id(published)
    assert record["mart_rows"]["funding_mix"] > 0 and record["tests"]["pass"] > 100
    assert record["findings"] == {"arithmetic_mismatch (acknowledged)": 7, "incomplete_breakdown": 3}
    docs = (project / "warehouse" / "docs" / "index.html").read_text(encoding="utf-8")
    assert "funding_mix" in docs and "Glossary" in docs
    report = (project / "warehouse" / "report" / "index.html").read_text(encoding="utf-8")
    assert record["run_id"] in report
    with duckdb.connect() as con:
        (rows,) = con.execute(f"select count(*) from read_parquet('{parquet / 'funding_mix.parquet'}')").fetchone()
    assert rows == record["mart_rows"]["funding_mix"]
    reader = "import sys, duckdb\ncon = duckdb.connect(sys.argv[1], read_only=True)\n" + "".join(
        f"print('{m}', con.sql('select count(*) from marts.{m}').fetchall()[0][0])\n" for m in MARTS)
    result = subprocess.run([str(duckdb15_python), "-c", reader, str(published)], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert {line.split()[0]: int(line.split()[1]) for line in result.stdout.splitlines()} == record["mart_rows"]


def test_rollback_returns_to_the_previous_build(project: Path) -> None:
    first = run_id(published_path(project))
    assert run_refresh(project).returncode == 0
    second = run_id(published_path(project))
    assert second != first
    result = run_refresh(project, "--rollback")
    assert result.returncode == 0, result.stderr
    assert run_id(published_path(project)) == first
    assert (project / "warehouse" / "parquet").resolve().name == first


READER = textwrap.dedent("""
    import sys, time, duckdb
    path, stop, marts = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
    import os
    while not os.path.exists(stop):
        try:
            con = duckdb.connect(path, read_only=True)
            before = con.execute("select run_id from audit.warehouse_build").fetchone()[0]
            counts = [con.execute(f"select count(*) from marts.{m}").fetchone()[0] for m in marts]
            after = con.execute("select run_id from audit.warehouse_build").fetchone()[0]
            con.close()
            print("ok" if before == after and min(counts) > 0 else "MIXED", before, flush=True)
        except Exception as exc:
            print("ERROR", type(exc).__name__, str(exc).replace("\\n", " "), flush=True)
        time.sleep(0.05)
""")


def test_readers_during_a_refresh_see_the_old_or_the_new_build_never_a_mix(project: Path, tmp_path: Path) -> None:
    published = published_path(project)
    old = run_id(published)
    stop = tmp_path / "stop"
    readers = [subprocess.Popen([sys.executable, "-c", READER, str(published), str(stop), ",".join(MARTS)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    try:
        result = run_refresh(project)
        assert result.returncode == 0, result.stderr
        new = run_id(published)
        time.sleep(2)
    finally:
        stop.touch()
        outputs = [r.communicate(timeout=60) for r in readers]
    lines = [line for out, _ in outputs for line in out.splitlines()]
    assert all(r.returncode == 0 for r in readers), [err for _, err in outputs]
    assert len(lines) > 30
    assert [line for line in lines if not line.startswith("ok ")] == []
    seen = {line.split()[1] for line in lines}
    assert seen == {old, new}


def test_killed_refresh_leaves_the_published_warehouse_and_parquet_unchanged(project: Path) -> None:
    published = published_path(project)
    before_digest, before_run = digest(published), run_id(published)
    parquet = project / "warehouse" / "parquet"
    before_release = parquet.resolve()
    proc = start_refresh(project)
    candidates = project / "warehouse" / ".candidates"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list(candidates.glob("*/logs/dbt.log")):
        time.sleep(0.2)
    time.sleep(2)  # well inside dbt build
    os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert digest(published) == before_digest and run_id(published) == before_run
    assert parquet.resolve() == before_release
    with duckdb.connect() as con:
        con.execute(f"select count(*) from read_parquet('{parquet}/*.parquet', union_by_name = true)").fetchone()
    assert (project / "warehouse" / ".refresh.lock").read_text(encoding="utf-8").startswith("pid ")
    result = run_refresh(project)
    assert result.returncode == 0, result.stderr
    assert "cleaned up a stale lock" in result.stdout
    assert "removed the candidate of an interrupted run" in result.stdout
    assert run_id(published) != before_run
    assert list(candidates.iterdir()) == []


def _rewrite_amounts(project: Path, amount_id: str, column_values: dict[str, str]) -> None:
    path = project / "seeds" / "transcription" / "plan_amounts.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["amount_id"] == amount_id:
            row.update(column_values)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _assert_unchanged_and_failed(project: Path, before: str, code: int) -> None:
    assert digest(published_path(project)) == before
    record = last_log(project)
    assert record["published"] is False and record["exit_code"] == code
    kept = Path(record["candidate_dir"])
    assert (kept / "FAILED").exists()


def test_unparseable_number_fails_with_file_and_line(project: Path) -> None:
    before = digest(published_path(project))
    _rewrite_amounts(project, "soctrang_2024_2025_draft:0029:1", {"value_printed": "1.65O"})
    result = run_refresh(project)
    assert result.returncode == refresh_module.EXIT_BUILD
    assert "seeds/transcription/plan_amounts.csv:2:6 (value_printed): not a valid vi_number: '1.65O'" in result.stderr
    _assert_unchanged_and_failed(project, before, refresh_module.EXIT_BUILD)


def test_broken_sum_identity_fails_with_check_document_and_line(project: Path) -> None:
    before = digest(published_path(project))
    _rewrite_amounts(project, "soctrang_2024_2025_draft:0195:1", {"amount_million_vnd": "27196", "value_numeric": "27196"})
    result = run_refresh(project)
    assert result.returncode == refresh_module.EXIT_TESTS
    assert ("UNACKNOWLEDGED ARITHMETIC MISMATCH: check funding_sources_to_total, "
            "document soctrang_2024_2025_draft, line 194") in result.stderr
    _assert_unchanged_and_failed(project, before, refresh_module.EXIT_TESTS)


def test_a_second_refresh_refuses_while_the_first_runs(project: Path) -> None:
    first = start_refresh(project)
    lock = project / "warehouse" / ".refresh.lock"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not lock.read_text(encoding="utf-8").startswith("pid "):
        time.sleep(0.1)
    second = run_refresh(project)
    assert second.returncode == refresh_module.EXIT_LOCKED
    assert "another refresh holds" in second.stderr
    out, err = first.communicate(timeout=600)
    assert first.returncode == 0, err
    assert last_log(project)["published"] is True


def test_gx_and_publish_failures_have_their_own_exit_codes(
    built_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In-process, with dbt replaced by a copy of an already built warehouse (fast)."""
    def fake_dbt(candidate: Path, run_dir: Path, run_id: str, commit: str, record) -> None:
        shutil.copy(built_warehouse, candidate)

    monkeypatch.setattr(refresh_module, "run_dbt", fake_dbt)
    site = tmp_path / "static_index.html"
    site.write_text("<html></html>", encoding="utf-8")
    monkeypatch.setattr(refresh_module, "generate_docs", lambda *args: site)
    paths = refresh_module.Paths(tmp_path / "w" / "ntp_poverty.duckdb")
    seeds = Path(refresh_module.PROJECT_DIR) / "seeds"
    monkeypatch.setattr(refresh_module, "validate_marts", lambda warehouse, docs: ["marts.funding_mix: broken"])
    assert refresh_module.refresh(paths, seeds) == refresh_module.EXIT_GX
    assert not paths.published.exists()
    monkeypatch.setattr(refresh_module, "validate_marts", lambda warehouse, docs: [])

    def failing_publish(*args, **kwargs) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(refresh_module, "publish", failing_publish)
    assert refresh_module.refresh(paths, seeds) == refresh_module.EXIT_PUBLISH
    assert not paths.published.exists()
    log = [json.loads(line) for line in paths.run_log.read_text(encoding="utf-8").splitlines()]
    assert [r["exit_code"] for r in log] == [refresh_module.EXIT_GX, refresh_module.EXIT_PUBLISH]


# --- preflight: nothing unproven is built, let alone published -------------------------------------

SOC_TRANG = Path("documents") / "000_cdbc9b3cac43e985.txt"
VINH_LONG = Path("documents") / "003_36708f18770573fd.txt"


def _move_fragment_off_its_line(project: Path) -> str:
    """Document 000 line 29 no longer prints the first amount's fragment '1.650 triệu đồng'."""
    document = project / SOC_TRANG
    lines = document.read_text(encoding="utf-8").split("\n")
    assert "1.650 triệu đồng" in lines[28]
    lines[28] = lines[28].replace("1.650 triệu đồng", "1.650 triệu VNĐ")
    document.write_text("\n".join(lines), encoding="utf-8")
    return (r"seeds/transcription/plan_amounts\.csv:2:5 \(source_text\): source text '1\.650 triệu đồng' "
            r"is not on \S*documents/000_cdbc9b3cac43e985\.txt:29")


def _print_the_english_way(project: Path) -> str:
    """The first amount's value_printed '1.650' becomes '1,650.5' (Babel's lenient mode reads 1.6505)."""
    _rewrite_amounts(project, "soctrang_2024_2025_draft:0029:1", {"value_printed": "1,650.5"})
    return r"seeds/transcription/plan_amounts\.csv:2:6 \(value_printed\): not a valid vi_number: '1,650\.5'"


def _truncate_a_document(project: Path) -> str:
    """Document 003 loses everything after its line 600 (its appendix is cited up to line 644)."""
    document = project / VINH_LONG
    lines = document.read_text(encoding="utf-8").split("\n")
    document.write_text("\n".join(lines[:600]) + "\n", encoding="utf-8")
    return (r"seeds/transcription/plan_amounts\.csv:\d+:4 \(source_line\): line \d+ is past the end of "
            r"\S*documents/003_36708f18770573fd\.txt \(600 lines; ")


@pytest.mark.parametrize("breakage", [_move_fragment_off_its_line, _print_the_english_way, _truncate_a_document],
                         ids=["source_text_off_its_line", "lenient_number", "truncated_document"])
def test_preflight_refuses_unproven_inputs_before_dbt(project: Path, breakage) -> None:
    """Exit 2 with a located error, the published file untouched, and dbt never started."""
    before = digest(published_path(project))
    located = breakage(project)
    result = run_refresh(project)
    assert result.returncode == refresh_module.EXIT_BUILD, result.stdout + result.stderr
    assert re.search(located, result.stderr), result.stderr
    assert "Traceback" not in result.stderr
    assert "preflight failed" in last_log(project)["reason"]
    _assert_unchanged_and_failed(project, before, refresh_module.EXIT_BUILD)
    assert not (Path(last_log(project)["candidate_dir"]) / "dbt_build.log").exists()
