"""The sum-consistency gate closes: a broken identity fails the build and names the total.

No case builds the project again. Each one copies the session's shared build (conftest's
``built_warehouse``), changes one row of a seed table in the copy, and recomputes the tables between
that seed and the tests concerned from the compiled SQL of the shared build's manifest (the views in
between read the changed row as they are; ``test_recomputing_an_unchanged_copy_reproduces_the_build``
proves the recomputation equals the build). It reads the failing rows from the tests' compiled SQL,
then runs those tests with dbt against the copy (``dbt test --select <model>``, the project parsed
once per module): the failing test fails the run, and the project's on-run-end hook
(macros/report_unacknowledged_findings.sql) prints every unacknowledged arithmetic mismatch with its
check, document, line and amounts, as it does at the end of a whole build. Two dbt unit tests that
every build runs state the logic on their own: which finding an acknowledgment excuses
(``acknowledgment_excuses_only_its_own_document_line_and_check``, models/audit/_audit__models.yml) and
the per-year comparisons (``a_per_year_total_is_compared_in_every_year_it_claims``,
models/audit/intermediate/_audit_intermediate__models.yml).
tests/test_refresh.py keeps one whole refresh whose gate closes.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import duckdb
import pytest

from conftest import run_dbt

pytestmark = pytest.mark.slow

# The copy keeps the shared build's file name: the compiled SQL names its catalog after it.
WAREHOUSE = "ntp_poverty.duckdb"
GATE = "expression_is_true_sum_check_findings_classification_arithmetic_mismatch_or_is_acknowledged"
UNIQUE_PRINTINGS = "unique_combination_of_columns_int_plan_amounts_printings_"  # its name goes on with the columns
REPEATS_MATCH = "repeat_printings_match_original"
PERCENTAGE_GATE = "expression_is_true_percentage_checks_outcome_mismatch_or_is_acknowledged"
FINDING_COLUMNS = (
    "check_code, document_id, source_line, fiscal_year, "
    "cast(difference_million_vnd as varchar), classification, is_acknowledged"
)


def _closure(start: str, edges: dict[str, list[str]]) -> set[str]:
    seen: set[str] = set()
    stack = [start]
    while stack:
        for node in edges.get(stack.pop(), []):
            if node not in seen:
                seen.add(node)
                stack.append(node)
    return seen


class WarehouseCopy:
    """A private copy of the shared build in which a test changes seed rows and recomputes."""

    def __init__(self, directory: Path, manifest: dict[str, Any]) -> None:
        self.directory = directory
        self.path = directory / WAREHOUSE
        self.manifest = manifest

    def _node(self, resource_type: str, name: str, prefix: bool = False) -> dict[str, Any]:
        matches = [
            node
            for node in self.manifest["nodes"].values()
            if node["resource_type"] == resource_type
            and (node["name"].startswith(name) if prefix else node["name"] == name)
        ]
        assert len(matches) == 1, f"{resource_type} {name}: {len(matches)} nodes in the manifest"
        return matches[0]

    def relation(self, model: str) -> str:
        """The warehouse relation of a model, as the compiled SQL names it."""
        return str(self._node("model", model)["relation_name"])

    def change_row(
        self, seed: str, amount_id: str, key: str = "amount_id", **values: str | None
    ) -> dict[str, str | None]:
        """Set ``values`` in the one row whose ``key`` is ``amount_id`` in the seed's table; return what
        they were."""
        relation = self._node("seed", seed)["relation_name"]
        columns = ", ".join(values)
        assignments = ", ".join(f"{column} = ?" for column in values)
        with duckdb.connect(str(self.path)) as con:
            old = con.execute(f"select {columns} from {relation} where {key} = ?", [amount_id]).fetchall()
            assert len(old) == 1, f"{amount_id}: {len(old)} rows in {relation}"
            con.execute(f"update {relation} set {assignments} where {key} = ?", [*values.values(), amount_id])
        return dict(zip(values, old[0], strict=True))

    def delete_rows(self, seed: str, where: str, columns: str) -> list[tuple]:
        """Delete the seed table's rows matching ``where``; return their ``columns``."""
        relation = self._node("seed", seed)["relation_name"]
        with duckdb.connect(str(self.path)) as con:
            deleted = con.execute(f"select {columns} from {relation} where {where}").fetchall()
            con.execute(f"delete from {relation} where {where}")
        return deleted

    def tables_between(self, seed: str, model: str) -> list[dict[str, Any]]:
        """The table models (incremental or not) that read ``seed`` and that ``model`` reads, and
        ``model`` itself, parents first; the views in between need no recomputing."""
        nodes, parents = self.manifest["nodes"], self.manifest["parent_map"]
        start = self._node("seed", seed)["unique_id"]
        end = self._node("model", model)["unique_id"]
        between = _closure(start, self.manifest["child_map"]) & (_closure(end, parents) | {end})
        assert end in between, f"{model} does not read {seed}"
        order: list[str] = []

        def visit(unique_id: str) -> None:
            if unique_id not in order:
                for parent in parents[unique_id]:
                    if parent in between:
                        visit(parent)
                order.append(unique_id)

        for unique_id in sorted(between):
            visit(unique_id)
        return [nodes[u] for u in order if nodes[u]["config"]["materialized"] in ("table", "incremental")]

    def recompute(self, seed: str, model: str) -> list[str]:
        """Recompute the tables between ``seed`` and ``model`` from the shared build's compiled SQL;
        return their names, in the order recomputed."""
        tables = self.tables_between(seed, model)
        with duckdb.connect(str(self.path)) as con:
            for node in tables:
                con.execute(f"create or replace table {node['relation_name']} as (\n{node['compiled_code']}\n)")
        return [node["name"] for node in tables]

    def failing_rows(self, test: str, columns: str, prefix: bool = False) -> list[tuple]:
        """The rows the data test ``test`` returns (its failures), as its compiled SQL selects them."""
        sql = self._node("test", test, prefix)["compiled_code"]
        with duckdb.connect(str(self.path), read_only=True) as con:
            return con.execute(f"select {columns} from (\n{sql}\n) as failures order by all").fetchall()

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.path), read_only=True) as con:
            return con.execute(sql).fetchall()

    def dbt_test(self, model: str) -> subprocess.CompletedProcess[str]:
        """``dbt test`` of the data tests on ``model``, then the on-run-end hook, against this copy."""
        return run_dbt(["test", "--select", model], self.path, self.directory)


@pytest.fixture(scope="module")
def manifest(built_warehouse: Path) -> dict[str, Any]:
    """The shared build's manifest, with the compiled SQL of every node it ran."""
    return json.loads((built_warehouse.parent / "target" / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture()
def warehouse(built_warehouse: Path, manifest: dict[str, Any], tmp_path: Path) -> WarehouseCopy:
    """A copy of the shared build (never the shared file itself); dbt on it reuses the worker's
    parse (conftest.run_dbt)."""
    shutil.copyfile(built_warehouse, tmp_path / WAREHOUSE)
    return WarehouseCopy(tmp_path, manifest)


def _failed(result: subprocess.CompletedProcess[str], test: str) -> list[str]:
    """The failure counts dbt printed for the data test(s) whose name starts with ``test``."""
    return re.findall(rf"\bFAIL (\d+) {re.escape(test)}", result.stdout)


def _mismatch_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line[line.index("UNACKNOWLEDGED") :] for line in result.stdout.splitlines() if "UNACKNOWLEDGED" in line]


def test_recomputing_an_unchanged_copy_reproduces_the_build(warehouse: WarehouseCopy) -> None:
    """The method of every case below, with no row changed: each recomputed table equals the build's,
    and the gate and the printings' tests find nothing; so what they find below, the changed row did."""
    tables = warehouse.tables_between("plan_amounts", "sum_check_findings")
    with duckdb.connect(str(warehouse.path)) as con:
        for node in tables:
            con.execute(f"create table main.built_{node['name']} as select * from {node['relation_name']}")
    recomputed = warehouse.recompute("plan_amounts", "sum_check_findings")
    assert recomputed[0] == "int_plan_amounts_printings" and recomputed[-2:] == ["sum_checks", "sum_check_findings"]
    assert len(recomputed) == 13  # family 3's parts are two tables of their own (int_component_total_parts*)
    for node in tables:
        built, again = f"main.built_{node['name']}", node["relation_name"]
        assert warehouse.query(f"select count(*) from {again}")[0][0] > 0, node["name"]
        assert warehouse.query(f"select * from {built} except all select * from {again}") == [], node["name"]
        assert warehouse.query(f"select * from {again} except all select * from {built}") == [], node["name"]
    assert warehouse.failing_rows(GATE, FINDING_COLUMNS) == []
    assert warehouse.failing_rows(UNIQUE_PRINTINGS, "*", prefix=True) == []
    assert warehouse.failing_rows(REPEATS_MATCH, "*") == []


def test_changing_one_leaf_by_one_million_fails_the_build(warehouse: WarehouseCopy) -> None:
    old = warehouse.change_row(
        "plan_amounts",
        "soctrang_2024_2025_draft:0195:1",  # Phụ lục I, DA2, central budget
        amount_million_vnd="27196",
        value_numeric="27196",
    )
    assert old == {"amount_million_vnd": "27195", "value_numeric": "27195"}
    warehouse.recompute("plan_amounts", "sum_check_findings")
    # every total the leaf is part of is now 1 million short of its parts, and nothing else fails
    assert warehouse.failing_rows(GATE, FINDING_COLUMNS) == [
        ("components_to_total", "soctrang_2024_2025_draft", 174, None, "-1.000", "arithmetic_mismatch", False),
        ("funding_sources_to_total", "soctrang_2024_2025_draft", 194, None, "-1.000", "arithmetic_mismatch", False),
        ("restatement_equals_leaves", "soctrang_2024_2025_draft", 35, None, "-1.000", "arithmetic_mismatch", False),
        ("restatement_equals_leaves", "soctrang_2024_2025_draft", 36, None, "-1.000", "arithmetic_mismatch", False),
        ("restatement_equals_leaves", "soctrang_2024_2025_draft", 102, None, "-1.000", "arithmetic_mismatch", False),
        ("restatement_equals_leaves", "soctrang_2024_2025_draft", 103, None, "-1.000", "arithmetic_mismatch", False),
    ]
    result = warehouse.dbt_test("sum_check_findings")
    assert result.returncode != 0
    assert _failed(result, GATE) == ["6"]
    assert (
        "UNACKNOWLEDGED ARITHMETIC MISMATCH: check funding_sources_to_total, "
        "document soctrang_2024_2025_draft, line 194 (Phụ lục I, STT 2, cột Tổng cộng): printed "
    ) in result.stdout
    assert "check components_to_total, document soctrang_2024_2025_draft, line 174" in result.stdout
    assert (
        "check funding_sources_to_total, document soctrang_2024_2025_draft, line 194 (Phụ lục I, STT 2, "
        "cột Tổng cộng): printed 29920.000, parts sum to 29921.000, difference -1.000"
    ) in result.stdout
    assert len(_mismatch_lines(result)) == 6


def test_removing_an_acknowledgment_fails_the_build(warehouse: WarehouseCopy) -> None:
    deleted = warehouse.delete_rows(
        "acknowledged_source_errors", "source_line = '159'", "document_id, check_code, source_line"
    )
    assert deleted == [("langson_2024_pip_draft", "funding_sources_to_total", "159")]
    assert warehouse.recompute("acknowledged_source_errors", "sum_check_findings") == ["sum_check_findings"]
    # the printed error is unchanged; only its acknowledgment is gone
    assert warehouse.failing_rows(GATE, FINDING_COLUMNS) == [
        ("funding_sources_to_total", "langson_2024_pip_draft", 159, None, "-1789.000", "arithmetic_mismatch", False),
    ]
    result = warehouse.dbt_test("sum_check_findings")
    assert result.returncode != 0
    assert _failed(result, GATE) == ["1"]
    assert (
        "UNACKNOWLEDGED ARITHMETIC MISMATCH: check funding_sources_to_total, document langson_2024_pip_draft, line 159"
    ) in result.stdout
    assert "line 159 (A.IV.7.a): printed 6792.000, parts sum to 8581.000, difference -1789.000" in result.stdout
    assert len(_mismatch_lines(result)) == 1


def test_the_audit_lists_exactly_the_printed_inconsistencies(built_warehouse: Path) -> None:
    """Every arithmetic inconsistency printed in the five documents, with exact differences."""
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        rows = con.execute(
            "select document_id, source_line, check_code, capital_type_code, "
            "cast(difference_million_vnd as varchar), is_acknowledged "
            "from audit.sum_check_findings where classification = 'arithmetic_mismatch' "
            "order by 1, 2, 3, 4"
        ).fetchall()
    assert rows == [
        ("langson_2024_pip_draft", 35, "capital_types_to_total", "total", "53.000", True),
        ("langson_2024_pip_draft", 159, "funding_sources_to_total", "unspecified", "-1789.000", True),
        ("langson_2024_pip_draft", 261, "funding_sources_to_total", "recurrent", "30.000", True),
        ("langson_2024_pip_draft", 325, "funding_sources_to_total", "unspecified", "20.000", True),
        ("langson_2024_pip_draft", 357, "components_to_total", "recurrent", "50.000", True),
        ("langson_2024_pip_draft", 357, "components_to_total", "total", "50.000", True),
        ("langson_2024_pip_draft", 359, "components_to_total", "total", "50.000", True),
    ]


def test_a_per_year_total_claimed_one_year_too_long_fails_the_build(warehouse: WarehouseCopy) -> None:
    """Vĩnh Long line 289 (15.750 = 14.750 central + 500 local + 500 other) holds for 2023-2025:
    claiming it for 2022 too, when the local budget does not exist yet, must close the gate."""
    assert warehouse.query(
        "select period_start_year, period_end_year from raw.plan_amounts "
        "where amount_id = 'vinhlong_2022_2025_qd1424:0289:1'"
    ) == [("2023", "2025")]
    old = warehouse.change_row("plan_amounts", "vinhlong_2022_2025_qd1424:0289:1", period_start_year="2022")
    assert old == {"period_start_year": "2023"}
    warehouse.recompute("plan_amounts", "sum_check_findings")
    # 2022 fails by the local budget's 500 (the years the total really holds for still agree), and the
    # programme's total of the same column (line 601, 2023-2025) no longer has line 289 as its DA2 part
    assert warehouse.failing_rows(GATE, FINDING_COLUMNS) == [
        ("components_to_total", "vinhlong_2022_2025_qd1424", 601, None, "50075.000", "arithmetic_mismatch", False),
        (
            "per_year_total_equals_leaves",
            "vinhlong_2022_2025_qd1424",
            289,
            2022,
            "500.000",
            "arithmetic_mismatch",
            False,
        ),
    ]
    result = warehouse.dbt_test("sum_check_findings")
    assert result.returncode != 0
    assert _failed(result, GATE) == ["2"]
    assert (
        "UNACKNOWLEDGED ARITHMETIC MISMATCH: check per_year_total_equals_leaves, "
        "document vinhlong_2022_2025_qd1424, line 289 in fiscal year 2022"
    ) in result.stdout
    assert (
        "line 289 in fiscal year 2022 (Phụ lục, STT 1, cột 5: Kinh phí 01 năm: tổng): "
        "printed 15750.000, parts sum to 15250.000, difference 500.000"
    ) in result.stdout
    assert len(_mismatch_lines(result)) == 2
    # the years the total really holds for still agree: only 2022 is named
    assert "line 289 in fiscal year 2023" not in result.stdout


def test_an_unmarked_repeat_printing_fails_the_build(warehouse: WarehouseCopy) -> None:
    """Column 8 of Vĩnh Long's appendix repeats column 15; without the seed's flag the cell would be
    counted twice, and the uniqueness test on the printings closes the gate."""
    old = warehouse.change_row("plan_amounts", "vinhlong_2022_2025_qd1424:0292:1", repeats_amount_id=None)
    assert old == {"repeats_amount_id": "vinhlong_2022_2025_qd1424:0299:1"}
    assert warehouse.recompute("plan_amounts", "int_plan_amounts_printings") == ["int_plan_amounts_printings"]
    assert warehouse.failing_rows(
        UNIQUE_PRINTINGS, "document_id, statement_group, component_code, funding_source_code, n_rows", prefix=True
    ) == [("vinhlong_2022_2025_qd1424", "appendix", "DA2", "other_mobilized", 2)]
    result = warehouse.dbt_test("int_plan_amounts_printings")
    assert result.returncode != 0
    assert _failed(result, UNIQUE_PRINTINGS) == ["1"]
    assert "unique_combination_of_columns_int_plan_amounts_printings" in result.stdout


def test_a_repeat_pointing_at_another_cell_fails_the_build(warehouse: WarehouseCopy) -> None:
    old = warehouse.change_row(
        "plan_amounts",
        "vinhlong_2022_2025_qd1424:0292:1",
        repeats_amount_id="vinhlong_2022_2025_qd1424:0298:1",  # local recurrent, also 500
    )
    assert old == {"repeats_amount_id": "vinhlong_2022_2025_qd1424:0299:1"}
    assert warehouse.recompute("plan_amounts", "int_plan_amounts_printings") == ["int_plan_amounts_printings"]
    assert warehouse.failing_rows(REPEATS_MATCH, "amount_id, repeats_amount_id, is_original_missing") == [
        ("vinhlong_2022_2025_qd1424:0292:1", "vinhlong_2022_2025_qd1424:0298:1", False),
    ]
    result = warehouse.dbt_test("int_plan_amounts_printings")
    assert result.returncode != 0
    assert _failed(result, REPEATS_MATCH) == ["1"]
    assert "repeat_printings_match_original" in result.stdout


def test_per_year_totals_are_checked_in_every_year_they_claim(built_warehouse: Path) -> None:
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        years = con.execute(
            "select reported_total_id, list(fiscal_year order by fiscal_year), "
            "bool_and(difference_million_vnd = 0) "
            "from audit.sum_checks where check_code = 'per_year_total_equals_leaves' "
            "and reported_total_id in ('vinhlong_2022_2025_qd1424:0289:1', "
            "'vinhlong_2022_2025_qd1424:0293:1') group by 1 order by 1"
        ).fetchall()
        (n_checks,) = con.execute(
            "select count(*) from audit.sum_checks where check_code = 'per_year_total_equals_leaves'"
        ).fetchone()
    assert years == [
        ("vinhlong_2022_2025_qd1424:0289:1", [2023, 2024, 2025], True),  # includes local budget
        ("vinhlong_2022_2025_qd1424:0293:1", [2022, 2023, 2024, 2025], True),  # central only
    ]
    assert n_checks == 328


def test_a_printed_percentage_its_amounts_do_not_give_fails_the_build(warehouse: WarehouseCopy) -> None:
    """Lạng Sơn prints "đạt 100 % kế hoạch vốn giao" of Tiểu dự án 3.1's 20.481 (line 97) without the
    amount it would be, so nothing is checked; linked to the 5.298 disbursed in six months on the same
    line (25,87 %), the percentage no longer agrees with its amounts: a finding, and the gate closes."""
    assert warehouse.query("select outcome, count(*) from audit.percentage_checks group by all") == [
        ("numerator_not_printed", 10)
    ]
    old = warehouse.change_row(
        "printed_percentages",
        "langson_2024_pip_draft:0097:2",
        key="percentage_amount_id",
        numerator_amount_id="langson_2024_pip_draft:0097:1",
    )
    assert old == {"numerator_amount_id": None}
    assert warehouse.recompute("printed_percentages", "percentage_checks") == ["percentage_checks"]
    assert warehouse.failing_rows(
        PERCENTAGE_GATE, "percentage_amount_id, outcome, round(computed_percent, 2), is_acknowledged"
    ) == [("langson_2024_pip_draft:0097:2", "mismatch", 25.87, False)]
    result = warehouse.dbt_test("percentage_checks")
    assert result.returncode != 0
    assert _failed(result, PERCENTAGE_GATE) == ["1"]


def test_two_blocks_under_one_key_fail_the_build(warehouse: WarehouseCopy) -> None:
    """Family 3 joins a total to its parts on the integer block_key (a hash of the block and
    period); a collision would pair a total with another block's parts. Giving one amount of Sóc
    Trăng the key of a Vĩnh Long block (as a collision would) makes tests/dbt/block_keys_are_unique
    name the key."""
    relation = warehouse.relation("int_sum_check_amounts")
    schema = relation.rsplit(".", 1)[0]
    assert warehouse.failing_rows("block_keys_are_unique", "*") == []
    with duckdb.connect(str(warehouse.path)) as con:
        con.execute(f"alter table {relation} rename to amounts_as_built")
        con.execute(
            f"create view {relation} as select * replace ("
            "case when amount_id = 'soctrang_2024_2025_draft:0029:1' then ("
            f"select block_key from {schema}.amounts_as_built "
            "where amount_id = 'vinhlong_2022_2025_qd1424:0289:1') else block_key end as block_key"
            f") from {schema}.amounts_as_built"
        )
    [(partition, n_blocks)] = warehouse.failing_rows("block_keys_are_unique", "source_partition, n_blocks")
    assert (partition, n_blocks) == ("documents", 2)
