"""Shared fixtures: project paths, the virtualenv's tools, and one full build per session."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

#: Fixtures of other modules: a project with one fake-built release, for the refresh's tests.
pytest_plugins = ["refresh_support"]

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NTP = BIN / "ntp"  # the package's one command (`make venv` installs it)
SEEDS = ROOT / "seeds"
DOCUMENTS = ROOT / "documents"


def dbt_env(warehouse: Path) -> dict[str, str]:
    """Environment for a dbt run against ``warehouse`` with the repo's profiles.yml."""
    env = dict(os.environ)
    env.update(
        NTP_WAREHOUSE=str(warehouse),
        DBT_PROFILES_DIR=str(ROOT),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )
    return env


def run_dbt(args: list[str], warehouse: Path, workdir: Path, project: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run dbt from the virtualenv on ``project`` with its own target and log folders under ``workdir``."""
    cmd = [str(BIN / "dbt"), *args, "--target-path", str(workdir / "target"), "--log-path", str(workdir / "logs")]
    env = dbt_env(warehouse)
    env["DBT_PROFILES_DIR"] = str(project)
    return subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True, check=False)


def copy_project(destination: Path) -> Path:
    """Copy the project (without virtualenv, build output or git) so a test may break it."""
    project = destination / "project"
    shutil.copytree(
        ROOT,
        project,
        copy_function=shutil.copy2,
        symlinks=True,
        ignore=shutil.ignore_patterns(".venv", ".venv-spark", "target", "logs", "warehouse", ".git", "__pycache__"),
    )
    return project


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the whole project once into a temporary DuckDB file and return its path."""
    workdir = tmp_path_factory.mktemp("build")
    warehouse = workdir / "ntp_poverty.duckdb"
    result = run_dbt(["build", "--fail-fast", "--full-refresh"], warehouse, workdir)
    if result.returncode != 0:
        pytest.fail(f"dbt build failed:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}")
    return warehouse


@pytest.fixture()
def seeds_copy(tmp_path: Path) -> Path:
    """A private copy of seeds/ that a test may break."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture(scope="session")
def duckdb15_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A throwaway virtualenv with DuckDB 1.5 (what BI drivers ship), installed from a hashed lock."""
    venv = tmp_path_factory.mktemp("duckdb15") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    lock = ROOT / "tests" / "duckdb15" / "requirements.lock"
    subprocess.run(
        [str(venv / "bin" / "pip"), "install", "--quiet", "--require-hashes", "--no-deps", "-r", str(lock)],
        check=True,
        capture_output=True,
    )
    return venv / "bin" / "python"
