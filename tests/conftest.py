"""Shared fixtures: project paths, the virtualenv's tools, and one full build per session."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SEEDS = ROOT / "seeds"
DOCUMENTS = ROOT / "documents"


def dbt_env(warehouse: Path) -> dict[str, str]:
    """Environment for a dbt run against ``warehouse`` with the repo's profiles.yml."""
    env = dict(os.environ)
    env.update(
        NTP_WAREHOUSE=str(warehouse),
        DBT_PROFILES_DIR=str(ROOT),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
        PYTHONPATH=str(ROOT / "scripts"),
    )
    return env


def run_dbt(args: list[str], warehouse: Path, workdir: Path) -> subprocess.CompletedProcess[str]:
    """Run dbt from the virtualenv with its own target and log folders under ``workdir``."""
    cmd = [str(BIN / "dbt"), *args, "--target-path", str(workdir / "target"), "--log-path", str(workdir / "logs")]
    return subprocess.run(cmd, cwd=ROOT, env=dbt_env(warehouse), capture_output=True, text=True, check=False)


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the whole project once into a temporary DuckDB file and return its path."""
    workdir = tmp_path_factory.mktemp("build")
    warehouse = workdir / "ntp_poverty.duckdb"
    result = run_dbt(["build", "--fail-fast"], warehouse, workdir)
    if result.returncode != 0:
        pytest.fail(f"dbt build failed:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}")
    return warehouse


@pytest.fixture()
def seeds_copy(tmp_path: Path) -> Path:
    """A private copy of seeds/ that a test may break."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target
