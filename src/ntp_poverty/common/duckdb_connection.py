"""Open a DuckDB file outside dbt under the memory budget dbt builds with (profiles.yml).

Every connection the refresh opens after dbt (GX, the report, the release's Parquet, Excel and data
package) holds to the profile's ``memory_limit`` and ``threads`` and spills into a temporary folder
of its own (under ``NTP_DUCKDB_TEMP`` when set), removed when the connection closes. Without this,
DuckDB takes 80 % of the machine's memory: the partitioned Parquet export of a 10-million-row feed
reached 9 GB, and the 4 GB budget of a refresh is the whole process tree's.

The settings come from the environment variables the profile reads, or else from the defaults
written beside them in ``profiles.yml`` (DuckDB target), so that no second copy of them exists.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from ntp_poverty.project import project_dir


def profile_setting(variable: str, profiles: Path | None = None, target: str = "duckdb") -> str:
    """The value profiles.yml gives a setting: the environment variable ``variable``, else the default
    written beside it in the ``target`` (``duckdb`` or ``spark``: ``env_var('NAME', 'default')``)."""
    if variable in os.environ:
        return os.environ[variable]
    if target not in ("duckdb", "spark"):
        raise ValueError(f"target must be duckdb or spark, not {target!r}")
    profiles = profiles or project_dir() / "profiles.yml"
    duckdb_target, _, spark_target = profiles.read_text(encoding="utf-8").partition("\n    spark:")
    text = duckdb_target if target == "duckdb" else spark_target
    found = re.search(r"env_var\('" + re.escape(variable) + r"',\s*'([^']*)'\)", text)
    if found is None:
        raise ValueError(f"{profiles}: no env_var('{variable}', '<default>') in the {target} target")
    return found.group(1)


def budget() -> dict[str, str]:
    """memory_limit and threads of the profile (environment first)."""
    return {
        "memory_limit": profile_setting("NTP_DUCKDB_MEMORY_LIMIT"),
        "threads": profile_setting("NTP_DUCKDB_THREADS"),
    }


@contextmanager
def connect(database: Path, read_only: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to ``database`` within the profile's budget, spilling into a folder of its own."""
    spill_root = os.environ.get("NTP_DUCKDB_TEMP")
    if spill_root:
        Path(spill_root).mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory(prefix="ntp_duckdb_spill_", dir=spill_root) as spill,
        duckdb.connect(str(database), read_only=read_only, config=budget() | {"temp_directory": spill}) as con,
    ):
        yield con
