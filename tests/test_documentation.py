"""Every model, seed, macro and column is documented; macros are named after their files."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from conftest import run_dbt

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def manifest(built_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    workdir = tmp_path_factory.mktemp("parse")
    result = run_dbt(["parse"], built_warehouse, workdir)
    assert result.returncode == 0, result.stdout[-3000:]
    return json.loads((workdir / "target" / "manifest.json").read_text(encoding="utf-8"))


def _own(nodes: dict, kind: str) -> list[dict]:
    return [n for n in nodes.values() if n["resource_type"] == kind and n["package_name"] == "ntp_poverty"]


def test_every_model_and_its_relation_columns_are_documented(manifest: dict, built_warehouse: Path) -> None:
    undocumented = []
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        for model in _own(manifest["nodes"], "model"):
            if not model["description"].strip():
                undocumented.append(model["name"])
            if "Grain" not in model["description"] and not model["name"].startswith(("stg_", "dim_")):
                undocumented.append(f"{model['name']}: description does not state its grain")
            documented = {c for c, meta in model["columns"].items() if meta["description"].strip()}
            actual = {
                r[0]
                for r in con.execute(
                    "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
                    [model["schema"], model["alias"]],
                ).fetchall()
            }
            undocumented += [f"{model['name']}.{c}" for c in sorted(actual - documented)]
    assert undocumented == []


def test_every_intermediate_declares_exactly_its_columns_in_its_own_folder(
    manifest: dict, built_warehouse: Path
) -> None:
    """No select * whose output nothing pins down: an intermediate's YAML (beside its SQL, in the
    intermediate folder) names every column the relation has, and no column it does not have."""
    problems = []
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        for model in _own(manifest["nodes"], "model"):
            if not model["name"].startswith("int_"):
                continue
            sql_folder = Path(model["original_file_path"]).parent
            yml = model.get("patch_path", "").split("://")[-1]
            if Path(yml).parent != sql_folder or sql_folder.name != "intermediate":
                problems.append(f"{model['name']}: YAML {yml} is not beside {model['original_file_path']}")
            actual = [
                r[0]
                for r in con.execute(
                    "select column_name from information_schema.columns where table_schema = ? and table_name = ? "
                    "order by ordinal_position",
                    [model["schema"], model["alias"]],
                ).fetchall()
            ]
            declared = list(model["columns"])
            if set(actual) != set(declared):
                problems.append(
                    f"{model['name']}: undeclared {sorted(set(actual) - set(declared))}, "
                    f"declared but absent {sorted(set(declared) - set(actual))}"
                )
    assert problems == []


def test_every_seed_and_seed_column_is_documented(manifest: dict) -> None:
    for seed in _own(manifest["nodes"], "seed"):
        assert seed["description"].strip(), seed["name"]
        assert all(meta["description"].strip() for meta in seed["columns"].values()), seed["name"]


def test_every_macro_is_documented_and_named_after_its_file(manifest: dict) -> None:
    for macro in _own(manifest["macros"], "macro"):
        assert macro["description"].strip(), macro["name"]
        stem = Path(macro["original_file_path"]).stem
        assert macro["name"] in (stem, f"test_{stem}"), (macro["name"], macro["original_file_path"])


def test_the_glossary_and_exposures_are_in_the_docs(manifest: dict) -> None:
    overview = manifest["docs"]["doc.ntp_poverty.__overview__"]["block_contents"]
    for term in ("NSTW", "NSĐP", "ĐTPT", "vốn sự nghiệp", "Dự án", "Tiểu dự án", "Requested", "tổng"):
        assert term in overview, term
    assert {e["name"] for e in manifest["exposures"].values()} == {"visual_report", "bi_tools_reading_the_warehouse"}
