"""Connections outside dbt hold to the profile's DuckDB budget (src/ntp_poverty/common/duckdb_connection.py)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from ntp_poverty.common import duckdb_connection
from ntp_poverty.common.duckdb_connection import connect, profile_setting

PROFILE = (
    "    dev:\n      threads: \"{{ env_var('NTP_DBT_THREADS', '1') }}\"\n"
    "      memory_limit: \"{{ env_var('NTP_DUCKDB_MEMORY_LIMIT', '700MB') }}\"\n"
    "      threads: \"{{ env_var('NTP_DUCKDB_THREADS', '1') }}\"\n"
    "    spark:\n      threads: \"{{ env_var('NTP_DBT_THREADS', '4') }}\"\n"
    "        spark.driver.memory: \"{{ env_var('NTP_SPARK_DRIVER_MEMORY', '2g') }}\"\n"
)


@pytest.fixture
def profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "profiles.yml"
    path.write_text(PROFILE, encoding="utf-8")
    for name in (
        "NTP_DBT_THREADS",
        "NTP_DUCKDB_MEMORY_LIMIT",
        "NTP_DUCKDB_THREADS",
        "NTP_DUCKDB_TEMP",
        "NTP_SPARK_DRIVER_MEMORY",
    ):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "dbt_project.yml").write_text("name: ntp_poverty\n", encoding="utf-8")
    monkeypatch.setenv("NTP_PROJECT_DIR", str(tmp_path))  # profile_setting's default: the project's profiles.yml
    return path


def test_the_settings_are_the_duckdb_targets_defaults_unless_the_environment_says_otherwise(
    profile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert profile_setting("NTP_DBT_THREADS", profile) == "1"  # the DuckDB target's, not Spark's 4
    assert profile_setting("NTP_DUCKDB_MEMORY_LIMIT", profile) == "700MB"
    monkeypatch.setenv("NTP_DUCKDB_MEMORY_LIMIT", "2GB")
    assert profile_setting("NTP_DUCKDB_MEMORY_LIMIT", profile) == "2GB"
    with pytest.raises(ValueError, match="NTP_DUCKDB_TEMP"):  # never a guessed default
        profile_setting("NTP_DUCKDB_TEMP", profile)


def test_the_spark_targets_defaults_are_read_from_its_own_part(profile: Path) -> None:
    assert profile_setting("NTP_DBT_THREADS", profile, target="spark") == "4"
    assert profile_setting("NTP_SPARK_DRIVER_MEMORY", profile, target="spark") == "2g"
    with pytest.raises(ValueError, match="in the duckdb target"):  # the Spark-only setting is not DuckDB's
        profile_setting("NTP_SPARK_DRIVER_MEMORY", profile)
    with pytest.raises(ValueError, match="target must be duckdb or spark"):
        profile_setting("NTP_DBT_THREADS", profile, target="trino")


def test_the_real_profile_defines_every_setting_the_connections_use() -> None:
    assert set(duckdb_connection.budget()) == {"memory_limit", "threads"}


def test_a_connection_holds_to_the_budget_and_removes_what_it_spilled(
    profile: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "w.duckdb"
    with duckdb.connect(str(database)) as con:
        con.execute("create table t as select range as x from range(10)")
    spill_root = tmp_path / "spill"
    monkeypatch.setenv("NTP_DUCKDB_TEMP", str(spill_root))
    with connect(database) as con:
        limit, threads, temp = con.execute(
            "select current_setting('memory_limit'), current_setting('threads'), current_setting('temp_directory')"
        ).fetchall()[0]
        assert con.execute("select sum(x) from t").fetchall() == [(45,)]
        with pytest.raises(duckdb.Error):  # read-only by default: a release is never written to
            con.execute("insert into t values (1)")
    assert limit.replace(" ", "") in {"700.0MB", "667.5MiB", "700MB"} and threads == 1
    assert Path(temp).parent == spill_root and not Path(temp).exists()
