"""The line-item feed contract, in one place for the generator, the validator and the docs.

A feed is a folder of CSV or Parquet files partitioned as ``province=<code>/year=<yyyy>/*.csv`` (or
``*.parquet``), one row per line item of a reporting system's report, each report in one file.
dbt reads it through the source ``feeds`` (models/staging/feeds/_feeds__sources.yml) from the
folder named by ``NTP_FEEDS``; feeds/README.md explains every column.
"""

from __future__ import annotations

import os
from pathlib import Path

#: Columns of a line item, in the order the generator writes them (files may order them otherwise).
COLUMNS: tuple[str, ...] = (
    "report_id",
    "row_number",
    "geography_code",
    "geography_level",
    "fiscal_year",
    "period_month",
    "component_code",
    "funding_source_code",
    "capital_type_code",
    "phase_code",
    "amount_million_vnd",
    "is_printed_total",
    "sums_components",
    "sums_funding_sources",
    "sums_capital_types",
)

#: Parquet types (DuckDB's names) each column may have; CSV cells are text and parsed by the validator.
PARQUET_TYPES: dict[str, tuple[str, ...]] = {
    "report_id": ("VARCHAR",),
    "row_number": ("VARCHAR", "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER"),
    "geography_code": ("VARCHAR",),
    "geography_level": ("VARCHAR",),
    "fiscal_year": ("VARCHAR", "SMALLINT", "INTEGER", "BIGINT", "USMALLINT", "UINTEGER"),
    "period_month": ("VARCHAR", "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT"),
    "component_code": ("VARCHAR",),
    "funding_source_code": ("VARCHAR",),
    "capital_type_code": ("VARCHAR",),
    "phase_code": ("VARCHAR",),
    "amount_million_vnd": ("VARCHAR", "DECIMAL"),  # DECIMAL(p,s) with s <= 3; never a float
    "is_printed_total": ("VARCHAR", "BOOLEAN"),
    "sums_components": ("VARCHAR",),
    "sums_funding_sources": ("VARCHAR",),
    "sums_capital_types": ("VARCHAR",),
}

#: Files allowed at the root of a feed folder besides the partitions.
ROOT_FILES: tuple[str, ...] = ("acknowledged.csv", "declarations.csv", "manifest.json", "README.md")

#: Columns of the optional declarations.csv: what the provider states about the feed as a whole,
#: which the preflight would otherwise refuse (feeds/README.md, "Declarations").
DECLARATION_COLUMNS: tuple[str, ...] = ("declaration", "subject", "reason")
#: What may be declared, and what the subject names.
DECLARATIONS: dict[str, str] = {
    "removed_partition": "a partition province=<code>/year=<yyyy> the published build had and this feed drops",
    "empty_file": "a data file (path relative to the feed) that holds a header and no line item",
    "duplicate_report": "a report_id whose line items equal another report's (the same export twice is refused)",
}

#: Columns of the optional acknowledged.csv (as seed acknowledged_source_errors).
ACKNOWLEDGMENT_COLUMNS: tuple[str, ...] = ("document_id", "source_line", "check_code", "what_is_wrong", "evidence")

#: Check codes of audit.sum_checks an acknowledgment may name.
CHECK_CODES: tuple[str, ...] = (
    "funding_sources_to_total",
    "capital_types_to_total",
    "components_to_total",
    "restatement_equals_leaves",
    "per_year_total_equals_leaves",
)

LEVELS: tuple[str, ...] = ("province", "district", "commune")
TOTAL = "total"
DEFAULT_FEEDS = "feeds/sample"


def feeds_dir(project_dir: Path) -> Path:
    """The feed folder: ``NTP_FEEDS`` (relative to the project, as dbt runs there) or the sample.

    Raises ValueError when ``NTP_FEEDS`` is set but empty: an unset variable means the sample, an
    empty one is a mistake (it once made the preflight check the sample while dbt read ``/province=*``)."""
    value = os.environ.get("NTP_FEEDS")
    if value is not None and not value.strip():
        raise ValueError("NTP_FEEDS is set but empty: name the feed folder, or unset it to use feeds/sample")
    folder = Path(value or DEFAULT_FEEDS)
    return folder if folder.is_absolute() else project_dir / folder
