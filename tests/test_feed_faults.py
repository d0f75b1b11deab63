"""A careless or hostile data provider cannot make the refresh lose or double money (issue 29): every
case is refused with exit 2, a located message, and the published release unchanged (a fake build:
the refusals come before dbt). What dbt reads is the preflight's list of files, each path literal
(src/ntp_poverty/validate/feed_files.py, macros/feed_file_paths.sql, macros/dialect/file_literal.sql)."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import duckdb
import pytest
from refresh_support import assert_unchanged_and_failed, last_log, one_run, run_refresh, warehouse_dir

from conftest import ROOT, run_dbt
from ntp_poverty.refresh.pipeline import check_feed_read_as_listed
from ntp_poverty.refresh.run_log import EXIT_BUILD, EXIT_PUBLISH, RefreshError
from ntp_poverty.validate.feed_files import file_literal, list_feed
from ntp_poverty.validate.feeds import validate

PARTITION = Path("province=11") / "year=2022"
REPORT = "alloc-11-2022"


def feed_of(project: Path) -> Path:
    return project / "feeds" / "sample"


def line_items(project: Path) -> Path:
    return feed_of(project) / PARTITION / "line_items.csv"


def refused(project: Path, fake: Path, *message: str, args: tuple[str, ...] = (), **environ: str) -> str:
    """Refresh; assert exit 2, every ``message`` on stderr, nothing published; return stderr."""
    before = one_run(project)
    result = run_refresh(project, *args, fake=fake, environ=environ)
    assert result.returncode == EXIT_BUILD, result.stdout[-3000:] + result.stderr[-3000:]
    for text in message:
        assert text in result.stderr, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert_unchanged_and_failed(project, before, EXIT_BUILD)
    return result.stderr


# Section 1 of the issue: each of these was published with exit 0 and money lost or doubled.


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (".backup.csv", "a hidden file"),
        ("._line_items.csv", "AppleDouble"),
        (".~lock.line_items.csv#", "an office lock file"),
        ("~$line_items.csv", "an office lock file"),
    ],
)
def test_a_hidden_or_lock_file_in_a_partition_is_refused(project: Path, fake: Path, name: str, message: str) -> None:
    """DuckDB's glob read them, the validator skipped them: 40 unvalidated rows doubled a province."""
    copy = feed_of(project) / PARTITION / name
    shutil.copyfile(line_items(project), copy)
    refused(project, fake, str(copy), message)


def test_a_hidden_folder_is_refused_with_everything_in_it(project: Path, fake: Path) -> None:
    hidden = feed_of(project) / "province=11" / ".year=2022"
    shutil.copytree(feed_of(project) / PARTITION, hidden)
    refused(project, fake, str(hidden), "a hidden folder")


def test_a_symbolic_link_in_the_feed_is_refused(project: Path, fake: Path) -> None:
    link = feed_of(project) / PARTITION / "again.csv"
    link.symlink_to(line_items(project))
    refused(project, fake, str(link), "a symbolic link")


def test_a_line_beginning_with_a_hash_is_a_row_not_a_comment(project: Path, fake: Path) -> None:
    """DuckDB skipped it as a comment and the line item was gone: now it is read, and refused."""
    path = line_items(project)
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[1] = "#" + lines[1]
    path.write_text("\n".join(lines), encoding="utf-8")
    refused(project, fake, f"{path}: row 1: column report_id")


def test_an_empty_feed_folder_is_refused_when_the_published_build_had_a_feed(
    project: Path, fake: Path, tmp_path: Path
) -> None:
    """All 436 sample rows and 12 reports vanished with exit 0."""
    empty = tmp_path / "empty"
    empty.mkdir()
    refused(project, fake, "the feed has no data file", "removed_partition", NTP_FEEDS=str(empty))


def test_an_empty_ntp_feeds_is_refused(project: Path, fake: Path) -> None:
    """The preflight validated feeds/sample while dbt read /province=*."""
    refused(project, fake, "NTP_FEEDS is set but empty", NTP_FEEDS="")


def test_the_same_report_exported_twice_is_refused_unless_declared(project: Path, fake: Path) -> None:
    """Two files of one partition, same rows, two report ids: the marts doubled (funding_mix 2 264,311
    -> 4 528,622). Declared in declarations.csv, the feed passes the validator."""
    path = line_items(project)
    twice = path.with_name("line_items_again.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = [row for row in reader if row["report_id"] == REPORT]
        columns = list(reader.fieldnames or [])
    with twice.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows({**row, "report_id": f"{REPORT}-b", "row_number": str(n)} for n, row in enumerate(rows, 1))
    rows = len(rows)
    refused(project, fake, str(twice), f"report '{REPORT}-b' has the same {rows} line items as report '{REPORT}'")
    declarations = feed_of(project) / "declarations.csv"
    declarations.write_text(
        f"declaration,subject,reason\nduplicate_report,{REPORT}-b,two projects were allocated the same lines\n",
        encoding="utf-8",
    )
    assert validate(feed_of(project), project / "seeds" / "reference") == []


def test_a_header_only_file_is_refused_unless_declared_empty(project: Path, fake: Path) -> None:
    """Its partition's reports disappeared without a word."""
    path = line_items(project)
    empty = path.with_name("nothing.csv")
    empty.write_text(path.read_text(encoding="utf-8").split("\n")[0] + "\n", encoding="utf-8")
    refused(project, fake, f"{empty}:2: the file has a header and no line item")
    (feed_of(project) / "declarations.csv").write_text(
        f"declaration,subject,reason\nempty_file,{PARTITION.as_posix()}/nothing.csv,no allocation this year\n",
        encoding="utf-8",
    )
    assert validate(feed_of(project), project / "seeds" / "reference") == []


def test_a_dropped_partition_is_refused_unless_allowed(project: Path, fake: Path) -> None:
    shutil.rmtree(feed_of(project) / "province=93" / "year=2025")
    refused(project, fake, "the feed dropped 1 partition(s) the published build read: province=93/year=2025")
    # allowed, the refresh goes on to the build (where an injected full disk stops it: seconds, not a publish)
    result = run_refresh(project, "--allow-removals", "province=93/year=2025", fake=fake, fault="before_build:enospc")
    assert result.returncode == EXIT_BUILD and "injected fault at before_build" in result.stderr, result.stderr
    assert "preflight: seeds ok" in result.stdout and "the feed shrank" not in result.stderr


def test_a_feed_that_lost_most_of_its_bytes_is_refused(project: Path, fake: Path) -> None:
    for path in feed_of(project).glob("province=*/year=*/line_items.csv"):
        lines = path.read_text(encoding="utf-8").split("\n")
        path.write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")
    refused(project, fake, "most of its rows are gone; pass --allow-shrink")


def test_a_huge_rejected_value_is_cut_everywhere(project: Path, fake: Path) -> None:
    """A 1 MB cell was printed three times and written into refresh_runs.jsonl."""
    path = line_items(project)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["amount_million_vnd"] = "9" * 1_000_000
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    stderr = refused(project, fake, "column amount_million_vnd", "(1,000,002 characters in all)")
    assert max(len(line) for line in stderr.splitlines()) < 1100
    log_line = (warehouse_dir(project) / "refresh_runs.jsonl").read_text(encoding="utf-8").splitlines()[-1]
    assert len(log_line) < 10_000 and json.loads(log_line)["exit_code"] == EXIT_BUILD


# CSV read strictly: every structural fault is located by file, line and column.


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda line: line + ",extra", ":3: column sums_capital_types: 16 fields where the header has 15"),
        (
            lambda line: line.replace('"alloc-11-2022"', '"alloc-11-2022'),
            ":3: column report_id: a quote that does not close on its line",
        ),
    ],
    ids=["ragged_row", "unclosed_quote"],
)
def test_a_broken_csv_structure_is_located(tmp_path: Path, damage, message: str) -> None:
    feed = Path(shutil.copytree(ROOT / "feeds" / "sample", tmp_path / "feed"))
    path = feed / PARTITION / "line_items.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[2] = damage(lines[2])
    path.write_text("\n".join(lines), encoding="utf-8")
    errors = validate(feed, ROOT / "seeds" / "reference")
    assert any(e.startswith(str(path)) and message in e for e in errors), errors


def test_a_byte_that_is_not_utf8_is_located(tmp_path: Path) -> None:
    feed = Path(shutil.copytree(ROOT / "feeds" / "sample", tmp_path / "feed"))
    path = feed / PARTITION / "line_items.csv"
    data = path.read_bytes().replace(b'"DA6.1"', b'"DA6\xff1"', 1)
    path.write_bytes(data)
    errors = validate(feed, ROOT / "seeds" / "reference")
    assert any(e.startswith(f"{path}:2: column component_code: not UTF-8") for e in errors), errors


# Paths are data: quotes, brackets, * and ? in the feed's folder or file names are literal.


def test_file_literal_names_exactly_one_file(tmp_path: Path) -> None:
    odd = tmp_path / "x[ab] 'q*?ü"
    odd.mkdir()
    (odd / "f[1]*.csv").write_text("a\n1\n", encoding="utf-8")
    sibling = tmp_path / "xa"
    sibling.mkdir()
    (sibling / "f[1]*.csv").write_text("a\n2\n", encoding="utf-8")
    with duckdb.connect() as con:
        rows = con.execute(f"select a, filename from read_csv({file_literal(odd / 'f[1]*.csv')}, filename = true)")
        assert rows.fetchall() == [(1, str(odd / "f[1]*.csv"))]


@pytest.mark.slow
def test_dbt_reads_exactly_the_listed_files_of_an_oddly_named_feed(tmp_path: Path) -> None:
    """NTP_FEEDS with a quote, brackets, *, ?, a space and a non-ASCII letter: dbt reads that folder's
    files and nothing else (a sibling folder the brackets would match as a glob holds other rows)."""
    feed = Path(shutil.copytree(ROOT / "feeds" / "sample", tmp_path / "x[ab] 'q*?ü" / "feed"))
    shutil.copytree(ROOT / "feeds" / "sample", tmp_path / "xa" / "feed")
    (tmp_path / "xa" / "feed" / "province=11" / "year=2022" / "more.csv").write_text(
        line_items(ROOT).read_text(encoding="utf-8").replace(f'"{REPORT}"', '"other"'),
        encoding="utf-8",
    )
    models = ["stg_feeds__line_items_csv", "stg_feeds__files", "stg_feeds__acknowledged_source_errors"]
    result = run_dbt(["run", "--select", *models], tmp_path / "w.duckdb", tmp_path, NTP_FEEDS=str(feed))
    assert result.returncode == 0, result.stdout[-4000:]
    listed = {f.feed_file for f in list_feed(feed).data_files()}
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        read = {
            f for (f,) in con.execute("select distinct feed_file from staging.stg_feeds__line_items_csv").fetchall()
        }
        files = con.execute("select count(*) from staging.stg_feeds__files").fetchall()[0][0]
        acknowledged = con.execute("select count(*) from staging.stg_feeds__acknowledged_source_errors").fetchall()
    assert read == listed and files == len(listed)
    assert acknowledged[0][0] == sum(1 for _ in (feed / "acknowledged.csv").open(encoding="utf-8")) - 1


# Faults keep the exit-code contract: a warehouse folder that refuses the lock is exit 6, never a
# traceback (a read-only folder; the lock made a folder stands in for it, as the tests run as root).


@pytest.mark.parametrize("args", [(), ("--rollback",)], ids=["refresh", "rollback"])
def test_a_lock_that_cannot_be_written_is_a_publish_failure(project: Path, fake: Path, args: tuple[str, ...]) -> None:
    before = one_run(project)
    lock = warehouse_dir(project) / ".refresh.lock"
    lock.unlink(missing_ok=True)
    lock.mkdir()
    result = run_refresh(project, *args, fake=fake)
    assert result.returncode == EXIT_PUBLISH, result.stderr[-3000:]
    assert f"cannot take the lock {lock}" in result.stderr and "Traceback" not in result.stderr
    assert one_run(project) == before
    assert last_log(project)["exit_code"] == EXIT_PUBLISH


def test_a_run_log_that_cannot_be_written_is_said_on_stderr(project: Path, fake: Path) -> None:
    log = warehouse_dir(project) / "refresh_runs.jsonl"
    log.unlink()
    log.mkdir()
    result = run_refresh(project, "--rollback")  # no previous release: exit 6, and its log line cannot be written
    assert result.returncode == EXIT_PUBLISH, result.stderr[-3000:]
    assert f"the run log {log} could not be written" in result.stderr and "Traceback" not in result.stderr


def test_failed_workspaces_are_bounded_and_the_pruning_is_said(project: Path, fake: Path) -> None:
    """The next run keeps the newest five failed runs' workspaces (its own comes on top when it fails
    too) and names what it removed."""
    candidates = warehouse_dir(project) / ".candidates"
    old = [f"20200101T00000{i}Z-aaaaa{i}" for i in range(7)]
    for name in old:
        (candidates / name).mkdir(parents=True)
        (candidates / name / "FAILED").write_text("exit 2: a test\n", encoding="utf-8")
    result = run_refresh(project, fake=fake, fault="before_build:enospc")  # a sixth failed run, in seconds
    assert result.returncode == EXIT_BUILD, result.stderr[-3000:]
    this_run = last_log(project)["run_id"]
    assert sorted(p.name for p in candidates.iterdir()) == [*old[2:], this_run]
    assert f"removed the workspace of failed run {old[0]}" in result.stdout
    assert {f".candidates/{name}" for name in old[:2]} <= set(last_log(project)["cleaned"])


@pytest.mark.parametrize(
    ("fault", "code"),
    [
        ("before_build:enospc", EXIT_BUILD),
        pytest.param("after_export:enospc", EXIT_PUBLISH, marks=pytest.mark.exhaustive),
        ("after_export:duckdb_enospc", EXIT_PUBLISH),
    ],
)
def test_a_full_disk_keeps_the_exit_code_contract(project: Path, fake: Path, fault: str, code: int) -> None:
    """Before or during the build exit 2, during the release exit 6 (DuckDB's export reports a full
    disk as its own IOException: it was exit 7); the release folder the run began is freed."""
    before = one_run(project)
    result = run_refresh(project, fault=fault, fake=fake)
    assert result.returncode == code, result.stderr[-3000:]
    assert "No space left on device" in result.stderr and "Traceback" not in result.stderr
    assert_unchanged_and_failed(project, before, code)
    failed_run = last_log(project)["run_id"]
    assert not (warehouse_dir(project) / "releases" / failed_run).exists()


def test_a_file_that_changed_after_the_preflight_is_refused(built_warehouse: Path, tmp_path: Path) -> None:
    """dbt must build what the preflight validated: the files dbt read (audit.feed_files of the shared
    build, of the committed sample) against the list of a feed whose file (still valid) has one amount
    more, as if written during the build; the list of the sample itself passes."""
    check_feed_read_as_listed(built_warehouse, list_feed(ROOT / "feeds" / "sample"))
    feed = Path(shutil.copytree(ROOT / "feeds" / "sample", tmp_path / "feed"))
    path = feed / PARTITION / "line_items.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["amount_million_vnd"] = f"{float(rows[0]['amount_million_vnd']) + 1:.3f}"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(RefreshError) as refused_build:
        check_feed_read_as_listed(built_warehouse, list_feed(feed))
    assert refused_build.value.code == EXIT_BUILD
    assert f"the feed changed while it was built: {PARTITION.as_posix()}/line_items.csv differ" in str(
        refused_build.value.reason
    )
