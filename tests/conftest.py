"""Shared fixtures: project paths, the virtualenv's tools, and one full build per session."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ntp_poverty.validate.feed_files import dbt_environment

#: Fixtures of other modules: a project with one fake-built release, for the refresh's tests.
pytest_plugins = ["refresh_support"]

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NTP = BIN / "ntp"  # the package's one command (`make venv` installs it)
SEEDS = ROOT / "seeds"
DOCUMENTS = ROOT / "documents"


def dbt_env(warehouse: Path | str, project: Path = ROOT, **environ: str) -> dict[str, str]:
    """Environment for a dbt run against ``warehouse`` with the repo's profiles.yml (``environ``: more
    variables). The feed (NTP_FEEDS, else the project's sample) is listed as the refresh lists it, into
    the worker's own list file, which NTP_FEED_FILES names (dbt reads the files of that list)."""
    env = dict(os.environ) | environ
    feed = Path(env.get("NTP_FEEDS") or "feeds/sample")
    out = WARM / worker_name() / "feed_files.csv"
    env.update(dbt_environment(feed if feed.is_absolute() else project / feed, out))
    env.update(
        NTP_WAREHOUSE=str(warehouse),
        DBT_PROFILES_DIR=str(ROOT),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )
    return env


def run_vars(**values: object) -> dict[str, str]:
    """The environment of a dbt run with these run values (macros/run_var.sql), as ``ntp refresh``
    passes them: NTP_RUN_VARS, not ``--vars``, which would make dbt parse the project again."""
    return {"NTP_RUN_VARS": json.dumps(values)}


def changed_partitions(changed: list[str] | None) -> dict[str, str]:
    """:func:`run_vars` of an incremental refresh's build that rebuilds ``changed`` (none: a full build)."""
    return run_vars(changed_partitions=changed) if changed is not None else {}


def worker_name() -> str:
    """This pytest process's name: xdist's worker id (gw0, gw1, ...) or ``main`` without xdist."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


#: Beside the shared build (fixture built_warehouse): dbt runs on a copy of it, never on it.
SHARED_MARKER = "outcome.txt"
#: Where a worker's dbt runs on the project find their warehouse and their warm parse (see run_dbt).
WARM = ROOT / "target" / "pytest"


def _warm_parse_file(args: list[str], warehouse_name: str) -> Path:
    """The worker's saved partial parse for these command-line vars and this warehouse file name (a
    parse depends on both)."""
    cli_vars = args[args.index("--vars") + 1] if "--vars" in args else ""
    key = hashlib.sha256(f"{warehouse_name}\0{cli_vars}".encode()).hexdigest()[:12]
    return WARM / f"{worker_name()}-{key}.msgpack"


def run_dbt(
    args: list[str], warehouse: Path, workdir: Path, project: Path = ROOT, **environ: str
) -> subprocess.CompletedProcess[str]:
    """Run dbt from the virtualenv on ``project`` against ``warehouse``, with its own target and log
    folders under ``workdir`` (``environ``: more environment variables, e.g. NTP_FEEDS).

    On the project itself the run reuses the worker's last parse (dbt's partial parsing: 8 s instead
    of 22 s). dbt parses again whenever the profile changes, and the profile holds the warehouse's
    path, so every run of one worker names its warehouse by the same path,
    ``target/pytest/<worker>/<its file name>``, a symbolic link to ``warehouse`` for the run (the
    runs of one worker are sequential). Runs with
    other ``--vars`` keep a parse of their own. A copied project parses from scratch.
    """
    target = workdir / "target"
    cmd = [str(BIN / "dbt"), *args, "--target-path", str(target), "--log-path", str(workdir / "logs")]
    if warehouse.name == "ntp_poverty.duckdb" and (warehouse.parent / SHARED_MARKER).exists():
        # dbt opens its warehouse for writing, which would lock the shared build against every other
        # worker's readers: it gets a copy of its own
        workdir.mkdir(parents=True, exist_ok=True)
        warehouse = Path(shutil.copyfile(warehouse, workdir / "ntp_poverty.duckdb"))
    if project != ROOT:
        env = dbt_env(warehouse, project, **environ)
        env["DBT_PROFILES_DIR"] = str(project)
        return subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True, check=False)
    warehouse = _named_as_the_project_names_it(warehouse)
    # DuckDB names the catalog after the file the link resolves to: the link keeps that name
    link = WARM / worker_name() / warehouse.name
    link.parent.mkdir(parents=True, exist_ok=True)
    wal = link.with_name(link.name + ".wal")
    for stale in (link, wal):
        stale.unlink(missing_ok=True)
    link.symlink_to(warehouse.absolute())
    saved, parse = _warm_parse_file(args, warehouse.name), target / "partial_parse.msgpack"
    if saved.exists() and not parse.exists():
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(saved, parse)
    try:
        result = subprocess.run(
            cmd, cwd=ROOT, env=dbt_env(link.relative_to(ROOT), **environ), capture_output=True, text=True, check=False
        )
    finally:
        if wal.exists():  # a log DuckDB did not fold into the file belongs beside the file
            shutil.move(wal, warehouse.with_name(warehouse.name + ".wal"))
        link.unlink(missing_ok=True)
    if parse.exists():
        shutil.copyfile(parse, saved)
    return result


PROJECT_FILE = "ntp_poverty.duckdb"


def _named_as_the_project_names_it(warehouse: Path) -> Path:
    """The file dbt builds for ``warehouse``, named ntp_poverty.duckdb: a file of another name moves
    (once) into a folder beside it, ``.<name>.d/ntp_poverty.duckdb``, and ``warehouse`` becomes a
    symbolic link to it. DuckDB names the catalog after the file's name and dbt's parse depends on
    the catalog, so this way every run of a worker with the same vars shares one warm parse, whatever
    the test named its file (a fresh clone parsed once per name: 8 cold parses more per run)."""
    if warehouse.name == PROJECT_FILE:
        return warehouse
    real = warehouse.with_name(f".{warehouse.name}.d") / PROJECT_FILE
    if warehouse.is_symlink():
        return warehouse.resolve()
    real.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", ".wal"):
        if (source := warehouse.with_name(warehouse.name + suffix)).exists():
            os.replace(source, real.with_name(real.name + suffix))
    warehouse.symlink_to(real)
    return real


def copy_project(destination: Path) -> Path:
    """Copy the project (without virtualenv, build output or git) so a test may break it."""
    project = destination / "project"
    shutil.copytree(
        ROOT,
        project,
        copy_function=shutil.copy2,
        symlinks=True,
        ignore=shutil.ignore_patterns(
            ".venv", ".venv-spark", ".venv-duckdb15", "target", "logs", "warehouse", ".git", "__pycache__"
        ),
    )
    return project


def _shared_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder every worker of this run sees (xdist's workers have base folders of their own)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if "PYTEST_XDIST_WORKER" in os.environ else base


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole project built once per test run (``dbt build --full-refresh``: seeds, models, every
    test and the gate) into a DuckDB file; its dbt target folder is beside it. Workers share it: the
    first to ask builds under a lock, the others wait for it. Tests only read it (copy it to change it)."""
    shared = _shared_folder(tmp_path_factory) / "built_warehouse"
    shared.mkdir(exist_ok=True)
    warehouse, outcome = shared / "ntp_poverty.duckdb", shared / SHARED_MARKER
    with (shared / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not outcome.exists():
            result = run_dbt(["build", "--fail-fast", "--full-refresh"], warehouse, shared)
            outcome.write_text(
                "ok"
                if result.returncode == 0
                else f"dbt build failed:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}",
                encoding="utf-8",
            )
    if (text := outcome.read_text(encoding="utf-8")) != "ok":
        pytest.fail(text)
    return warehouse


@pytest.fixture()
def seeds_copy(tmp_path: Path) -> Path:
    """A private copy of seeds/ that a test may break."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


#: DuckDB 1.5's virtualenv, built by `make duckdb15-venv` (a prerequisite of `make test`) from
#: tests/duckdb15/requirements.lock
DUCKDB15_VENV = ROOT / ".venv-duckdb15"


@pytest.fixture(scope="session")
def duckdb15_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Python with DuckDB 1.5 (what BI drivers ship): the Makefile's virtualenv when it is up to date
    with its lock, else a throwaway one installed from the same hashed lock."""
    lock = ROOT / "tests" / "duckdb15" / "requirements.lock"
    stamp = DUCKDB15_VENV / ".installed-from-lock"
    if stamp.exists() and stamp.stat().st_mtime >= lock.stat().st_mtime:
        return DUCKDB15_VENV / "bin" / "python"
    venv = tmp_path_factory.mktemp("duckdb15") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(venv / "bin" / "pip"), "install", "--quiet", "--require-hashes", "--no-deps", "-r", str(lock)],
        check=True,
        capture_output=True,
    )
    return venv / "bin" / "python"


#: The files that take longest, in that order, before all others: `make test` runs pytest with
#: `--dist loadfile --no-loadscope-reorder`, so each worker takes the longest file left and no long
#: file is started last (worker-seconds per file of a fresh clone's `make test` at 5d650eb, junit).
LONGEST_FIRST = (
    "test_refresh.py",
    "test_incremental.py",
    "test_spark.py",
    "test_refresh_orchestration.py",
    "test_incremental_keys.py",
    "test_feed_faults.py",
    "test_sqlfluff.py",
    "test_sum_check_gate.py",
    "test_synthetic.py",
    "test_release_datapackage.py",
    "test_validate_marts.py",
    "test_seed_validation.py",
    "test_run_vars.py",
    "test_cli.py",
    "test_structure_lint.py",
    "test_benchmarks.py",
    "test_sliced_build.py",
    "test_amount_accounting.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Longest files first (a stable sort: the tests of a file keep their order)."""
    rank = {name: index for index, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))
