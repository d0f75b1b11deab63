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


#: Schemas a reader opens: a model there with an amount column must keep its phases apart
PUBLISHED_SCHEMAS = {"core", "marts", "audit"}


def _is_amount(name: str, column: dict) -> bool:
    """An amount column, by the rule Excel formats money by (src/ntp_poverty/publish/excel.py)."""
    return name.endswith("_million_vnd") or "million vnd" in (column.get("description") or "").lower()


def _phase_problems(manifest: dict) -> list[str]:
    """Published models with an amount column whose `amounts_keep_their_phase` test is missing, or
    whose `grain` is not a key another test proves unique (every column of a unique test is in it)."""
    keys: dict[str, list[set[str]]] = {}
    phase_tests: dict[str, list[dict]] = {}
    for test in _own(manifest["nodes"], "test"):
        meta, model = test.get("test_metadata") or {}, (test.get("attached_node") or "")
        kwargs = meta.get("kwargs", {})
        if meta.get("name") == "unique" and kwargs.get("column_name"):
            keys.setdefault(model, []).append({kwargs["column_name"]})
        elif meta.get("name") == "unique_combination_of_columns":
            keys.setdefault(model, []).append(set(kwargs["combination_of_columns"]))
        elif meta.get("name") == "amounts_keep_their_phase":
            phase_tests.setdefault(model, []).append(kwargs)
    problems = []
    for model in _own(manifest["nodes"], "model"):
        if model["schema"] not in PUBLISHED_SCHEMAS:
            continue
        if not any(_is_amount(name, column) for name, column in model["columns"].items()):
            continue
        uid = model["unique_id"]
        tests = phase_tests.get(uid, [])
        if len(tests) != 1:
            problems.append(f"{model['name']}: {len(tests)} amounts_keep_their_phase tests, expected 1")
            continue
        grain = set(tests[0]["grain"])
        if not any(key <= grain for key in keys.get(uid, [])):
            problems.append(f"{model['name']}: grain {sorted(grain)} contains no key a unique test proves")
        if tests[0].get("row_is_one_amount") and len(grain) != 1:
            problems.append(f"{model['name']}: row_is_one_amount with a key of {len(grain)} columns, not one id")
    return sorted(problems)


def test_every_published_amount_keeps_its_phase(manifest: dict) -> None:
    """Phases are never added: every published model with an amount column keys its rows by the
    phase, is one printed amount per row, or holds one phase (macros/tests/amounts_keep_their_phase.sql,
    run by dbt build); here, that the test is there and its grain is a proven key."""
    assert _phase_problems(manifest) == []


def test_a_published_amount_model_without_its_phase_test_is_named(manifest: dict) -> None:
    """The check above fails for a model that drops the test, and for a grain that is no key."""
    broken = json.loads(json.dumps(manifest))
    nodes = broken["nodes"]
    dropped = next(
        uid
        for uid, n in nodes.items()
        if n["resource_type"] == "test"
        and (
            (n.get("test_metadata") or {}).get("name") == "amounts_keep_their_phase"
            and n["attached_node"].endswith(".funding_mix")
        )
    )
    del nodes[dropped]
    widened = next(
        n
        for n in nodes.values()
        if n["resource_type"] == "test"
        and (
            (n.get("test_metadata") or {}).get("name") == "amounts_keep_their_phase"
            and n["attached_node"].endswith(".yoy_change")
        )
    )
    widened["test_metadata"]["kwargs"]["grain"] = ["geography_code", "phase_code"]
    assert _phase_problems(broken) == [
        "funding_mix: 0 amounts_keep_their_phase tests, expected 1",
        "yoy_change: grain ['geography_code', 'phase_code'] contains no key a unique test proves",
    ]
