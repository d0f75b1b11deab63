"""SQL style is enforced: sqlfluff (templater dbt, dialect duckdb) passes on models and macros."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import BIN, ROOT, dbt_env

pytestmark = pytest.mark.slow


def test_sqlfluff_lint_passes(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(BIN / "sqlfluff"), "lint", "models", "macros", "analyses", "tests/dbt", "--disable-progress-bar"],
        cwd=ROOT,
        env=dbt_env(tmp_path / "lint.duckdb"),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
