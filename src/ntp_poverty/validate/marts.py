"""Validate the marts with Great Expectations, on pandas DataFrames read from the DuckDB file.

GX's SQL datasource does not work with DuckDB, so each mart is read read-only into pandas
(decimals as floats, for validation only) and validated by its validation definition: one expectation
suite per mart (columns and types, non-null keys, unique grain, ranges, shares in 0-1, sum
identities). Data Docs HTML is written under ``<warehouse dir>/data_docs``. Exits 1 on any
violation, naming the mart and the failed expectations.

Usage: ``ntp validate marts [WAREHOUSE]`` (default: $NTP_WAREHOUSE).
"""

from __future__ import annotations

import argparse
import os
import shutil
from collections.abc import Callable
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


@dataclass(frozen=True)
class MartSpec:
    """What one mart must satisfy."""

    grain: list[str]
    columns: dict[str, str]  # column -> pandas dtype kind: "str", "int", "float", "bool", "date"
    ranges: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)
    # name -> function of the DataFrame giving, per row, a gap that must be 0
    identities: dict[str, Callable[[pd.DataFrame], pd.Series]] = field(default_factory=dict)


MONEY = "float"
SPECS: dict[str, MartSpec] = {
    "funding_mix": MartSpec(
        grain=["geography_code", "fiscal_year", "phase_code", "project_code"],
        columns={
            "geography_code": "str",
            "phase_code": "str",
            "project_code": "str",
            "document_id": "str",
            "geography_name_vi": "str",
            "admin_level": "str",
            "fiscal_year": "int",
            "central_budget": MONEY,
            "local_budget": MONEY,
            "other_mobilized": MONEY,
            "unspecified_source": MONEY,
            "total_funding": MONEY,
            "policy_credit": MONEY,
            "development_investment": MONEY,
            "recurrent": MONEY,
            "unspecified_capital": MONEY,
            "n_source_findings": "int",
            "share_central": "float",
            "share_local": "float",
            "share_other": "float",
            "share_unspecified": "float",
            "counterpart_ratio": "float",
        },
        ranges={
            "share_central": (0, 1),
            "share_local": (0, 1),
            "share_other": (0, 1),
            "share_unspecified": (0, 1),
            "central_budget": (0, None),
            "local_budget": (0, None),
            "other_mobilized": (0, None),
            "unspecified_source": (0, None),
            "total_funding": (0, None),
            "policy_credit": (0, None),
            "counterpart_ratio": (0, None),
        },
        identities={
            "total_is_sum_of_sources": lambda f: (
                f.total_funding - f.central_budget - f.local_budget - f.other_mobilized - f.unspecified_source
            ),
            "total_is_sum_of_capital_types": lambda f: (
                f.total_funding - f.development_investment - f.recurrent - f.unspecified_capital
            ),
            "shares_sum_to_one": lambda f: (
                (f.share_central + f.share_local + f.share_other + f.share_unspecified - 1)
                .where(f.total_funding > 0, 0)
                .round(9)
            ),
        },
    ),
    "cross_province_comparison": MartSpec(
        grain=["fiscal_year", "phase_code", "component_code", "geography_code"],
        columns={
            "fiscal_year": "int",
            "phase_code": "str",
            "component_code": "str",
            "geography_code": "str",
            "document_id": "str",
            "geography_name_vi": "str",
            "admin_level": "str",
            "amount": MONEY,
            "share_of_geography_total": "float",
            "rank_in_admin_level": "int",
            "n_geographies_compared": "int",
            "ratio_to_mean": "float",
            "mixes_territory_versions": "bool",
        },
        ranges={"share_of_geography_total": (0, 1), "rank_in_admin_level": (1, None), "amount": (0, None)},
        identities={
            "rank_within_partition": lambda f: (f.rank_in_admin_level > f.n_geographies_compared).astype("int64")
        },
    ),
    "period_amounts": MartSpec(
        grain=[
            "geography_code",
            "period_start_year",
            "period_end_year",
            "phase_code",
            "component_code",
            "funding_source_code",
            "capital_type_code",
            "amount_origin",
        ],
        columns={
            "geography_code": "str",
            "phase_code": "str",
            "component_code": "str",
            "funding_source_code": "str",
            "capital_type_code": "str",
            "document_id": "str",
            "amount_origin": "str",
            "geography_name_vi": "str",
            "period_start_year": "int",
            "period_end_year": "int",
            "n_years_with_amounts": "int",
            "amount_million_vnd": MONEY,
            "share_of_period_total": "float",
        },
        ranges={"share_of_period_total": (0, 1), "amount_million_vnd": (0, None)},
        identities={
            "years_within_the_period": lambda f: (
                (f.n_years_with_amounts > f.period_end_year - f.period_start_year + 1).fillna(False).astype("int64")
            ),
        },
    ),
    "execution_progress": MartSpec(
        grain=[
            "geography_code",
            "period_start_year",
            "period_end_year",
            "as_of_date",
            "phase_code",
            "component_code",
            "funding_source_code",
            "capital_type_code",
        ],
        columns={
            "plan_amount_id": "str",
            "geography_code": "str",
            "phase_code": "str",
            "component_code": "str",
            "funding_source_code": "str",
            "capital_type_code": "str",
            "document_id": "str",
            "allocation_document_id": "str",
            "geography_name_vi": "str",
            "allocation_origin": "str",
            "period_start_year": "int",
            "period_end_year": "int",
            "amount_to_date_million_vnd": MONEY,
            "allocated_million_vnd": MONEY,
            "execution_rate": "float",
            "as_of_date": "date",
        },
        ranges={"amount_to_date_million_vnd": (0, None), "execution_rate": (0, None)},
        identities={
            # a rate exactly when an allocation is known (and not 0)
            "rate_with_its_allocation": lambda f: (
                f.execution_rate.notna() & (f.allocated_million_vnd.isna() | (f.allocated_million_vnd == 0))
            ).astype("int64"),
        },
    ),
    "yoy_change": MartSpec(
        grain=["geography_code", "component_code", "funding_source_code", "fiscal_year"],
        columns={
            "geography_code": "str",
            "component_code": "str",
            "funding_source_code": "str",
            "phase_code": "str",
            "prior_phase_code": "str",
            "document_id": "str",
            "fiscal_year": "int",
            "amount": MONEY,
            "prior_year_amount": MONEY,
            "abs_change": MONEY,
            "pct_change": "float",
            "is_like_for_like": "bool",
            "is_new_territory_version": "bool",
        },
        ranges={"amount": (0, None)},
        identities={"abs_change_is_difference": lambda f: (f.abs_change - (f.amount - f.prior_year_amount)).fillna(0)},
    ),
    "target_comparison": MartSpec(
        grain=["indicator_code", "geography_code", "target_year"],
        columns={
            "indicator_code": "str",
            "geography_code": "str",
            "document_id": "str",
            "target_id": "str",
            "comparator": "str",
            "unit": "str",
            "conflicting_values": "str",
            "conflicting_document_ids": "str",
            "target_year": "int",
            "low": MONEY,
            "high": MONEY,
            "has_conflict": "bool",
        },
        identities={"low_not_above_high": lambda f: (f.low > f.high).astype("int64")},
    ),
    "data_quality_findings": MartSpec(
        grain=["sum_check_id"],
        columns={
            "sum_check_id": "str",
            "check_code": "str",
            "document_id": "str",
            "geography_code": "str",
            "component_code": "str",
            "phase_code": "str",
            "classification": "str",
            "document_title_vi": "str",
            "geography_name_vi": "str",
            "locator": "str",
            "source_file": "str",
            "source_text": "str",
            "parts_detail": "str",
            "acknowledgment_note": "str",
            "source_line": "int",
            "period_start_year": "int",
            "period_end_year": "int",
            "reported_amount_million_vnd": MONEY,
            "computed_amount_million_vnd": MONEY,
            "difference_million_vnd": MONEY,
            "is_acknowledged": "bool",
        },
        ranges={"source_line": (1, None)},
        identities={
            "difference_is_reported_minus_computed": lambda f: (
                f.difference_million_vnd - (f.reported_amount_million_vnd - f.computed_amount_million_vnd)
            ).round(3),
            "mismatches_are_acknowledged": lambda f: (
                f.classification.isin(["arithmetic_mismatch", "percentage_mismatch"]) & ~f.is_acknowledged
            ).astype("int64"),
        },
    ),
    "document_reconciliation": MartSpec(
        grain=["document_id", "phase_code"],
        columns={
            "document_id": "str",
            "phase_code": "str",
            "geography_code": "str",
            "document_title_vi": "str",
            "status": "str",
            "total_funding_sources": "str",
            "n_leaf_amounts": "int",
            "n_printed_totals": "int",
            "n_comparisons": "int",
            "n_arithmetic_mismatches": "int",
            "n_acknowledged_mismatches": "int",
            "n_incomplete_breakdowns": "int",
            "n_unitemised_totals": "int",
            "leaf_total_million_vnd": MONEY,
            "mismatch_amount_million_vnd": MONEY,
            "unitemised_amount_million_vnd": MONEY,
        },
        ranges={"n_leaf_amounts": (1, None), "mismatch_amount_million_vnd": (0, None)},
        identities={
            "acknowledged_within_mismatches": lambda f: (
                f.n_acknowledged_mismatches > f.n_arithmetic_mismatches
            ).astype("int64")
        },
    ),
    "target_attainment": MartSpec(
        grain=["target_id", "target_year"],
        columns={
            "target_id": "str",
            "indicator_code": "str",
            "geography_code": "str",
            "document_id": "str",
            "result_id": "str",
            "comparator": "str",
            "target_unit": "str",
            "measure_unit": "str",
            "result_kind": "str",
            "result_comparator": "str",
            "result_document_id": "str",
            "result_basis": "str",
            "attainment_status": "str",
            "target_year": "int",
            "target_year_start": "int",
            "target_year_end": "int",
            "target_low": "float",
            "target_high": "float",
            "result_value": "float",
            "attainment_ratio": "float",
            "n_candidate_results": "int",
            "target_source_line": "int",
            "result_source_line": "int",
            "is_per_year": "bool",
            "is_due_in_year": "bool",
            "is_lower_better": "bool",
            "result_is_year_to_date": "bool",
            "is_met": "bool",
        },
        ranges={
            "n_candidate_results": (0, None),
            "target_source_line": (1, None),
            "result_source_line": (1, None),
            "target_year": (2000, 2100),
        },
        identities={
            "low_not_above_high": lambda f: (f.target_low > f.target_high).astype("int64"),
            "year_within_target_period": lambda f: (
                (f.target_year < f.target_year_start) | (f.target_year > f.target_year_end)
            ).astype("int64"),
            "met_flag_only_when_settled": lambda f: (
                f.is_met.notna() != f.attainment_status.isin(["met", "not_met"])
            ).astype("int64"),
            "result_for_every_status_but_no_result": lambda f: (
                (f.attainment_status == "no_result") & f.result_value.notna()
            ).astype("int64"),
        },
    ),
    "poverty_rate_series": MartSpec(
        grain=["geography_code", "reference_year", "value_kind"],
        columns={
            "geography_code": "str",
            "poverty_rate_source_id": "str",
            "poverty_rate_reduction_source_id": "str",
            "poor_households_source_id": "str",
            "value_kind": "str",
            "geography_name_vi": "str",
            "admin_level": "str",
            "poverty_rate_comparator": "str",
            "poverty_rate_document_id": "str",
            "poverty_rate_reduction_comparator": "str",
            "poverty_rate_reduction_document_id": "str",
            "poor_households_document_id": "str",
            "reference_year": "int",
            "poverty_rate": "float",
            "poverty_rate_high": "float",
            "poverty_rate_source_line": "int",
            "poverty_rate_reduction_pp": "float",
            "poverty_rate_reduction_pp_high": "float",
            "poverty_rate_reduction_source_line": "int",
            "poor_households_count": "float",
            "poor_households_source_line": "int",
            "n_values_printed": "int",
            "has_differing_values": "bool",
        },
        ranges={
            "poverty_rate": (0, 100),
            "poverty_rate_high": (0, 100),
            "poor_households_count": (0, None),
            "n_values_printed": (1, None),
            "reference_year": (2000, 2100),
        },
        identities={
            "some_value_present": lambda f: (
                f.poverty_rate.isna() & f.poverty_rate_reduction_pp.isna() & f.poor_households_count.isna()
            ).astype("int64"),
            "rate_has_its_line": lambda f: (f.poverty_rate.isna() != f.poverty_rate_source_line.isna()).astype("int64"),
        },
    ),
}
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


def read_mart(warehouse: Path, name: str) -> pd.DataFrame:
    """Read one mart read-only; decimals become floats (validation only).

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
        table = con.sql(f"select {', '.join(columns)} from marts.{name}").to_arrow_table()
    frame = table.to_pandas(types_mapper=ARROW_DTYPES.get, date_as_object=False)
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.StringDtype):
            # pandas 3 reads text as StringDtype(na_value=nan); GX's type check compares against
            # pd.StringDtype(), so the column is given exactly that dtype
            frame[column] = frame[column].astype(pd.StringDtype())
    return frame


def build_suite(name: str, spec: MartSpec, frame: pd.DataFrame) -> gx.ExpectationSuite:
    """The expectation suite of one mart, built in one go: ``add_expectation`` on a suite looks up
    the context's expectations store each time (a YAML read), which cost 2 s for the eight marts."""
    checks = [f"check_{check}" for check in spec.identities]
    expectations: list[gxe.Expectation] = [
        gxe.ExpectTableColumnsToMatchSet(column_set=[*spec.columns, *checks], exact_match=True)
    ]
    expectations += [
        gxe.ExpectColumnValuesToBeInTypeList(column=column, type_list=KIND_DTYPES[kind])
        for column, kind in spec.columns.items()
    ]
    expectations += [gxe.ExpectColumnValuesToNotBeNull(column=column) for column in spec.grain]
    if len(spec.grain) > 1:
        expectations.append(gxe.ExpectCompoundColumnsToBeUnique(column_list=spec.grain))
    else:
        expectations.append(gxe.ExpectColumnValuesToBeUnique(column=spec.grain[0]))
    expectations += [
        gxe.ExpectColumnValuesToBeBetween(column=column, min_value=low, max_value=high)
        for column, (low, high) in spec.ranges.items()
    ]
    expectations += [
        gxe.ExpectColumnValuesToBeBetween(column=f"check_{check}", min_value=0, max_value=0)
        for check in spec.identities
    ]
    expectations.append(gxe.ExpectTableRowCountToBeBetween(min_value=1))
    return gx.ExpectationSuite(name=f"{name}_suite", expectations=expectations)


def with_identity_columns(frame: pd.DataFrame, spec: MartSpec) -> pd.DataFrame:
    """Add one ``check_<identity>`` column per sum identity (0 = holds)."""
    out = frame.copy()
    for check, gap in spec.identities.items():
        # amounts are decimal(18,3) read as floats: a gap below half a thousandth is rounding, not a break
        out[f"check_{check}"] = gap(frame).round(3)
    return out


def validate(warehouse: Path, docs_dir: Path) -> list[str]:
    """Validate every mart against its suite; write Data Docs; return failure messages. The marts are read and
    validated in a child process (ntp_poverty.common.child_process): their memory leaves with it."""
    return in_child(_validate, warehouse, docs_dir)


def _validate(warehouse: Path, docs_dir: Path) -> list[str]:
    failures: list[str] = []
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
    for name, spec in SPECS.items():
        frame = with_identity_columns(read_mart(warehouse, name), spec)
        batch = source.add_dataframe_asset(name=name).add_batch_definition_whole_dataframe(f"{name}_all")
        suite = context.suites.add(build_suite(name, spec, frame))
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
