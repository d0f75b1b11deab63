"""The run's values (macros/run_var.sql): read from NTP_RUN_VARS while dbt executes, so that a new
run id or a new list of changed partitions leaves dbt's saved parse valid (`--vars` do not)."""

from __future__ import annotations

from pathlib import Path

from conftest import run_dbt, run_vars

PARSED_AGAIN = "Unable to do partial parsing"


def _compiled_build_row(workdir: Path) -> str:
    [path] = (workdir / "target" / "compiled").rglob("warehouse_build.sql")
    return path.read_text(encoding="utf-8")


def test_new_run_values_reach_the_build_without_a_new_parse(built_warehouse: Path, tmp_path: Path) -> None:
    """Two compiles of audit.warehouse_build in one target folder, with different run values: each
    compiles its own run id and partitions, and the second reuses the first one's parse whole (dbt
    logs that it parsed no file again; changed `--vars` would make it parse every file)."""
    selection = ["compile", "--select", "warehouse_build"]
    first = run_dbt(selection, built_warehouse, tmp_path, **run_vars(run_id="first-run"))
    assert first.returncode == 0, first.stdout[-3000:]
    assert "'first-run'" in _compiled_build_row(tmp_path)
    (tmp_path / "logs" / "dbt.log").unlink()
    second = run_dbt(
        selection,
        built_warehouse,
        tmp_path,
        **run_vars(run_id="second-run", changed_partitions=["province=01/year=2024", "province=02/year=2024"]),
    )
    assert second.returncode == 0, second.stdout[-3000:]
    compiled = _compiled_build_row(tmp_path)
    assert "'second-run'" in compiled and "'incremental'" in compiled and "cast(2 as integer)" in compiled
    log = (tmp_path / "logs" / "dbt.log").read_text(encoding="utf-8")
    assert "Partial parsing enabled: 0 files deleted, 0 files added, 0 files changed." in log
    assert PARSED_AGAIN not in log


def test_run_values_that_are_not_a_json_object_are_refused(built_warehouse: Path, tmp_path: Path) -> None:
    result = run_dbt(["compile", "--select", "warehouse_build"], built_warehouse, tmp_path, NTP_RUN_VARS='["x"]')
    assert result.returncode != 0
    assert "NTP_RUN_VARS must hold a JSON object" in result.stdout, result.stdout[-3000:]
