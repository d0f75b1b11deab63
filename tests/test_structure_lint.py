"""The dbt project's structure and documentation lint (dbt-score with our conventions) has 0 violations,
and a model that breaks a convention makes it fail."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, dbt_env

pytestmark = pytest.mark.slow

DBT_SCORE = Path(sys.executable).parent / "dbt-score"


def _lint(project: Path, workdir: Path) -> subprocess.CompletedProcess[str]:
    env = dbt_env(workdir / "w.duckdb")
    env["DBT_PROFILES_DIR"] = str(project)
    parse = subprocess.run(
        [
            str(Path(sys.executable).parent / "dbt"),
            "parse",
            "--target-path",
            str(workdir / "target"),
            "--log-path",
            str(workdir / "logs"),
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert parse.returncode == 0, parse.stdout[-3000:]
    return _score(workdir / "target" / "manifest.json")


def _score(manifest: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(DBT_SCORE), "lint", "--manifest", str(manifest)],
        cwd=ROOT,
        env=dbt_env(manifest.parent / "w.duckdb"),
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_project_scores_10_with_no_violation(built_warehouse: Path) -> None:
    """On the manifest of the shared build of the project (the same parse a `dbt parse` makes)."""
    result = _score(built_warehouse.parent / "target" / "manifest.json")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert re.search(r"Project score: (\x1b\[\dm)?10\.0", result.stdout), result.stdout
    assert "WARN" not in result.stdout and "CRIT" not in result.stdout


def test_a_mart_named_like_a_layer_and_not_public_fails_the_lint(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    mart = project / "models" / "marts" / "fct_funding_copy.sql"
    mart.write_text("select * from {{ ref('funding_mix') }}\n", encoding="utf-8")
    (project / "models" / "marts" / "_fct_funding_copy.yml").write_text(
        "version: 2\nmodels:\n  - name: fct_funding_copy\n    description: A copy.\n    config:\n"
        "      access: protected\n",
        encoding="utf-8",
    )
    result = _lint(project, tmp_path / "work")
    assert result.returncode != 0
    assert "mart_is_named_by_business_concept" in result.stdout
    assert "mart_is_public_with_an_owner_and_a_contract" in result.stdout
