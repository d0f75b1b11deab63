"""Proposed plan_amounts rows for the amounts of a document nobody has transcribed yet.

Deterministic and rule-based (no network): the document is read line by line, keeping what its
headings and tables say (the component of a "Dự án"/"Tiểu dự án" heading or table row, the period,
phase and capital type of a section or table title, the columns of a table under "ĐVT: triệu
đồng"). Every numeral the completeness ledger does not account for and that is printed with a money
unit (on its line, or in its table's unit) becomes a proposal: the exact source text window, line
and column, value and unit (strict Vietnamese parsing; never changed), and each judgement with the
words it was read from and a confidence:

* high: the amount's own words on its line ("Ngân sách trung ương (vốn sự nghiệp): 2.756 triệu đồng");
* medium: its table column, table title or section heading;
* low: the document's registration (its period, its definition of total) or a default.

A total over sources lists the document's definition of total; the capital type of a total no
words state is its parts' when they all state the same one (capital_type_basis ``parts``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ntp_poverty.common.vn_numbers import NIL_MARKS, VietnameseNumberError, parse_vi_number, to_million_vnd
from ntp_poverty.ledger.tokens import Document, Token
from ntp_poverty.propose.cues import (
    CAPITAL_TYPES,
    PERIOD_TOTAL_ROW,
    PHASES,
    PROGRAMME_TOTAL,
    SOURCES,
    TABLE_UNIT,
    TOTAL_ROW,
    UNIT_AFTER,
    UNITS,
    Reading,
    component_named,
    component_of,
    first_cue,
    norm,
    period_of,
)
from ntp_poverty.propose.layouts import DeclaredColumn, TableLayout

#: The judgement columns a proposal reads from the document (and the evaluation scores).
JUDGEMENTS = (
    "funding_source_code",
    "capital_type_code",
    "phase_code",
    "component_code",
    "period",
    "sums",
    "repeats",
    "statement_group",
)
#: A title's number: "III. CÁC DỰ ÁN ...", "PHỤ LỤC II", "II. ĐỀ XUẤT ...".
TITLE_NUMBER = re.compile(r"^(?:phụ lục\s+)?([ivx]+)\b")
#: The evidence of a total's capital type carried from its parts (capital_type_basis ``parts``).
PARTS_EVIDENCE = "every part that follows states it"
#: The evidence of a capital type read from the programme's total of the same source (basis ``total``).
SOURCE_TOTAL_EVIDENCE = "the programme's total of this source states it"
#: A parenthesis right after an amount and its unit, without numbers: words about that amount
#: ("59 tỷ đồng (vốn sự nghiệp)"); one with numbers lists its parts instead.
OWN_PARENTHESIS = re.compile(r"^\s*(?:triệu đồng|tỷ đồng|tỷ|đồng)?\s*\(([^()\d]*)\)")
#: The words after a percentage that make it a share of an amount ("80% kế hoạch vốn giao").
MONEY_SHARE = re.compile(r"^[\s*]*(?:\S+\s+){0,2}?(?:kế hoạch vốn|vốn|kinh phí|ngân sách|dự toán|giải ngân)")
ROMAN_HEADING = re.compile(r"^[IVX]+\.\s")
HEADING = re.compile(r"^\s*(?:[IVX]+\.|[a-zđ]\)|\d+(?:\.\d+)*\.?\s|[-+*•]\s|phụ lục|dự án|tiểu dự án)", re.IGNORECASE)


@dataclass(frozen=True)
class Registration:
    """What the document's row in documents.csv says: its id, file, period and definition of total."""

    document_id: str
    source_file: str
    period: tuple[int, int]
    total_funding_sources: str
    geography_code: str = ""
    #: Decision 90's components by code, their names NFC and lower-case (program_components.csv)
    component_names: dict[str, str] = field(default_factory=dict)
    #: the tables whose lost column headers a person declared (documents/table_layouts.csv)
    layouts: tuple[TableLayout, ...] = ()
    #: the document's registered blocks (statement_groups.csv), the first step of bringing it in
    statement_groups: tuple[str, ...] = ()


@dataclass
class Proposal:
    """One proposed plan_amounts row: the printed number, where it is, and each judgement read."""

    token: Token
    source_text: str
    value_printed: str
    unit_printed: str
    value_numeric: Decimal
    amount_million_vnd: Decimal | None
    readings: dict[str, Reading] = field(default_factory=dict)
    block: int = 0  # the section or table it is printed in (a title starts the next one)
    defines_total: str = ""  # the sources a total's own words include ("ngân sách nhà nước")
    declared_capitals: str = ""  # the capital types a total over them sums (declared or read)
    row: int = 0  # the table row a cell is printed in (0 outside tables)
    column: DeclaredColumn | None = None  # the declared column of a cell
    repeats: Proposal | None = None  # the printing of the same cell this one repeats (it is counted)
    locator: str = ""  # where in the document: "dòng 69", or a table's row and column
    amount_basis: str = "period_total"  # per_year for a cell of a declared per-year column

    def value(self, column: str) -> str:
        """The proposed value of a judgement column ('' when none was read)."""
        return self.readings[column].value if column in self.readings else ""


@dataclass
class Context:
    """What the headings and tables read so far say about the amounts below them."""

    component: Reading | None = None
    project: str | None = None
    period: Reading | None = None
    phase: Reading | None = None
    capital: Reading | None = None
    block: int = 0
    title: str = ""  # the last numbered title ("III. ...", "PHỤ LỤC II"): it names the block
    source: Reading | None = None
    names: dict[str, str] = field(default_factory=dict)
    #: the phase and period the last amount of this block printed, for the parts that follow it
    carried: dict[str, Reading] = field(default_factory=dict)
    #: the one capital type every title of the document names, if only one (Sóc Trăng: SỰ NGHIỆP)
    document_capital: Reading | None = None
    table_unit: str | None = None
    columns: list[str] = field(default_factory=list)
    columns_done: bool = False
    in_rows: bool = False
    cell: int = 0
    row_label: str = ""
    #: the declared layout of the table being read (documents/table_layouts.csv), if any
    layout: TableLayout | None = None
    rows: int = 0  # table rows read so far
    row_number: str = ""  # the STT printed in the row's first cell


def _reading(cues, text: str, confidence: str, after: str = "") -> Reading | None:  # noqa: ANN001 - a cue tuple
    """The cue nearest the number in the words before it, else in the words after it."""
    found = first_cue(cues, text) or (first_cue(cues, after, nearest_end=False) if after else None)
    return Reading(found[0], found[1], confidence) if found else None


def is_title(text: str) -> bool:
    """A section or table title: a roman-numbered heading, a "Phụ lục", or a line in capitals (not
    the "(Kèm theo ...)" line under a title, whose date is the document's, not the table's)."""
    stripped = text.strip().lstrip("*(").strip()
    letters = [c for c in stripped if c.isalpha()]
    if not letters or norm(stripped).startswith("kèm theo"):
        return False
    capitals = sum(c.isupper() for c in letters) / len(letters)
    return capitals > 0.8 or ROMAN_HEADING.match(stripped) is not None or norm(stripped).startswith("phụ lục")


def _heading(context: Context, text: str) -> None:
    """A heading, title or table row label (no amount of its own). A component it names holds for
    the amounts below; the period, phase and capital type of a title hold for its section (a
    component's own name is not read for them: "Hỗ trợ đầu tư phát triển hạ tầng" names a project,
    not a capital type)."""
    lowered = norm(text)
    if not is_title(text) and (source := first_cue(SOURCES, lowered)) and source[0] != "total":
        # a heading naming a source ("1. Ngân sách trung ương"): its amounts are of that source
        context.source = Reading(source[0], text.strip()[:80], "medium")
    if component := component_of(lowered, context.project, context.names):
        context.component = Reading(component, text.strip(), "medium")  # the whole printed label
        context.carried = {}
        if component.startswith("DA"):
            context.project = component.split(".")[0]
    if not is_title(text) or (component or "ALL") != "ALL":
        return
    context.block, context.carried, context.source = context.block + 1, {}, None
    if TITLE_NUMBER.match(norm(text).lstrip("(").strip()) or norm(text).strip().startswith("phụ lục"):
        context.title = text.strip()  # a numbered title names the block; the lines under it do not
    if period := period_of(lowered):
        context.period = Reading(f"{period[0]}-{period[1]}", text.strip()[:80], "medium")
    for cues, attribute in ((PHASES, "phase"), (CAPITAL_TYPES, "capital")):
        # a title says what it does first ("ĐỀ XUẤT ... KẾ HOẠCH VỐN" is a request)
        if found := first_cue(cues, lowered, nearest_end=False):
            setattr(context, attribute, Reading(found[0], found[1], "medium"))


def _window(line: str, token: Token, previous_end: int) -> str:
    """The words of the line between the previous amount (or the line's start) and this one."""
    return line[previous_end : token.start]


def _money_unit(line: str, token: Token, context: Context) -> str | None:
    """The unit printed after the number, else the unit of the table the line is a cell of; a
    percentage is an amount only when the words after it name money ("đạt 80% kế hoạch vốn giao"):
    other shares are targets or results (:mod:`ntp_poverty.propose.measures`)."""
    if found := UNIT_AFTER.match(norm(line[token.end :])):
        if found.group(1) == "%" and not MONEY_SHARE.match(norm(line[token.end + found.end() :])):
            return None
        return UNITS.get(found.group(1), found.group(1))
    if context.table_unit and line.strip() == token.text:
        return context.table_unit
    return None


def _after(line: str, token: Token, next_start: int) -> str:
    """The words right after the number, to the next amount or the next ";", ":", "(" or ")"; a
    parenthesis without numbers right after the unit is the amount's own words."""
    text = line[token.end : next_start]
    if own := OWN_PARENTHESIS.match(norm(text)):
        return own.group(1)
    cut = min((i for i in (text.find(mark) for mark in ";:()") if i >= 0), default=len(text))
    return norm(text[:cut])


def _statement_group(title: str, groups: tuple[str, ...]) -> Reading:
    """The registered block a title starts, by its number: "III. ..." is ``…_III``, "PHỤ LỤC II"
    is ``appendix_II``, "PHỤ LỤC" is ``appendix``; of several, the shortest name (the block itself,
    not a part of it); the only block of a document that registers one."""
    lowered = norm(title).lstrip("(").strip()
    number = found.group(1).upper() if (found := TITLE_NUMBER.match(lowered)) else ""
    if lowered.startswith("phụ lục"):
        named = [
            g for g in groups if g.startswith("appendix") and (g.endswith(f"_{number}") if number else g == "appendix")
        ]
    else:
        named = [g for g in groups if number and not g.startswith("appendix") and re.search(rf"(^|_){number}(_|$)", g)]
    if not named and len(groups) == 1:
        return Reading(groups[0], "the document's only registered block", "medium")
    if not named:
        return Reading("", f"no registered block is numbered as the title {title[:60]!r}", "low")
    best = min(named, key=lambda g: (len(g), g))
    return Reading(best, title[:80], "medium" if len(named) == 1 else "low")


def _declared(proposal: Proposal, declared: DeclaredColumn, context: Context) -> None:
    """A cell of a declared column: its source, capital type, period and what a total sums are the
    column's (a row labelled as the period's total holds period totals in every column)."""
    evidence = f"declared column {declared.number} ({declared.where}): {declared.header}"
    for name, value in (
        ("funding_source_code", declared.funding_source_code),
        ("capital_type_code", declared.capital_type_code),
        ("period", declared.period),
    ):
        proposal.readings[name] = Reading(value, evidence, "medium")
    proposal.defines_total, proposal.column = declared.sums_funding_sources, declared
    proposal.declared_capitals = declared.sums_capital_types
    proposal.amount_basis = (
        "period_total" if PERIOD_TOTAL_ROW.search(norm(context.row_label)) else declared.amount_basis
    )


def _propose_one(
    token: Token,
    line: str,
    unit: str,
    window: str,
    after: str,
    column: str,
    context: Context,
    registration: Registration,
    declared: DeclaredColumn | None = None,
) -> Proposal | None:
    try:
        value = Decimal(0) if token.text in NIL_MARKS else parse_vi_number(token.text)
    except VietnameseNumberError:
        return None
    is_cell = line.strip() == token.text
    text = norm(window)
    proposal = Proposal(
        token=token,
        source_text=line.strip() if is_cell else line[max(0, token.start - len(window)) :].strip(),
        value_printed=token.text,
        unit_printed=unit,
        value_numeric=value,
        amount_million_vnd=to_million_vnd(value, unit),
    )
    readings = proposal.readings
    if (not is_cell and (source := _reading(SOURCES, text, "high", after))) or (
        column and (source := _reading(SOURCES, norm(column), "medium"))
    ):
        value, _, sources = source.value.partition(":")
        readings["funding_source_code"] = Reading(value, source.evidence, source.confidence)
        proposal.defines_total = sources
    else:
        readings["funding_source_code"] = (
            context.carried.get(f"source@{token.line}")
            or context.source
            or Reading("unspecified", "no source named", "low")
        )
        if carried := context.carried.get(f"defines_total@{token.line}"):
            proposal.defines_total = carried.value
    capital_default = context.capital or context.document_capital
    if readings["funding_source_code"].value == "other_mobilized":
        capital_default = None  # other mobilised funds are no budget capital: stated or unspecified
    for column_name, cues, inherited in (
        ("capital_type_code", CAPITAL_TYPES, capital_default),
        ("phase_code", PHASES, context.phase),
    ):
        own = _reading(cues, text, "high", after) if not is_cell else None
        readings[column_name] = (
            own
            or context.carried.get(f"capital@{token.line}" if column_name == "capital_type_code" else column_name)
            or context.carried.get(column_name)
            or inherited
            or Reading("unspecified" if column_name == "capital_type_code" else "requested", "no words for it", "low")
        )
    own_component = component_of(norm(window), context.project) if not is_cell else None
    readings["component_code"] = (
        Reading(own_component, window.strip()[:80], "high")
        if own_component
        else context.component or Reading("ALL", "no heading names a component", "low")
    )
    own_period = period_of(norm(line)) if not is_cell else None
    start, end = own_period or registration.period
    readings["period"] = (
        Reading(f"{start}-{end}", line.strip()[:80], "high")
        if own_period
        else context.carried.get("period")
        or context.period
        or Reading(f"{start}-{end}", "the document's period (documents.csv)", "low")
    )
    proposal.block, proposal.row = context.block, context.rows if column or declared else 0
    proposal.locator = f"dòng {token.line}"
    if column or declared:
        number = context.row_number if context.row_number != context.row_label else "(không số)"
        proposal.locator = f"{context.title or 'bảng'}, STT {number}, cột {context.cell - 2}" + (
            f": {column}" if column else ""
        )
    proposal.readings["statement_group"] = _statement_group(context.title, registration.statement_groups)
    if declared:
        _declared(proposal, declared, context)
        return proposal
    for name in ("phase_code", "period"):  # what the amount's own words say holds for its parts below
        if readings[name].confidence == "high":
            context.carried[name] = Reading(readings[name].value, readings[name].evidence, "medium")
    capital = readings["capital_type_code"]
    if capital.confidence == "high":  # "- Vốn đầu tư phát triển: 87.265 (trong đó: NSTW 84.724; ...)"
        context.carried[f"capital@{token.line}"] = Reading(capital.value, capital.evidence, "medium")
    source = readings["funding_source_code"]
    if source.confidence == "high":
        # the parts printed after it on its line, in parentheses, are of the same source
        context.carried[f"source@{token.line}"] = Reading(source.value, source.evidence, "medium")
        context.carried[f"defines_total@{token.line}"] = Reading(proposal.defines_total, "", "medium")
    return proposal


def _block_sources(proposals: list[Proposal], total: Proposal, registration: Registration) -> str:
    """The document's definition of total, less the sources its block never prints on their own
    (Lạng Sơn defines its total with other mobilised funds, but its allocation sections print only
    the state budget's)."""
    printed = {p.value("funding_source_code") for p in proposals if p.block == total.block}
    defined = registration.total_funding_sources.split("|")
    kept = [source for source in defined if source in printed or source != "other_mobilized"]
    return "|".join(kept)


def _source_capitals(proposals: list[Proposal]) -> None:
    """A source whose programme total states one capital type ("b) Vốn ngân sách địa phương: 9,3 tỷ
    đồng (vốn sự nghiệp)") lends it to that source's amounts no words give a capital type."""
    stated: dict[str, set[str]] = {}
    evidence: dict[str, str] = {}
    for p in proposals:
        capital = p.readings["capital_type_code"]
        if p.value("component_code") == "ALL" and capital.confidence == "high" and capital.value != "total":
            stated.setdefault(p.value("funding_source_code"), set()).add(capital.value)
            evidence[p.value("funding_source_code")] = p.source_text[:80]
    for p in proposals:
        source = p.value("funding_source_code")
        if len(stated.get(source, ())) == 1 and p.readings["capital_type_code"].confidence == "low":
            (value,) = stated[source]
            p.readings["capital_type_code"] = Reading(value, f"{SOURCE_TOTAL_EVIDENCE}: {evidence[source]}", "medium")


def _sources_follow(proposals: list[Proposal]) -> None:
    """An amount without words for its source that parts by source follow is their total."""
    for index, proposal in enumerate(proposals):
        if proposal.value("funding_source_code") == "unspecified":
            component = proposal.value("component_code")
            following = [p for p in proposals[index + 1 : index + 4] if p.value("component_code") == component]
            if any(p.readings["funding_source_code"].confidence == "high" for p in following):
                proposal.readings["funding_source_code"] = Reading("total", "parts by source follow it", "medium")


def _line_capitals(proposals: list[Proposal]) -> None:
    """An amount whose parts on its line, of its source, state two capital types is their total
    ("Ngân sách trung ương: 29 tỷ đồng (vốn đầu tư phát triển: 10 tỷ đồng; vốn sự nghiệp: 19 tỷ
    đồng)"); a share of the whole plan is over both."""
    for index, proposal in enumerate(proposals):
        if proposal.readings["capital_type_code"].confidence == "high" or proposal.declared_capitals:
            continue
        same_line = [p for p in proposals[index + 1 :] if p.token.line == proposal.token.line]
        capitals = sorted(
            {
                p.value("capital_type_code")
                for p in same_line
                if p.readings["capital_type_code"].confidence == "high"
                and p.value("funding_source_code") == proposal.value("funding_source_code")
            }
        )
        if proposal.unit_printed == "%":
            capitals = ["development_investment", "recurrent"]  # a share of the whole plan
        if len(capitals) > 1:
            evidence = "its parts on the line are of two capital types"
            proposal.readings["capital_type_code"] = Reading("total", evidence, "medium")
            proposal.declared_capitals = "|".join(capitals)


def _parts_capitals(proposals: list[Proposal], registration: Registration) -> None:
    """A total over sources no words give a capital type: its parts' (the next three amounts of its
    component) when they all state the same one; over every capital type the document prints for
    its sources when they state several; unknown when a budget part states none (other mobilised
    funds are no budget capital: their "unspecified" is a capital type of its own)."""
    for index, proposal in enumerate(proposals):
        readings = proposal.readings
        if proposal.value("funding_source_code") != "total" or readings["capital_type_code"].confidence != "low":
            continue
        following = [
            p
            for p in proposals[index + 1 : index + 4]
            if p.value("component_code") == proposal.value("component_code")
            and p.value("funding_source_code") != "total"
        ]
        parts = {p.value("capital_type_code") for p in following}
        unknown = any(
            p.value("capital_type_code") == "unspecified" and p.value("funding_source_code") != "other_mobilized"
            for p in following
        )
        if len(parts) == 1 and parts != {"unspecified"}:
            readings["capital_type_code"] = Reading(parts.pop(), PARTS_EVIDENCE, "medium")
        elif len(parts) > 1 and not unknown:
            defined = set((proposal.defines_total or registration.total_funding_sources).split("|"))
            printed = {
                p.value("capital_type_code")
                for p in proposals
                if p.value("funding_source_code") in defined and p.value("capital_type_code") != "total"
            }
            readings["capital_type_code"] = Reading(
                "total", "its parts that follow are of several capital types", "medium"
            )
            proposal.declared_capitals = "|".join(sorted(printed))


def _complete_totals(proposals: list[Proposal], registration: Registration, components: set[str]) -> None:
    """What a total sums: the document's definition of total over sources; the sub-projects printed
    for a project (the projects for the programme); the capital types of a total over them."""
    _sources_follow(proposals)
    _line_capitals(proposals)
    _parts_capitals(proposals, registration)
    for proposal in proposals:
        sums = []
        if proposal.value("funding_source_code") == "total":
            sums.append(f"sources={proposal.defines_total or _block_sources(proposals, proposal, registration)}")
        component = proposal.value("component_code")
        below = sorted(
            {
                p.value("component_code")
                for p in proposals
                if p.block == proposal.block and p.value("component_code").rsplit(".", 1)[0] == component
            }
            - {component}
        )
        if component == "ALL":
            below = sorted(c for c in components if c.startswith("DA") and "." not in c)
        if below:
            sums.append("components=" + "|".join(below))
        if proposal.declared_capitals:
            sums.append(f"capitals={proposal.declared_capitals}")
        proposal.readings["sums"] = Reading(
            ";".join(sums), "the document's definition of total and its components", "low"
        )


def _cell(proposal: Proposal) -> tuple[object, ...]:
    """What one printing of a cell shares with another (block, component, source, capital type,
    phase, period, basis and value)."""
    return (
        proposal.block,
        *(proposal.value(name) for name in ("component_code", "funding_source_code", "capital_type_code")),
        proposal.value("phase_code"),
        proposal.value("period"),
        proposal.amount_basis,
        proposal.amount_million_vnd,
    )


def _repeats(proposals: list[Proposal]) -> None:
    """A printing of a cell already printed repeats it: a cell of a declared column repeats the same
    row's cell of the column the layout names (``repeats_column``); any other repeats the first
    printing. The one repeated is counted, the repeat is not."""
    first: dict[tuple[object, ...], Proposal] = {}
    by_row = {(p.row, p.column.number): p for p in proposals if p.column}
    for proposal in proposals:
        key = _cell(proposal)
        declared = proposal.column.repeats_column if proposal.column else 0
        evidence = ""
        if declared and (other := by_row.get((proposal.row, declared))) and _cell(other) == key:
            proposal.repeats, evidence = other, f"the same row's cell of column {declared} ({proposal.column.where})"
        elif key in first and first[key].repeats is None and first[key].column is None:
            proposal.repeats, evidence = first[key], "the first printing of the same cell in its block"
        first.setdefault(key, proposal)
        proposal.readings["repeats"] = (
            Reading(where_printed(proposal.repeats.token), evidence, "medium")
            if proposal.repeats
            else Reading("", "no earlier printing of the same cell", "low")
        )


def where_printed(token: Token) -> str:
    """A printing's place in its document: ``line L column C``."""
    return f"line {token.line} column {token.column}"


def _document_capital(document: Document) -> Reading | None:
    """The capital type the document's titles name, when they name exactly one."""
    named = {
        found[0]: found[1]
        for line in document.lines
        if is_title(line) and (found := first_cue(CAPITAL_TYPES, norm(line)))
    }
    if len(named) != 1:
        return None
    ((value, words),) = named.items()
    return Reading(value, f"every title of the document that names a capital type says {words!r}", "medium")


def _table_line(context: Context, line: str) -> tuple[str, str, DeclaredColumn | None] | None:
    """Follow a table reconstructed one cell per line (tab-prefixed), rows separated by empty
    lines: the header block names the columns (or a declared layout does), then each row is STT,
    label, values; a line of only a tab is an empty cell. Returns ("cell", column header, declared
    column) for a value cell, ("label", text, None) for a row label, else None."""
    if not line.strip() and (not context.in_rows or "\t" not in line):
        if context.columns:
            context.row_label, context.cell = "", 0
        return None
    if not context.in_rows and not context.columns_done:
        context.columns.append(line.strip())
        return None
    context.in_rows = True
    index, context.cell = context.cell, context.cell + 1
    if index == 0:
        context.row_number = line.strip()
    if index == 1:
        context.row_label, context.rows = line.strip(), context.rows + 1
        return ("label", line.strip(), None) if line.strip() else None
    if index >= 2 and context.layout:
        declared = context.layout.column(index - 1)
        return "cell", declared.header if declared else "", declared
    if index >= 2:
        return "cell", context.columns[index] if index < len(context.columns) else "", None
    return None


def _row_component(context: Context, label: str) -> None:
    """A table row's label names a component ("Dự án 2: ...", or Decision 90's name of one), or
    the table's total ("Tổng giai đoạn 2022 - 2025", "Kinh phí các dự án 01 năm"): ALL."""
    lowered = norm(label)
    if component_of(lowered, context.project, context.names):
        _heading(context, label)
    elif TOTAL_ROW.search(lowered):
        context.component, context.carried = Reading("ALL", label, "medium"), {}
    elif code := component_named(lowered, context.project, context.names):
        context.component, context.carried = Reading(code, label, "medium"), {}
        if "." not in code:
            context.project = code
    else:
        _heading(context, label)


def propose(document: Document, registration: Registration, unaccounted: set[Token]) -> list[Proposal]:
    """A proposal for every unaccounted numeral of ``document`` printed with a money unit."""
    context = Context(document_capital=_document_capital(document), names=registration.component_names)
    proposals: list[Proposal] = []
    components: set[str] = set()
    for number, line in enumerate(document.lines, start=1):
        lowered = norm(line)
        if context.layout and number > context.layout.last_line:
            context.layout, context.table_unit = None, None
        if layout := next((t for t in registration.layouts if t.first_line == number), None):
            context.layout, context.table_unit, context.columns = layout, layout.unit, ["STT", "label"]
            context.columns_done, context.in_rows, context.cell = True, True, 0
        elif unit := TABLE_UNIT.search(lowered):
            context.table_unit, context.columns, context.in_rows, context.cell = unit.group(1), [], False, 0
            context.columns_done = False
            continue
        column, declared = "", None
        if context.table_unit and (line.lstrip(" ").startswith("\t") or not line.strip()):
            if not line.strip() and context.columns and not context.in_rows:
                context.columns_done = True
            kind = _table_line(context, line)
            if kind and kind[0] == "label":
                _row_component(context, kind[1])
                if context.component:
                    components.add(context.component.value)
                continue
            if not kind:
                continue
            _, column, declared = kind
        elif context.table_unit:
            context.table_unit = None
        tokens = document.tokens_on(number)
        amounts = [(t, u) for t in tokens if t in unaccounted and (u := _money_unit(line, t, context))]
        if not amounts:
            if not column and (HEADING.match(lowered) or is_title(line) or not tokens):
                _heading(context, line)
                if context.component:
                    components.add(context.component.value)
            continue
        prefix = line[: amounts[0][0].start]
        if not column and component_of(norm(prefix), context.project):
            _heading(context, prefix)  # "Dự án 3: kinh phí ... là 1.200 ..., gồm ...": the line's component
        elif not column and PROGRAMME_TOTAL.search(norm(prefix)):
            context.component, context.carried = Reading("ALL", prefix.strip()[:80], "medium"), {}
        previous_end = 0
        for index, (token, unit) in enumerate(amounts):
            window = _window(line, token, previous_end)
            after = _after(line, token, amounts[index + 1][0].start if index + 1 < len(amounts) else len(line))
            if proposal := _propose_one(token, line, unit, window, after, column, context, registration, declared):
                proposals.append(proposal)
                if proposal.value("component_code").startswith("DA"):
                    components.add(proposal.value("component_code"))
            previous_end = token.end
    _source_capitals(proposals)
    _complete_totals(proposals, registration, components)
    _repeats(proposals)
    return proposals
