"""The release's data package validates with Frictionless, holds every mart and dimension exactly, and its
declared foreign keys are true (a broken one fails validation)."""

from __future__ import annotations

import hashlib
import json
import math
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import frictionless
import pytest

from conftest import BIN, ROOT
from ntp_poverty.publish.datapackage import (
    DIMENSIONS,
    RUN_ID_PROPERTY,
    key_of,
    package_run_id,
    write_datapackage,
)
from ntp_poverty.publish.excel import read_model_docs, yaml_files

pytestmark = pytest.mark.slow

RUN_ID = "20260101T000000Z-def456"
MODEL_YAML = yaml_files(ROOT, Path("models") / "marts") + yaml_files(ROOT, Path("models") / "core")


@pytest.fixture(scope="module")
def package(built_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_datapackage(built_warehouse, tmp_path_factory.mktemp("datapackage"), RUN_ID, ROOT)


@pytest.fixture(scope="module")
def descriptor(package: Path) -> dict[str, Any]:
    return json.loads(package.read_text(encoding="utf-8"))


def frictionless_cli(descriptor: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "frictionless"), "validate", descriptor.name],
        cwd=descriptor.parent,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def resources(descriptor: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["name"]: r for r in descriptor["resources"]}


def test_the_package_validates_with_the_cli_and_the_python_api(package: Path) -> None:
    result = frictionless_cli(package)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    report = frictionless.validate(str(package))
    assert report.valid, [(t.name, e.row_number, e.note) for t in report.tasks for e in t.errors][:10]
    assert report.stats["tasks"] == len(json.loads(package.read_text(encoding="utf-8"))["resources"])


def test_every_mart_and_dimension_is_a_resource_holding_exactly_its_rows(
    built_warehouse: Path, package: Path, descriptor: dict[str, Any]
) -> None:
    docs = read_model_docs(MODEL_YAML)
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        marts = [
            n
            for (n,) in con.execute(
                "select table_name from information_schema.tables where table_schema = "
                "'marts' and table_type = 'BASE TABLE' order by 1"
            ).fetchall()
        ]
        assert [r["name"] for r in descriptor["resources"]] == [*marts, *DIMENSIONS]
        frictionless_package = frictionless.Package(str(package))
        for resource in descriptor["resources"]:
            name = resource["name"]
            schema = "marts" if name in marts else "core"
            assert resource["path"] == f"data/{name}.csv" and resource["encoding"] == "utf-8"
            cursor = con.execute(f"select * from {schema}.{name} order by {', '.join(docs[name].grain)}")
            names = [d[0] for d in cursor.description]
            expected = cursor.fetchall()
            assert [f["name"] for f in resource["schema"]["fields"]] == names, name
            with frictionless_package.get_resource(name) as table:
                rows = [[row[n] for n in names] for row in table.row_stream]
            assert len(rows) == len(expected), name
            for got_row, want_row in zip(rows, expected):
                for column, got, want in zip(names, got_row, want_row):
                    where = f"{name}.{column}: {got!r} != {want!r}"
                    if want is None:
                        assert got is None, where
                    elif isinstance(want, float):
                        assert math.isclose(float(got), want, rel_tol=1e-15), where
                    elif isinstance(want, Decimal):
                        assert Decimal(got) == want, where
                    elif hasattr(want, "date") and not hasattr(got, "date"):
                        assert got == want.date(), where
                    else:
                        assert got == want, where
            path = package.parent / resource["path"]
            assert resource["bytes"] == path.stat().st_size
            assert resource["hash"] == "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


def test_table_schemas_come_from_the_dbt_yaml(descriptor: dict[str, Any]) -> None:
    docs = read_model_docs(MODEL_YAML)
    types = {
        "varchar": "string",
        "integer": "integer",
        "decimal": "number",
        "double": "number",
        "boolean": "boolean",
        "date": "date",
    }
    for name, resource in resources(descriptor).items():
        doc = docs[name]
        assert resource["description"] == doc.description and resource["schema"]["primaryKey"] == list(doc.grain)
        for field in resource["schema"]["fields"]:
            column = doc.columns[field["name"]]
            assert field["type"] == types[column.data_type.split("(")[0]], (name, field["name"])
            assert field["description"] == column.description and field["description"], (name, field["name"])
            assert field.get("constraints", {}).get("required", False) == column.is_required
    by_name = resources(descriptor)
    assert by_name["funding_mix"]["schema"]["primaryKey"] == [
        "geography_code",
        "fiscal_year",
        "phase_code",
        "project_code",
    ]
    assert by_name["data_quality_findings"]["schema"]["primaryKey"] == ["sum_check_id"]
    assert by_name["dim_geography"]["schema"]["primaryKey"] == ["geography_code"]


def test_foreign_keys_are_declared_exactly_where_every_value_resolves(
    built_warehouse: Path, descriptor: dict[str, Any]
) -> None:
    by_name = resources(descriptor)
    declared = {
        (name, fk["fields"]): fk["reference"]
        for name, r in by_name.items()
        for fk in r["schema"].get("foreignKeys", [])
    }
    unresolved = {(name, u["field"]): u for name, r in by_name.items() for u in r.get("ntp:unresolvedKeys", [])}
    assert declared[("funding_mix", "geography_code")] == {"resource": "dim_geography", "fields": "geography_code"}
    assert declared[("funding_mix", "project_code")] == {
        "resource": "dim_program_component",
        "fields": "component_code",
    }
    assert declared[("yoy_change", "prior_phase_code")] == {"resource": "dim_plan_phase", "fields": "phase_code"}
    assert declared[("dim_program_component", "parent_component_code")]["resource"] == ""  # itself
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        for name, resource in by_name.items():
            layer = resource["ntp:layer"]
            for field in resource["schema"]["fields"]:
                key = key_of(field["name"])
                if key is None or (name in DIMENSIONS and field["name"] == resource["schema"]["primaryKey"][0]):
                    continue
                assert ((name, field["name"]) in declared) != ((name, field["name"]) in unresolved), field["name"]
                dimension = next(d for d in DIMENSIONS if by_name[d]["schema"]["primaryKey"] == [key])
                column = field["name"]
                missing = con.execute(
                    f'select count(*) from {layer}.{name} where "{column}" is not null and '
                    f'"{column}" not in (select {key} from core.{dimension})'
                ).fetchone()[0]
                assert (missing == 0) == ((name, field["name"]) in declared), (name, field["name"], missing)


def test_amounts_are_described_as_fiscal_measures(built_warehouse: Path, descriptor: dict[str, Any]) -> None:
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        phases = dict(con.execute("select phase_code, ofdp_budget_phase from core.dim_plan_phase").fetchall())
    assert phases["requested"] == "proposed" and phases["allocated"] == "approved"
    fields = {(r["name"], f["name"]): f for r in descriptor["resources"] for f in r["schema"]["fields"]}
    for key in (
        ("funding_mix", "central_budget"),
        ("cross_province_comparison", "amount"),
        ("data_quality_findings", "reported_amount_million_vnd"),
    ):
        field = fields[key]
        assert field["type"] == "number" and field["unit"] == "million" and field["currency"] == "VND", key
        assert field["ofdp"]["currency"] == "VND" and field["ofdp"]["factor"] == 1_000_000, key
    assert fields[("funding_mix", "central_budget")]["ofdp"]["budgetPhaseFields"] == ["phase_code"]
    assert fields[("funding_mix", "central_budget")]["ofdp"]["budgetPhases"] == phases
    assert fields[("yoy_change", "prior_year_amount")]["ofdp"]["budgetPhaseFields"] == ["prior_phase_code"]
    assert "unit" not in fields[("funding_mix", "share_central")]
    assert "unit" not in fields[("target_comparison", "low")]  # a target value, not money
    assert descriptor["ntp:budgetPhases"] == phases


def test_the_package_names_its_run_sources_and_licence(
    built_warehouse: Path, package: Path, descriptor: dict[str, Any]
) -> None:
    assert descriptor[RUN_ID_PROPERTY] == RUN_ID and package_run_id(package) == RUN_ID
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        documents = con.execute("select document_id, source_file from core.dim_document").fetchall()
    assert {(s["ntp:document_id"], s["ntp:sourceFile"]) for s in descriptor["sources"]} == {
        (d, f"documents/{f}") for d, f in documents
    }
    assert all(s["title"] for s in descriptor["sources"])
    assert descriptor["licenses"] and all(lic.get("name") and lic.get("title") for lic in descriptor["licenses"])


def test_a_code_unknown_to_its_dimension_fails_validation(package: Path, tmp_path: Path) -> None:
    broken = tmp_path / "datapackage"
    shutil.copytree(package.parent, broken)
    csv = broken / "data" / "funding_mix.csv"
    lines = csv.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    assert header[0] == "geography_code"
    lines[1] = "99999" + lines[1][lines[1].index(",") :]
    csv.write_text("".join(lines), encoding="utf-8")
    descriptor = json.loads((broken / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:  # keep the checksums true: the key alone must fail
        if resource["name"] == "funding_mix":
            resource["bytes"] = csv.stat().st_size
            resource["hash"] = "sha256:" + hashlib.sha256(csv.read_bytes()).hexdigest()
    (broken / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")

    report = frictionless.validate(str(broken / "datapackage.json"))
    assert not report.valid
    errors = [(task.name, error.type, error.row_number, error.note) for task in report.tasks for error in task.errors]
    assert [e[:3] for e in errors] == [("funding_mix", "foreign-key", 2)]
    assert '"99999"' in errors[0][3] and "dim_geography" in errors[0][3]
    result = frictionless_cli(broken / "datapackage.json")
    assert result.returncode != 0 and "foreign-key" in result.stdout
