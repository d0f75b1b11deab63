"""Validate the marts with Great Expectations, on pandas DataFrames read from the DuckDB file.

GX's SQL datasource does not work with DuckDB, so each mart is read read-only into pandas
(decimals as floats, for validation only) and validated by its validation definition: one expectation
suite per mart, generated from the mart's dbt YAML, which declares each dataset once (the contract's
columns and data types, the grain and not-null columns, ``accepted_range`` tests as ranges and
``expression_is_true`` tests as identities, evaluated by DuckDB on the published rows). So the suite
re-proves on the file readers open what dbt proved in the build, and a check added to the YAML is
checked here too. Data Docs HTML is written under ``<warehouse dir>/data_docs``. Exits 1 on any
violation, naming the mart and the failed expectations.

Usage: ``ntp validate marts [WAREHOUSE]`` (default: $NTP_WAREHOUSE).
"""

from __future__ import annotations

import argparse
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import great_expectations as gx
import pandas as pd
import pyarrow as pa
from great_expectations import expectations as gxe
from great_expectations.data_context.types.base import ProgressBarsConfig

from ntp_poverty.common.arguments import existing_file
from ntp_poverty.common.child_process import in_child
from ntp_poverty.common.duckdb_connection import connect
from ntp_poverty.common.reporting import report
from ntp_poverty.project import project_dir
from ntp_poverty.publish.excel import MARTS_YAML_DIR, ModelDoc, read_model_docs, yaml_files


@dataclass(frozen=True)
class MartSpec:
    """What one published mart must satisfy, as its dbt YAML declares it (:func:`mart_specs`)."""

    grain: tuple[str, ...]
    columns: dict[str, str]  # column -> kind: "str", "int", "float", "bool", "date" (from the contract)
    required: tuple[str, ...]  # grain, not_null tests and not_null constraints
    ranges: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)
    # check column -> DuckDB expression true on every row (an expression_is_true test and its where)
    identities: dict[str, str] = field(default_factory=dict)


#: The contract's data types as the kinds the type expectations know (:data:`KIND_DTYPES`).
TYPE_KINDS = {
    "varchar": "str",
    "text": "str",
    "string": "str",
    "integer": "int",
    "bigint": "int",
    "smallint": "int",
    "double": "float",
    "float": "float",
    "boolean": "bool",
    "date": "date",
}


class SpecError(ValueError):
    """A mart's dbt YAML cannot give a suite (no contract, an unknown data type); names the file."""


def kind_of(data_type: str) -> str | None:
    """The kind of a contract data type (decimals are read as floats), or None if unknown."""
    data_type = data_type.lower().replace(" ", "")
    if data_type.startswith(("decimal", "numeric")):
        return "float"
    return TYPE_KINDS.get(data_type)


def identity_sql(expression: str, where: str | None) -> str:
    """A boolean column that is true exactly where dbt's ``expression_is_true`` test passes: a row
    the test's ``where`` leaves out passes, a null expression fails (macros/tests/expression_is_true.sql)."""
    holds = f"coalesce(({expression}), false)"
    return f"(case when coalesce(({where}), false) then {holds} else true end)" if where else holds


def mart_spec(doc: ModelDoc) -> MartSpec:
    """The suite's declaration for one mart, from its dbt YAML: contract columns and types, grain,
    not-null columns, ``accepted_range`` tests and ``expression_is_true`` tests."""
    if not doc.contract_enforced:
        raise SpecError(f"{doc.source}: mart {doc.name} has no enforced contract to validate against")
    columns: dict[str, str] = {}
    for column in doc.columns.values():
        kind = kind_of(column.data_type)
        if kind is None:
            raise SpecError(f"{doc.source}: {doc.name}.{column.name}: data_type {column.data_type!r} has no kind")
        columns[column.name] = kind
    if not doc.grain:
        raise SpecError(f"{doc.source}: mart {doc.name} declares no grain (unique_combination_of_columns)")
    required = [*doc.grain, *(c.name for c in doc.columns.values() if c.is_required and c.name not in doc.grain)]
    identities = {
        f"check: {expression}" + (f" where {where}" if where else ""): identity_sql(expression, where)
        for expression, where in doc.expressions
    }
    return MartSpec(
        grain=doc.grain,
        columns=columns,
        required=tuple(required),
        ranges={c.name: c.value_range for c in doc.columns.values() if c.value_range is not None},
        identities=identities,
    )


def mart_specs(project_dir: Path, marts: list[str] | None = None) -> dict[str, MartSpec]:
    """Every mart's suite declaration from the marts' dbt YAML (models/marts/*.yml): one declaration
    per dataset, read here, by the workbook and by the data package. ``marts`` limits them to the
    published ones; a published mart without a YAML entry is an error."""
    docs = read_model_docs(yaml_files(project_dir, MARTS_YAML_DIR))
    names = sorted(docs) if marts is None else marts
    missing = [name for name in names if name not in docs]
    if missing:
        raise SpecError(f"{project_dir / MARTS_YAML_DIR}: marts without a dbt YAML entry: {', '.join(missing)}")
    return {name: mart_spec(docs[name]) for name in names}


# Nullable integers and booleans (a column with nulls, e.g. result_source_line) are pandas extension
# dtypes, which GX recognises by their class names (Int32Dtype, BooleanDtype), not "Int32"/"boolean".
# Arrow types read as pandas' nullable dtypes, so that a column with nulls keeps its kind
ARROW_DTYPES = {
    pa.int8(): pd.Int8Dtype(),
    pa.int16(): pd.Int16Dtype(),
    pa.int32(): pd.Int32Dtype(),
    pa.int64(): pd.Int64Dtype(),
    pa.bool_(): pd.BooleanDtype(),
}
KIND_DTYPES = {
    "str": ["StringDtype"],
    "int": ["int32", "int64", "Int32", "Int64", "Int32Dtype", "Int64Dtype"],
    "float": ["float64", "Float64"],
    "bool": ["bool", "boolean", "BooleanDtype"],
    "date": ["datetime64[ms]", "datetime64[us]", "datetime64[ns]"],
}


def published_marts(warehouse: Path) -> list[str]:
    """The tables of schema ``marts`` in the warehouse file, by name."""
    with connect(warehouse) as con:
        rows = con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
        ).fetchall()
    return [name for (name,) in rows]


def read_mart(warehouse: Path, name: str, spec: MartSpec) -> pd.DataFrame:
    """Read one mart read-only, with one boolean ``check: ...`` column per identity of its spec
    computed by DuckDB (the expressions are the dbt tests' SQL); decimals become floats (validation only).

    Through Arrow, with the decimals cast to double by DuckDB: at national scale (millions of mart
    rows) this is several times faster than DuckDB's own DataFrame conversion. Integer and boolean
    columns become pandas' nullable dtypes (Int32, boolean), text ``pd.StringDtype()``, which the
    type expectations name (:data:`KIND_DTYPES`)."""
    with connect(warehouse) as con:
        relation = con.sql(f"select * from marts.{name}")
        columns = [
            f'cast("{column}" as double) as "{column}"' if str(kind).startswith("DECIMAL") else f'"{column}"'
            for column, kind in zip(relation.columns, relation.types)
        ]
        columns += [f'{sql} as "{check}"' for check, sql in spec.identities.items()]
        table = con.sql(f"select {', '.join(columns)} from marts.{name}").to_arrow_table()
    frame = table.to_pandas(types_mapper=ARROW_DTYPES.get, date_as_object=False)
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.StringDtype):
            # pandas 3 reads text as StringDtype(na_value=nan); GX's type check compares against
            # pd.StringDtype(), so the column is given exactly that dtype
            frame[column] = frame[column].astype(pd.StringDtype())
    return frame


def build_suite(name: str, spec: MartSpec) -> gx.ExpectationSuite:
    """The expectation suite of one mart, built in one go: ``add_expectation`` on a suite looks up
    the context's expectations store each time (a YAML read), which cost 2 s for the eight marts."""
    expectations: list[gxe.Expectation] = [
        gxe.ExpectTableColumnsToMatchSet(column_set=[*spec.columns, *spec.identities], exact_match=True)
    ]
    expectations += [
        gxe.ExpectColumnValuesToBeInTypeList(column=column, type_list=KIND_DTYPES[kind])
        for column, kind in spec.columns.items()
    ]
    expectations += [gxe.ExpectColumnValuesToNotBeNull(column=column) for column in spec.required]
    if len(spec.grain) > 1:
        expectations.append(gxe.ExpectCompoundColumnsToBeUnique(column_list=list(spec.grain)))
    else:
        expectations.append(gxe.ExpectColumnValuesToBeUnique(column=spec.grain[0]))
    expectations += [
        gxe.ExpectColumnValuesToBeBetween(column=column, min_value=low, max_value=high)
        for column, (low, high) in spec.ranges.items()
    ]
    expectations += [gxe.ExpectColumnValuesToBeInSet(column=check, value_set=[True]) for check in spec.identities]
    expectations.append(gxe.ExpectTableRowCountToBeBetween(min_value=1))
    return gx.ExpectationSuite(name=f"{name}_suite", expectations=expectations)


def validate(warehouse: Path, docs_dir: Path, project: Path | None = None) -> list[str]:
    """Validate every mart against its suite (from the dbt YAML of ``project``, default the
    project's); write Data Docs; return failure messages. The marts are read and validated in a child
    process (ntp_poverty.common.child_process): their memory leaves with it."""
    return in_child(_validate, warehouse, docs_dir, project or project_dir())


def _validate(warehouse: Path, docs_dir: Path, project: Path) -> list[str]:
    failures: list[str] = []
    specs = mart_specs(project, published_marts(warehouse))
    # in memory: the suites and results live as long as this step; Data Docs go to docs_dir
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    context.add_data_docs_site(
        site_name="ntp_poverty",
        site_config={
            "class_name": "SiteBuilder",
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(docs_dir.resolve()),
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        },
    )
    source = context.data_sources.add_pandas(name="marts")
    for name, spec in specs.items():
        frame = read_mart(warehouse, name, spec)
        batch = source.add_dataframe_asset(name=name).add_batch_definition_whole_dataframe(f"{name}_all")
        suite = context.suites.add(build_suite(name, spec))
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=f"{name}_validation", data=batch, suite=suite)
        )
        # the validation definition runs itself and stores its result for Data Docs: a
        # checkpoint around it only added bookkeeping (7.9 s against 6.9 s with the in-memory context)
        result = definition.run(batch_parameters={"dataframe": frame})
        for outcome in result.results:
            if not outcome.success:
                cfg = outcome.expectation_config
                failures.append(f"marts.{name}: {cfg.type} {dict(cfg.kwargs)} failed")
    # the site is built once from every stored result (an update action per checkpoint rebuilt
    # every page eight times)
    context.build_data_docs(site_names=["ntp_poverty"])
    return failures


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``ntp validate marts [WAREHOUSE]``."""
    parser.add_argument(
        "warehouse",
        nargs="?",
        type=existing_file,
        default=os.environ.get("NTP_WAREHOUSE", "warehouse/ntp_poverty.duckdb"),
        help="DuckDB file (default: $NTP_WAREHOUSE or warehouse/ntp_poverty.duckdb)",
    )


def run(args: argparse.Namespace) -> int:
    """Validate the marts; Data Docs beside the warehouse file; exit 1 if an expectation fails."""
    warehouse = Path(args.warehouse)
    docs_dir = warehouse.parent / "data_docs"
    shutil.rmtree(docs_dir, ignore_errors=True)
    failures = validate(warehouse, docs_dir)
    return report(
        failures,
        f"Great Expectations: {len(failures)} expectation(s) failed",
        f"Great Expectations: all mart suites passed; Data Docs in {docs_dir}/index.html",
    )
