"""The rules dbt's tests enforce on transcribed rows, checked on the seed CSVs before dbt runs.

A transcription mistake that only a dbt test catches costs a whole build (close to a minute) and
ends in "Got 1 result": a total without the sources it sums, a repeat filed under another statement
group, a period printed backwards. Each rule here is one of those tests, read from the seeds
themselves (no database, well under a second on the real seeds), and each error names
``file:line:column``, the rule and the fix. The tests stay in dbt (they also guard the feeds and the
models); this is the early, located copy of the ones a transcriber can break.

Rule (dbt test it mirrors):

* ``total_lists_its_sources`` / ``total_lists_its_capital_types``: a total over funding sources
  (capital types) lists what it sums in ``sums_funding_sources`` (``sums_capital_types``), and only
  a total does (stg_transcription__plan_amounts, expression_is_true).
* ``period_in_order``: both period years are given and the first is not after the last (idem).
* ``budget_level_of_local_budget``: a budget level sub-classifies the local budget only (idem).
* ``as_of_date_in_its_period``: an amount to a date is a ``period_total`` whose date lies in its
  period (idem).
* ``qualifier_on_its_line``: the qualifier (hơn, khoảng, ...) is in the row's source_text (idem).
* ``target_low_not_above_high`` / ``target_range_has_its_high`` / ``target_years_in_order``: plan_targets
  (stg_transcription__plan_targets).
* ``result_low_not_above_high`` / ``result_range_has_its_high`` / ``cumulative_before_its_year``:
  plan_results (stg_transcription__plan_results).
* ``repeat_matches_its_original``: a repeat names a counted printing of the same cell, block,
  period and value (tests/dbt/repeat_printings_match_original.sql).
* ``one_printing_per_cell``: two counted printings of one block never share every coordinate: an
  unmarked repeat (int_plan_amounts_printings, unique_combination_of_columns).
* ``statement_group_registered``: a row's (document, statement_group) is a row of
  statement_groups, which says whether its block provides leaves; otherwise its amount reaches no
  mart (audit.amount_accounting: unaccounted).
* ``percentage_links_amounts``: printed_percentages links a percentage to amounts that are not
  percentages (audit.percentage_checks).
* ``one_document_per_file``: no two documents share a source file (stg_reference__documents, unique).

Not rules, because the documents break them legitimately (and no dbt test asserts them): an amount's
period inside its document's (Lạng Sơn's 2024 plan prints the 2021-2025 allocation), and a total's
``sums_funding_sources`` equal to its document's ``total_funding_sources`` (Vĩnh Long's per-year
rows sum two sources of a document whose grand total has three). The arithmetic itself (a printed
total against its parts) is the sum-consistency gate's, in dbt; when it fails, the refresh names
the failing rows (:mod:`ntp_poverty.build.test_failures`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ntp_poverty.validate.seeds import SeedError, SeedSpec, load_specs, read_rows

Rows = list[tuple[int, dict[str, str]]]
#: What a rule reports: the seed, the line, the column and what is wrong with this row.
Finding = tuple[str, int, str, str]


@dataclass(frozen=True)
class Rule:
    """One rule: its name, the fix a transcriber applies, and the check over every seed's rows."""

    name: str
    fix: str
    check: Callable[[dict[str, Rows]], Iterator[Finding]]


RULES: list[Rule] = []


def rule(name: str, fix: str) -> Callable[[Callable[[dict[str, Rows]], Iterator[Finding]]], Callable]:
    """Register a rule (in definition order)."""

    def register(check: Callable[[dict[str, Rows]], Iterator[Finding]]) -> Callable:
        RULES.append(Rule(name, fix, check))
        return check

    return register


def _int(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def _dec(text: str) -> Decimal | None:
    try:
        return Decimal(text) if text else None
    except InvalidOperation:
        return None


def _counted(row: dict[str, str]) -> bool:
    """A printing the sum checks count: an amount (not a percentage) that repeats nothing."""
    return row["unit_printed"] != "%" and not row["repeats_amount_id"]


AMOUNTS = "plan_amounts"


def _total_lists(code: str, sums: str, what: str) -> Callable[[dict[str, Rows]], Iterator[Finding]]:
    """A total over ``what`` (``code`` = total) lists in ``sums`` what it sums, and only a total does."""

    def check(seeds: dict[str, Rows]) -> Iterator[Finding]:
        for line, row in seeds[AMOUNTS]:
            is_total = row[code] == "total"
            if is_total and not row[sums]:
                yield AMOUNTS, line, sums, f"a total over {what} lists none of the {what} it sums"
            elif not is_total and row[sums]:
                yield AMOUNTS, line, sums, f"only a total lists {what}, and {code} is {row[code]!r}"

    return check


RULES.append(
    Rule(
        "total_lists_its_sources",
        "list the funding sources the total includes (as the document defines its total)",
        _total_lists("funding_source_code", "sums_funding_sources", "funding sources"),
    )
)
RULES.append(
    Rule(
        "total_lists_its_capital_types",
        "list the capital types the total sums, or set capital_type_code to total",
        _total_lists("capital_type_code", "sums_capital_types", "capital types"),
    )
)


@rule("period_in_order", "give both years of the period the amount is for, the first year first")
def _period_in_order(seeds: dict[str, Rows]) -> Iterator[Finding]:
    for line, row in seeds[AMOUNTS]:
        start, end = _int(row["period_start_year"]), _int(row["period_end_year"])
        if start is None or end is None:
            missing = "period_start_year" if start is None else "period_end_year"
            yield AMOUNTS, line, missing, "the period of an amount needs both its first and its last year"
        elif start > end:
            yield AMOUNTS, line, "period_start_year", f"the period starts in {start}, after it ends ({end})"


@rule("budget_level_of_local_budget", "clear budget_level, or correct funding_source_code to local_budget")
def _budget_level_of_local_budget(seeds: dict[str, Rows]) -> Iterator[Finding]:
    for line, row in seeds[AMOUNTS]:
        if row["budget_level"] and row["funding_source_code"] != "local_budget":
            yield (
                AMOUNTS,
                line,
                "budget_level",
                (f"a budget level sub-classifies the local budget, not {row['funding_source_code']!r}"),
            )


@rule("as_of_date_in_its_period", "an amount to a date is a period_total of the period its date lies in")
def _as_of_date_in_its_period(seeds: dict[str, Rows]) -> Iterator[Finding]:
    for line, row in seeds[AMOUNTS]:
        if not row["as_of_date"]:
            continue
        if row["amount_basis"] != "period_total":
            yield AMOUNTS, line, "amount_basis", f"an amount to a date is a period_total, not {row['amount_basis']!r}"
        start, end = _int(row["period_start_year"]), _int(row["period_end_year"])
        try:
            year = date.fromisoformat(row["as_of_date"]).year
        except ValueError:
            continue  # the seed validator reports the date itself
        if start is not None and end is not None and not start <= year <= end:
            yield AMOUNTS, line, "as_of_date", f"the date's year {year} lies outside the period {start}-{end}"


@rule("qualifier_on_its_line", "copy the qualifier (hơn, trên, khoảng, gần, dưới) exactly as source_text prints it")
def _qualifier_on_its_line(seeds: dict[str, Rows]) -> Iterator[Finding]:
    for line, row in seeds[AMOUNTS]:
        qualifier = unicodedata.normalize("NFC", row["qualifier_printed"])
        if qualifier and qualifier not in unicodedata.normalize("NFC", row["source_text"]).lower():
            yield AMOUNTS, line, "qualifier_printed", f"{qualifier!r} is not in the row's source_text"


def _low_high(
    seed: str, rows: Rows, low: str, high: str, comparator: str, high_printed: str
) -> Iterator[tuple[str, int, str, str, str]]:
    """(rule, line, column, message) of a seed's low/high pair and its range comparator."""
    for line, row in rows:
        low_value, high_value = _dec(row[low]), _dec(row[high])
        if low_value is not None and high_value is not None and low_value > high_value:
            yield "low", line, high, f"the high end {high_value} is below the low end {low_value}", seed
        if (row[comparator] == "range") != bool(row[high_printed]):
            message = (
                "a range prints its high end: fill value_high_printed"
                if row[comparator] == "range"
                else f"a high end is printed, so the comparator is range, not {row[comparator]!r}"
            )
            yield "range", line, comparator, message, seed


#: The seeds that print a value and the high end of a range: (seed, low, high, comparator, high printed).
RANGES = {
    "target": ("plan_targets", "low_value", "high_value", "comparator", "value_high_printed"),
    "result": ("plan_results", "value_numeric", "value_high_numeric", "value_comparator", "value_high_printed"),
}


def _range_rule(kind: str, which: str) -> Callable[[dict[str, Rows]], Iterator[Finding]]:
    """The ``which`` ('low' or 'range') half of :func:`_low_high` for the seed of ``kind``."""
    seed, *columns = RANGES[kind]

    def check(seeds: dict[str, Rows]) -> Iterator[Finding]:
        for found, line, column, message, name in _low_high(seed, seeds[seed], *columns):
            if found == which:
                yield name, line, column, message

    return check


for _kind in RANGES:
    RULES.append(
        Rule(
            f"{_kind}_low_not_above_high",
            f"correct the {_kind}'s low and high values to what the line prints",
            _range_rule(_kind, "low"),
        )
    )
    RULES.append(
        Rule(
            f"{_kind}_range_has_its_high",
            "a range comparator goes with value_high_printed, and only with it",
            _range_rule(_kind, "range"),
        )
    )


@rule("target_years_in_order", "correct target_year_start/target_year_end to the years the line prints")
def _target_years_in_order(seeds: dict[str, Rows]) -> Iterator[Finding]:
    for line, row in seeds["plan_targets"]:
        start, end = _int(row["target_year_start"]), _int(row["target_year_end"])
        if start is not None and end is not None and start > end:
            yield "plan_targets", line, "target_year_start", f"the target starts in {start}, after it ends ({end})"


@rule("cumulative_before_its_year", "cumulative_from_year is the first year counted, before reference_year")
def _cumulative_before_its_year(seeds: dict[str, Rows]) -> Iterator[Finding]:
    for line, row in seeds["plan_results"]:
        start, year = _int(row["cumulative_from_year"]), _int(row["reference_year"])
        if start is not None and year is not None and start >= year:
            yield "plan_results", line, "cumulative_from_year", f"counts from {start}, not before its year {year}"


#: What a repeat shares with its original (tests/dbt/repeat_printings_match_original.sql).
REPEAT_COLUMNS = (
    "document_id",
    "statement_group",
    "component_code",
    "funding_source_code",
    "capital_type_code",
    "phase_code",
    "amount_basis",
    "period_start_year",
    "period_end_year",
)


@rule(
    "repeat_matches_its_original",
    "point repeats_amount_id at the counted printing of the very same cell, or clear it if the row is no repeat",
)
def _repeat_matches_its_original(seeds: dict[str, Rows]) -> Iterator[Finding]:
    by_id = {row["amount_id"]: (line, row) for line, row in seeds[AMOUNTS]}
    for line, row in seeds[AMOUNTS]:
        original_id = row["repeats_amount_id"]
        if not original_id or original_id not in by_id:
            continue  # no repeat, or the seed validator's reference check reports it
        original_line, original = by_id[original_id]
        if original["repeats_amount_id"] or original["unit_printed"] == "%" or row["unit_printed"] == "%":
            yield (
                AMOUNTS,
                line,
                "repeats_amount_id",
                (f"the original (line {original_line}) must be a counted amount, not a repeat or a percentage"),
            )
            continue
        differing = [c for c in REPEAT_COLUMNS if row[c] != original[c]]
        if _dec(row["amount_million_vnd"]) != _dec(original["amount_million_vnd"]):
            differing.append("amount_million_vnd")
        if differing:
            first = differing[0]
            yield (
                AMOUNTS,
                line,
                first,
                (
                    f"a repeat of line {original_line} ({original_id}) differs from it in {', '.join(differing)} "
                    f"({first}: {row[first]!r} here, {original[first]!r} there)"
                ),
            )


#: The coordinates no two counted printings of a block share (int_plan_amounts_printings).
CELL_COLUMNS = (
    "document_id",
    "statement_group",
    "geography_code",
    "component_code",
    "funding_source_code",
    "sums_funding_sources",
    "capital_type_code",
    "phase_code",
    "amount_basis",
    "period_start_year",
    "period_end_year",
    "as_of_date",
)


@rule(
    "one_printing_per_cell",
    "mark the later printing as a repeat (repeats_amount_id = the first's amount_id), or correct its coordinates",
)
def _one_printing_per_cell(seeds: dict[str, Rows]) -> Iterator[Finding]:
    seen: dict[tuple[str, ...], tuple[int, str]] = {}
    for line, row in seeds[AMOUNTS]:
        if not _counted(row):
            continue
        key = tuple(row[c] for c in CELL_COLUMNS)
        if key in seen:
            first_line, first_id = seen[key]
            yield (
                AMOUNTS,
                line,
                "repeats_amount_id",
                (
                    f"the same cell as line {first_line} ({first_id}): document, statement group, geography, "
                    "component, sources, capital type, phase, basis, period and date all equal"
                ),
            )
        else:
            seen[key] = (line, row["amount_id"])


@rule(
    "statement_group_registered",
    "add the block to statement_groups (does it provide leaves, in which basis, where are its parts), or correct it",
)
def _statement_group_registered(seeds: dict[str, Rows]) -> Iterator[Finding]:
    groups = {(row["document_id"], row["statement_group"]) for _, row in seeds["statement_groups"]}
    for line, row in seeds[AMOUNTS]:
        if (row["document_id"], row["statement_group"]) not in groups:
            yield (
                AMOUNTS,
                line,
                "statement_group",
                (
                    f"{row['statement_group']!r} of {row['document_id']} is not in statement_groups: "
                    "its amount would reach no mart"
                ),
            )


@rule("percentage_links_amounts", "link the percentage row to the amounts it is a share of (not to percentages)")
def _percentage_links_amounts(seeds: dict[str, Rows]) -> Iterator[Finding]:
    units = {row["amount_id"]: row["unit_printed"] for _, row in seeds[AMOUNTS]}
    for line, row in seeds["printed_percentages"]:
        if units.get(row["percentage_amount_id"], "%") != "%":
            yield "printed_percentages", line, "percentage_amount_id", "names an amount, not a printed percentage"
        for column in ("denominator_amount_id", "numerator_amount_id"):
            if units.get(row[column]) == "%":
                yield "printed_percentages", line, column, "names a percentage, not an amount"


@rule("one_document_per_file", "give each document its own source file (a file holds one document)")
def _one_document_per_file(seeds: dict[str, Rows]) -> Iterator[Finding]:
    seen: dict[str, int] = {}
    for line, row in seeds["documents"]:
        if row["source_file"] in seen:
            yield "documents", line, "source_file", f"also the file of the document on line {seen[row['source_file']]}"
        seen.setdefault(row["source_file"], line)


def check_rules(seeds_dir: Path, rules: list[Rule] | None = None) -> list[SeedError]:
    """Every rule's findings on the seeds in ``seeds_dir``, located (``file:line:column (column):
    [rule] what is wrong; fix: ...``). A seed that cannot be read is left to the seed validator."""
    specs: dict[str, SeedSpec] = load_specs(seeds_dir)
    seeds: dict[str, Rows] = {}
    for name, spec in specs.items():
        rows, errors = read_rows(spec)
        seeds[name] = [] if errors else rows
    found: list[SeedError] = []
    for each in RULES if rules is None else rules:
        for seed, line, column, message in each.check(seeds):
            spec = specs[seed]
            found.append(
                SeedError(
                    spec.path,
                    line,
                    spec.columns.index(column) + 1,
                    column,
                    f"[{each.name}] {message}; fix: {each.fix}",
                )
            )
    return found
