"""audit.amount_accounting: every amount of the facts is counted in the marts or has its reason; an
amount that neither is fails the build, named with its document, file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from conftest import run_dbt


def test_every_amount_of_the_build_is_accounted_for(built_warehouse: Path) -> None:
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        reasons = dict(con.execute("select reason_code, count(*) from audit.amount_accounting group by 1").fetchall())
        [(leaves, totals)] = con.execute(
            "select (select count(*) from core.fct_plan_amount), (select count(*) from core.fct_reported_total)"
        ).fetchall()
        # Lạng Sơn's disbursements in the first 6 months of 2023 (to 30 June) and its expected execution in 9
        # months (to 30 September) are amounts to a date: in execution_progress, in no annual mart
        to_date = con.execute(
            "select source_line, amount_million_vnd, counted_in from audit.amount_accounting "
            "where reason_code = 'to_date_leaf' order by 1, 2"
        ).fetchall()
    assert "unaccounted" not in reasons and sum(reasons.values()) == leaves + totals
    assert [(line, float(amount)) for line, amount, _ in to_date] == [
        (35, 4008),
        (35, 50912),
        (37, 102993),
        (43, 53),
        (45, 2993),
        (89, 15400),  # DA2, DA3.1 and DA3.2 print no source split: totals nothing breaks down
        (97, 5298),
        (101, 1764),
    ]
    assert {counted for *_, counted in to_date} == {"execution_progress"}
    # the unitemised totals of the sample were those three: tests/test_new_documents.py (t01) and the
    # unit test a_total_nothing_breaks_down_is_a_leaf_of_the_unspecified_source prove the rule
    assert "unitemised_total" not in reasons
    assert reasons["multi_year_leaf"] == 2  # 004:133, the housing scheme's 65.040 + 1.951,2 for no year


def test_an_amount_counted_nowhere_fails_the_build_with_its_line(built_warehouse: Path, tmp_path: Path) -> None:
    """On a copy of the build: a leaf whose precedence row is gone (counted in no mart, superseded by
    nothing) and a printed total that no leaf lies below (Sông Mã prints no DA5) are unaccounted: the
    accounting's test fails and the build's log names each with its document, file and line. In the
    same run, a row of document_reconciliation that lost its phase fails amounts_keep_their_phase
    (macros/tests/amounts_keep_their_phase.sql; it passed in the shared build), and the staged
    transcription refuses a budget level on a central-budget amount and a qualifier its line does not
    print."""
    broken = Path(shutil.copyfile(built_warehouse, tmp_path / "broken.duckdb"))
    with duckdb.connect(str(broken)) as con:
        [(leaf, leaf_line)] = con.execute(
            "select plan_amount_id, source_line from intermediate.int_plan_amounts_preferred "
            "join core.fct_plan_amount as f using (plan_amount_id) where f.document_id = 'songma_2024_plan' "
            "order by plan_amount_id limit 1"
        ).fetchall()
        con.execute("delete from intermediate.int_plan_amounts_preferred where plan_amount_id = ?", [leaf])
        con.execute(
            "insert into core.fct_reported_total select * replace ('songma_2024_plan:9999:1' as reported_total_id, "
            "'DA5' as component_code, 9999 as source_line, 123 as reported_amount_million_vnd) "
            "from core.fct_reported_total where document_id = 'songma_2024_plan' order by reported_total_id limit 1"
        )
        # a budget level on a central-budget amount, a qualifier its line does not print
        con.execute(
            "update raw.plan_amounts set budget_level = 'district' where amount_id = ("
            "select min(amount_id) from raw.plan_amounts where funding_source_code = 'central_budget')"
        )
        con.execute(
            "update raw.plan_amounts set qualifier_printed = 'khoảng' where amount_id = ("
            "select min(amount_id) from raw.plan_amounts where source_text not like '%khoảng%')"
        )
        con.execute("alter table marts.document_reconciliation alter column phase_code drop not null")
        con.execute("update marts.document_reconciliation set phase_code = null where document_id = 'songma_2024_plan'")
    selection = ["amount_accounting", "document_reconciliation,test_name:amounts_keep_their_phase"]
    result = run_dbt(["build", "--select", *selection], broken, tmp_path / "dbt")
    assert result.returncode == 1, result.stdout[-3000:]
    assert "Failure in test relationships_amount_accounting_reason_code" in result.stdout
    assert "Failure in test amounts_keep_their_phase_document_reconciliation" in result.stdout
    assert f"UNACCOUNTED AMOUNT: leaf {leaf} of document songma_2024_plan" in result.stdout
    assert f"line {leaf_line}:" in result.stdout
    assert (
        "UNACCOUNTED AMOUNT: printed_total songma_2024_plan:9999:1 of document songma_2024_plan, "
        "001_54c6388dddac836b.txt line 9999: 123.000 million VND (allocated)" in result.stdout
    ), result.stdout[-3000:]
    # a failed staging test would skip the accounting's rebuild in the same `dbt build`: its own run
    staged = run_dbt(
        ["test", "--select", "stg_transcription__plan_amounts,test_name:expression_is_true"], broken, tmp_path / "dbt"
    )
    assert staged.returncode == 1, staged.stdout[-3000:]
    assert "expression_is_true_stg_transcription__plan_amounts_budget_level_is_null_or_funding" in staged.stdout
    assert "expression_is_true_stg_transcription__plan_amounts_qualifier_printed_is_null_or_pos" in staged.stdout
