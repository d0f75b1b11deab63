"""The release's open-data package: every mart and its dimensions as CSV with a Frictionless descriptor.

Open-data portals, R and pandas users, and anyone without a DuckDB driver read a Frictionless Data
Package (``datapackage/datapackage.json`` plus ``data/*.csv``): plain UTF-8 CSV, each with a Table
Schema saying what every column means and how it is typed, so the files can be validated
(``frictionless validate datapackage.json``) and joined without guessing.

What the descriptor holds, and where it comes from:

* **Resources**: one per table of schema ``marts`` and one per conformed dimension of ``core``
  (:data:`DIMENSIONS`), so that every foreign key of a mart resolves inside the package. Each CSV
  is written by DuckDB (``copy ... (header, delimiter ',')``) in the order of its grain, with its
  byte count and SHA-256 so a downloader can check it.
* **Table Schemas** from the dbt YAML, never retyped: field types from ``data_type``
  (:data:`FIELD_TYPES`), descriptions, ``required`` for ``not_null`` columns, ``primaryKey`` from the
  grain (the model's ``unique_combination_of_columns`` test, else its ``unique`` column).
* **foreignKeys** to the dimension resources where a column names a dimension key
  (:data:`DIMENSION_KEYS`; also as a suffix, ``prior_phase_code``, ``result_document_id``, and
  through :data:`KEY_ALIASES`, ``project_code`` → ``component_code``) *and* every non-null value
  resolves in that dimension, checked on this run's data. A candidate that does not resolve (a
  mart's ``document_id`` naming several documents as ``a|b``; ``yoy_change.funding_source_code``
  with the total ``ALL``) is not declared but listed under the resource's ``ntp:unresolvedKeys``
  with a few of its values: a declared key is always true and a missing one is explained.
* **Measures** in the spirit of the Open Fiscal Data Package: an amount field (``million VND``)
  carries ``unit: million``, ``currency: VND`` and ``ofdp`` (currency, factor, direction and the
  field holding its budget phase, with the phase → OFDP budget phase mapping of
  ``core.dim_plan_phase``: requested → proposed, allocated → approved, disbursed → executed, ...).
* **Provenance**: the run id (``ntp:run_id``), the source documents (``sources``, from
  ``core.dim_document``) and the licence statement (:data:`LICENSES`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from ntp_poverty.common.duckdb_connection import connect
from ntp_poverty.publish.excel import (
    MARTS_YAML_DIR,
    ColumnDoc,
    ModelDoc,
    WorkbookError,
    column_kind,
    list_marts,
    order_by,
    read_model_docs,
    table_columns,
    yaml_files,
)
from ntp_poverty.publish.releases import ReleaseError

DESCRIPTOR_NAME = "datapackage.json"
DATA_DIR = "data"
CORE_YAML_DIR = Path("models") / "core"
RUN_ID_PROPERTY = "ntp:run_id"

#: The conformed dimensions published beside the marts, so that the marts' keys resolve.
DIMENSIONS: tuple[str, ...] = (
    "dim_geography",
    "dim_program_component",
    "dim_funding_source",
    "dim_capital_type",
    "dim_plan_phase",
    "dim_document",
    "dim_indicator",
)
#: Dimension key → the dimension resource it identifies.
DIMENSION_KEYS: dict[str, str] = {
    "geography_code": "dim_geography",
    "component_code": "dim_program_component",
    "funding_source_code": "dim_funding_source",
    "capital_type_code": "dim_capital_type",
    "phase_code": "dim_plan_phase",
    "document_id": "dim_document",
    "indicator_code": "dim_indicator",
}
#: Column names (or suffixes) holding a dimension key under another name.
KEY_ALIASES: dict[str, str] = {"project_code": "component_code", "province_code": "geography_code"}
#: dbt ``data_type`` (without its precision) → Table Schema field type.
FIELD_TYPES: dict[str, str] = {
    "varchar": "string",
    "text": "string",
    "integer": "integer",
    "bigint": "integer",
    "smallint": "integer",
    "decimal": "number",
    "numeric": "number",
    "double": "number",
    "float": "number",
    "boolean": "boolean",
    "date": "date",
    "timestamp": "datetime",
}
#: The source documents are provincial and district plans, decisions and a government news item:
#: legal/administrative documents and news of the day, which Vietnam's Law on Intellectual Property
#: (Article 15) excludes from copyright protection. The licence of the compiled warehouse is the
#: project owner's to state; until then the package states the status of its sources.
LICENSES: list[dict[str, str]] = [
    {
        "name": "other-pd",
        "path": "https://opendefinition.org/licenses/other-pd/",
        "title": "Source documents: Vietnamese state legal/administrative documents and news of the day, not "
        "protected by copyright (Law on Intellectual Property No. 50/2005/QH11, Article 15)",
    }
]
MAX_EXAMPLES = 5


class DataPackageError(ReleaseError):
    """The data package cannot be written; the message names the file, resource and column."""


@dataclass(frozen=True)
class Table:
    """One published table: its schema in the warehouse, its dbt documentation and its columns."""

    schema: str
    doc: ModelDoc
    columns: list[ColumnDoc]

    @property
    def name(self) -> str:
        return self.doc.name

    @property
    def relation(self) -> str:
        return f"{self.schema}.{self.doc.name}"


def field_type(table: Table, column: ColumnDoc) -> str:
    """The Table Schema type of a column, from its dbt ``data_type``."""
    base = column.data_type.lower().split("(")[0].strip()
    try:
        return FIELD_TYPES[base]
    except KeyError:
        raise DataPackageError(
            f"{table.doc.source}: {table.relation}.{column.name}: data_type "
            f"{column.data_type!r} has no Table Schema type"
        ) from None


def key_of(column: str) -> str | None:
    """The dimension key a column holds, by name, alias or suffix (``prior_phase_code``), or None."""
    for key in (*DIMENSION_KEYS, *KEY_ALIASES):
        if column == key or column.endswith("_" + key):
            return KEY_ALIASES.get(key, key)
    return None


def phase_fields(column: str, fields: list[str]) -> list[str]:
    """The fields holding the budget phase of an amount column (empty when the table has none)."""
    if column.startswith("prior_") and "prior_phase_code" in fields:
        return ["prior_phase_code"]
    if "change" in column and {"phase_code", "prior_phase_code"} <= set(fields):
        return ["phase_code", "prior_phase_code"]
    return ["phase_code"] if "phase_code" in fields else []


def _field(table: Table, column: ColumnDoc, names: list[str], phases: dict[str, str]) -> dict[str, Any]:
    spec: dict[str, Any] = {"name": column.name, "type": field_type(table, column), "description": column.description}
    if column.is_required:
        spec["constraints"] = {"required": True}
    try:
        kind = column_kind(column)
    except WorkbookError:
        kind = "other"
    if kind == "amount":
        found = phase_fields(column.name, names)
        spec.update(unit="million", currency="VND")
        spec["ofdp"] = {
            "measure": True,
            "currency": "VND",
            "factor": 1_000_000,
            "direction": "expenditure",
            "budgetPhaseFields": found,
            "budgetPhases": phases if found else {},
            **({} if found else {"note": "the budget phase is the one of the printed line (see source_line)"}),
        }
    return spec


def _foreign_keys(
    con: duckdb.DuckDBPyConnection, table: Table, dimensions: dict[str, Table]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Declared foreign keys (every value resolves) and the candidates that do not resolve."""
    declared, unresolved = [], []
    for column in table.columns:
        key = key_of(column.name)
        if key is None:
            continue
        dimension = dimensions[DIMENSION_KEYS[key]]
        if dimension.name == table.name and column.name == key:
            continue  # the dimension's own primary key
        missing = con.execute(
            f'select count(*), list(distinct "{column.name}" order by "{column.name}")[1:{MAX_EXAMPLES}] '
            f'from {table.relation} where "{column.name}" is not null and "{column.name}" not in '
            f'(select "{key}" from {dimension.relation} where "{key}" is not null)'
        ).fetchone()
        reference = {"resource": "" if dimension.name == table.name else dimension.name, "fields": key}
        if missing[0] == 0:
            declared.append({"fields": column.name, "reference": reference})
        else:
            unresolved.append(
                {
                    "field": column.name,
                    "reference": {"resource": dimension.name, "fields": key},
                    "unresolvedRows": missing[0],
                    "examples": list(missing[1]),
                }
            )
    return declared, unresolved


def _export_csv(con: duckdb.DuckDBPyConnection, table: Table, path: Path) -> None:
    names = ", ".join(f'"{c.name}"' for c in table.columns)
    quoted = str(path).replace("'", "''")
    con.execute(
        f"copy (select {names} from {table.relation} order by {order_by(table.doc)}) "
        f"to '{quoted}' (header, delimiter ',', quote '\"', escape '\"')"
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _resource(
    con: duckdb.DuckDBPyConnection, table: Table, folder: Path, dimensions: dict[str, Table], phases: dict[str, str]
) -> dict[str, Any]:
    relative = f"{DATA_DIR}/{table.name}.csv"
    path = folder / relative
    _export_csv(con, table, path)
    names = [c.name for c in table.columns]
    schema: dict[str, Any] = {"fields": [_field(table, c, names, phases) for c in table.columns], "missingValues": [""]}
    if table.doc.grain:
        schema["primaryKey"] = list(table.doc.grain)
    declared, unresolved = _foreign_keys(con, table, dimensions)
    if declared:
        schema["foreignKeys"] = declared
    resource: dict[str, Any] = {
        "name": table.name,
        "path": relative,
        "profile": "tabular-data-resource",
        "title": f"{table.relation}",
        "description": table.doc.description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "header": True},
        "bytes": path.stat().st_size,
        "hash": f"sha256:{_sha256(path)}",
        "schema": schema,
        "ntp:layer": table.schema,
    }
    if unresolved:
        resource["ntp:unresolvedKeys"] = unresolved
    return resource


def _table(con: duckdb.DuckDBPyConnection, schema: str, doc: ModelDoc) -> Table:
    names = table_columns(con, schema, doc.name)
    if not names:
        raise DataPackageError(f"{schema}.{doc.name}: no such table in the warehouse")
    try:
        return Table(schema=schema, doc=doc, columns=[doc.column(name) for name in names])
    except WorkbookError as exc:
        raise DataPackageError(str(exc)) from None


def _sources(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    rows = con.execute(
        "select document_id, title_vi, issuer_vi, document_type_vi, number_printed, date_printed, "
        "status, source_file from core.dim_document order by status_precedence, document_id"
    ).fetchall()
    sources = []
    for document_id, title, issuer, kind, number, date, status, source_file in rows:
        printed = ", ".join(part for part in (kind, number, date, issuer) if part)
        # not "path": the documents stay in the project repository, not in the package
        sources.append(
            {
                "title": f"{title} ({printed})",
                "ntp:document_id": document_id,
                "ntp:status": status,
                "ntp:sourceFile": f"documents/{source_file}",
            }
        )
    return sources


def write_datapackage(database: Path, target: Path, run_id: str, project_dir: Path) -> Path:
    """Write ``target/datapackage.json`` and ``target/data/*.csv`` from ``database``; return the descriptor."""
    try:
        marts_docs = read_model_docs(yaml_files(project_dir, MARTS_YAML_DIR))
        core_docs = read_model_docs(yaml_files(project_dir, CORE_YAML_DIR))
    except WorkbookError as exc:
        raise DataPackageError(str(exc)) from None
    (target / DATA_DIR).mkdir(parents=True, exist_ok=True)
    descriptor_path = target / DESCRIPTOR_NAME
    with connect(database) as con:
        for name in DIMENSIONS:
            if name not in core_docs:
                raise DataPackageError(f"{project_dir / CORE_YAML_DIR}: no dbt YAML entry for core.{name}")
        dimensions = {name: _table(con, "core", core_docs[name]) for name in DIMENSIONS}
        mart_names = list_marts(con)
        missing = [name for name in mart_names if name not in marts_docs]
        if missing:
            raise DataPackageError(
                f"{project_dir / MARTS_YAML_DIR}: marts without a dbt YAML entry: {', '.join(missing)}"
            )
        marts = [_table(con, "marts", marts_docs[name]) for name in mart_names]
        phases = dict(
            con.execute("select phase_code, ofdp_budget_phase from core.dim_plan_phase order by sort_order").fetchall()
        )
        built_at = con.execute("select max(built_at) from audit.warehouse_build").fetchone()[0]
        resources = [_resource(con, table, target, dimensions, phases) for table in (*marts, *dimensions.values())]
        sources = _sources(con)
    descriptor = {
        "profile": "tabular-data-package",
        "name": "ntp-poverty",
        "title": "Chương trình MTQG giảm nghèo bền vững 2021–2025: kế hoạch / Vietnam National Target Program "
        "for Sustainable Poverty Reduction: plan data",
        "description": "Provincial and district plan documents of the National Target Program for Sustainable "
        "Poverty Reduction (Decision 90/QĐ-TTg), transcribed line by line with provenance and "
        "checked (every printed total against its parts). Amounts in million VND. Resources: "
        "the analyst marts and the conformed dimensions their keys refer to.",
        "keywords": ["Vietnam", "poverty reduction", "budget", "NTP", "giảm nghèo", "ngân sách"],
        RUN_ID_PROPERTY: run_id,
        "ntp:built_at": built_at.isoformat() if built_at else None,
        "ntp:budgetPhases": phases,
        "licenses": LICENSES,
        "sources": sources,
        "resources": resources,
    }
    descriptor_path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return descriptor_path


def package_run_id(descriptor: Path) -> str | None:
    """The run id a published package carries."""
    return json.loads(descriptor.read_text(encoding="utf-8")).get(RUN_ID_PROPERTY)
