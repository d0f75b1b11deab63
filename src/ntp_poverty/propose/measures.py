"""Proposed plan_targets and plan_results rows and numeral classifications: the numbers of a
document that are not amounts.

Every numeral the ledger does not account for and that is not an amount (no money unit) is read
in its clause (the words between the ";" around it) and under its heading:

* a **result** when the clause or its heading reports what was done ("đã", "kết quả", "thực hiện
  được", "lũy kế"), a **target** when it plans one ("phấn đấu", "giảm", "đạt", "hỗ trợ", a
  "Mục tiêu" heading), else a **classification** (not programme data, category ``other``, for the
  reviewer to name);
* its unit (``%`` or the noun after the number), comparator ("trên" >, "dưới" <, "ít nhất" ≥,
  "khoảng" approximately, "1,5% - 2%" a range whose high value is the next number), the years it
  holds (the clause's, the heading's, the document's), per year ("mỗi năm", "/năm", "bình quân"),
  and the indicator of indicators.csv whose name the clause prints (most of its words).

Each judgement carries the words it was read from and a confidence, as for amounts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ntp_poverty.ledger.tokens import Document, Token
from ntp_poverty.propose.cues import PERIOD_YEAR, Reading, component_of, norm, period_of
from ntp_poverty.propose.rules import Registration, is_title

KINDS = ("target", "result", "classification")
#: The judgements scored per kind (the evaluation compares them with the committed rows).
TARGET_JUDGEMENTS = ("kind", "indicator_code", "comparator", "unit_printed", "years", "is_per_year")
RESULT_JUDGEMENTS = ("kind", "indicator_code", "component_code", "value_comparator", "unit_printed", "reference_year")
CLASSIFICATION_JUDGEMENTS = ("kind", "category")

RESULT_WORDS = re.compile(r"\bđã\b|thực hiện được|triển khai được|đạt được|lũy kế|tổ chức được|hỗ trợ được")
#: Words that plan, whatever the heading says ("đã xây dựng kế hoạch, dự kiến tổ chức 15 lớp").
PLAN_WORDS = re.compile(r"phấn đấu|mục tiêu|chỉ tiêu|dự kiến")
#: Words of a target when no heading says the section reports results.
TARGET_WORDS = re.compile(
    r"\bgiảm\b|\btăng\b|\bđạt\b|hỗ trợ|đào tạo|bảo đảm|đảm bảo|xây dựng|nhân rộng|tối thiểu|ít nhất|"
    r"\btỷ lệ\b|\bcho\b"
)
#: What a heading's section holds, the first that matches deciding: a section on the situation or
#: on what was done reports; one on objectives plans ("Mục tiêu cụ thể, kết quả chủ yếu" plans results).
HEADING_KINDS = (
    (re.compile(r"bối cảnh|thực trạng|tình hình thực hiện|kết quả thực hiện|đã thực hiện"), "result"),
    (re.compile(r"mục tiêu|chỉ tiêu|nhiệm vụ|kế hoạch năm|dự kiến"), "target"),
    (re.compile(r"kết quả|đánh giá"), "result"),
)
#: A numbered, lettered or roman heading, or a title (not a "-" or "+" list item).
SECTION = re.compile(r"^\s*(?:[IVX]+\.|[a-zđ]\)|\d+(?:\.\d+)*\.\s|phụ lục)", re.IGNORECASE)
#: Lines of a page's footer or a filing note: their numbers are not programme data.
CONTACT_LINE = re.compile(r"địa chỉ|điện thoại|email|fax|tất cả\s*:|lượt truy cập|website")
FILING_LINE = re.compile(r"^\s*-?\s*lưu\s*:")
#: The comparator a clause's words give the number after them, nearest first.
COMPARATORS = (
    (re.compile(r"(?:xuống |còn )?dưới\s*$|không quá\s*$|thấp hơn\s*$"), "<"),
    (re.compile(r"tối đa\s*$"), "≤"),
    (re.compile(r"ít nhất\s*$|tối thiểu\s*$|\btừ\s*$"), "≥"),
    (re.compile(r"\btrên\s*$|hơn\s*$|vượt\s*$"), ">"),
    (re.compile(r"khoảng\s*$|gần\s*$|xấp xỉ\s*$"), "approximately"),
)
RANGE_AFTER = re.compile(r"^\s*%?\s*[-–]\s*$")
PER_YEAR = re.compile(r"mỗi năm|hằng năm|hàng năm|bình quân|/\s*năm")
DATE_YEAR = re.compile(r"\b\d{1,2}/((?:19|20)\d\d)\b")
COMPARED_WITH = re.compile(r"so với (?:cùng kỳ )?(?:năm )?(?:19|20)\d\d")
YEARS_LISTED = re.compile(r"các năm\s+((?:19|20)\d\d)\s+và\s+((?:19|20)\d\d)")
#: Words that end the unit printed after a number ("150 lao động thuộc hộ nghèo": lao động).
UNIT_STOP = re.compile(
    r"\s(?:thuộc|cho|được|của|trên|tại|với|đã|để|có|làm|ở|trong|theo|gắn|tham|về|là|nghèo|cận|mới|"
    r"đi|tiếp|sử|hỗ|đạt|và|tập|bồi|thực|tuyến|đang|chuẩn)\b|[;:().,/]|\d"
)
WORD = re.compile(r"\w+")
RESULT_COMPARATORS = frozenset({"<", "=", ">", "range", "approximately"})
LIST_MARKER = re.compile(r"^[\s\-+•*]*(?:\(\d+\)|[a-zđ]\)|\d+\.)?\s*", re.IGNORECASE)
PLAN_OPENING = re.compile(r"^(?:phấn đấu|dự kiến|mục tiêu|đến (?:cuối )?năm \d{4},?)\s*", re.IGNORECASE)
BOUND_WORDS = re.compile(
    r"\s*(?:từ|trên|dưới|xuống dưới|còn|đạt|khoảng|gần|ít nhất|tối thiểu|tối đa|không quá|là|cho)\s*$",
    re.IGNORECASE,
)
DENOMINATOR = re.compile(r"^/\s*\d+\s*")
#: Words that take two more to name a unit ("người lao động", "tuyến đường huyện").
CLASSIFIERS = frozenset({"người", "tuyến"})
#: A second noun joined to the unit ("mô hình, dự án", "huyện, thành phố"), not a verb or a number.
JOINED_NOUN = re.compile(
    r"^\s*(,\s*|/)(?!chiếm|đạt|tăng|giảm|trong|nhất|với|gồm|bao|tổng|trên|\d)([^\d,;:().]+?)(?=[,;:().]|\s+(?:đã|được|và|thuộc|cho|có)\b|$)"
)
#: Share of an indicator's name words the clause must print for the indicator to be proposed.
INDICATOR_COVERAGE = 0.75


@dataclass
class MeasureProposal:
    """One number that is not an amount: its kind, and each judgement read for it."""

    token: Token
    clause: str
    kind: Reading
    high: Token | None = None  # the high value of a range
    readings: dict[str, Reading] = field(default_factory=dict)

    def value(self, column: str) -> str:
        """The proposed value of a judgement ('' when none was read)."""
        if column == "kind":
            return self.kind.value
        return self.readings[column].value if column in self.readings else ""


def _clause(line: str, token: Token) -> tuple[str, str]:
    """The words of the token's clause before and after it (clauses end at ";" or a sentence's ". ")."""
    before, after = line[: token.start], line[token.end :]
    start = max(before.rfind(";"), before.rfind(". "))
    ends = [i for i in (after.find(";"), after.find(". ")) if i >= 0]
    return before[start + 1 :], after[: min(ends) if ends else len(after)]


def _unit(after: str) -> Reading:
    """``%``, else the noun after the number (after a "/11" denominator): two words, three after a
    classifier ("người lao động"), and a second noun joined by a comma or "/" ("huyện, thành phố")."""
    stripped = after.lstrip()
    if stripped.startswith("%"):
        return Reading("%", "%", "high")
    text = " " + DENOMINATOR.sub("", norm(stripped))
    head = UNIT_STOP.split(text, maxsplit=1)[0]
    words = head.split()
    words = words[: 3 if words and words[0] in CLASSIFIERS else 2]
    unit = " ".join(words)
    taken = re.match(r"\s*" + r"\s+".join(map(re.escape, words)), text) if words else None
    if taken and (second := JOINED_NOUN.match(text[taken.end() :])):
        unit += (
            second.group(1).strip() + (" " if "," in second.group(1) else "") + " ".join(second.group(2).split()[:2])
        )
    return Reading(unit, unit, "medium") if unit else Reading("", "no unit after it", "low")


def _comparator(before: str, ranged: bool) -> Reading:
    if ranged:
        return Reading("range", "two numbers joined by '-'", "high")
    text = norm(before)
    for pattern, value in COMPARATORS:
        if found := pattern.search(text):
            return Reading(value, found.group(0).strip(), "high")
    return Reading("=", "no word before it bounds it", "low")


def _years(clause: str, line: str, context: _Context, registration: Registration) -> Reading:
    """The years the clause prints (not a year it compares with: "so với năm 2021"), else its
    line's, else its section title's, else the document's."""
    text = COMPARED_WITH.sub("", norm(clause))
    if listed := YEARS_LISTED.search(text):
        return Reading(f"{listed.group(1)}-{listed.group(2)}", listed.group(0), "high")
    if own := period_of(text):
        return Reading(f"{own[0]}-{own[1]}", clause.strip()[:80], "high")
    if on_line := period_of(COMPARED_WITH.sub("", norm(line))):
        return Reading(f"{on_line[0]}-{on_line[1]}", line.strip()[:80], "medium")
    if context.period:
        return context.period
    start, end = registration.period
    return Reading(f"{start}-{end}", "the document's period (documents.csv)", "low")


def _reference_year(clause: str, line: str, context: _Context, registration: Registration) -> Reading:
    """The year a result is of: a "năm 2022" of its clause or line (not a compared year), else the
    year of a date printed there ("Đến tháng 02/2023"), else the end of its years."""
    for pattern in (PERIOD_YEAR, DATE_YEAR):
        for text in (clause, line):
            if found := pattern.search(COMPARED_WITH.sub("", norm(text))):
                return Reading(found.group(1), found.group(0), "high" if text is clause else "medium")
    years = _years(clause, line, context, registration)
    return Reading(years.value.split("-")[-1], years.evidence, years.confidence)


def _indicator_words(before: str, rest: str) -> Reading:
    """What the number measures, in the document's words: the clause before it without its list
    marker, plan words and bounding word ("- Phấn đấu giảm tỷ lệ hộ nghèo từ 2%": giảm tỷ lệ hộ
    nghèo); in an enumeration (a number earlier in the clause) or when nothing is left, the words
    after it to the next comma or number ("22 dự án giao thông, 02 dự án điện": dự án giao thông)."""
    own = before.rsplit(":", maxsplit=1)[-1]  # the words since a colon ("Trong 6 tháng ...: thực hiện")
    words = BOUND_WORDS.sub("", PLAN_OPENING.sub("", LIST_MARKER.sub("", own))).strip(" ,:")
    if len(words.split()) >= 2 and not re.search(r"\d", own):
        return Reading(words, "the words before the number", "medium")
    following = re.split(r"[,;.()]|\d", rest.lstrip().removeprefix("%"), maxsplit=1)[0].strip()
    if following:
        return Reading(following, "the words after the number", "low")
    return Reading("", "no words name what the number measures", "low")


def _indicator(clause: str, unit: str, indicators: dict[str, tuple[str, str]]) -> Reading:
    """Of the indicators measured as the number is (a share for "%", else a count) whose name the
    clause prints nearly whole (INDICATOR_COVERAGE of its words), the one it prints most words of."""
    words = set(WORD.findall(norm(clause)))
    shares = {"percent", "percentage_points"}
    scored = [
        (
            len(words & set(WORD.findall(name))),
            len(words & set(WORD.findall(name))) / len(set(WORD.findall(name))),
            code,
        )
        for code, (name, measure_unit) in indicators.items()
        if WORD.findall(name) and (measure_unit in shares) == (unit == "%")
    ]
    printed = [entry for entry in scored if entry[1] >= INDICATOR_COVERAGE]
    if not printed:
        return Reading("", "no indicator's name is printed in the clause", "low")
    matched, coverage, code = max(printed)
    return Reading(code, f"{indicators[code][0]} ({matched} words, {coverage:.0%} of its name)", "medium")


@dataclass
class _Context:
    heading_kind: Reading | None = None
    period: Reading | None = None
    component: Reading | None = None
    project: str | None = None


def _heading(context: _Context, line: str) -> None:
    lowered = norm(line)
    if kind := next((kind for pattern, kind in HEADING_KINDS if pattern.search(lowered)), None):
        context.heading_kind = Reading(kind, line.strip()[:80], "medium")
    if is_title(line) and (period := period_of(lowered)):
        context.period = Reading(f"{period[0]}-{period[1]}", line.strip()[:80], "medium")
    if component := component_of(lowered, context.project):
        context.component = Reading(component, line.strip()[:80], "medium")
        if component.startswith("DA"):
            context.project = component.split(".")[0]
    elif is_title(line):  # a new section: the component of the one before no longer holds
        context.component, context.project = None, None


def _kind(line: str, before: str, after: str, unit: Reading, context: _Context) -> Reading:
    """The words nearest before the number (else first after it) that report or plan, else the
    heading's kind, else words of a target; a share without such words is planned; else not
    programme data."""
    if CONTACT_LINE.search(norm(line)) or FILING_LINE.search(norm(line)):
        return Reading("classification", line.strip()[:80], "medium")
    for text, nearest in ((norm(before), True), (norm(after), False)):
        found = [
            (m.end() if nearest else -m.start(), kind, m.group(0))
            for kind, cues in (("result", RESULT_WORDS), ("target", PLAN_WORDS))
            for m in cues.finditer(text)
        ]
        if found:
            _, kind, words = max(found)
            return Reading(kind, words, "high")
    if context.heading_kind:
        return context.heading_kind
    if found := TARGET_WORDS.search(norm(before + " " + after)):
        return Reading("target", found.group(0), "medium")
    if unit.value == "%":
        return Reading("target", "a share with no words of a result", "low")
    return Reading("classification", "no words of a target or a result around it", "low")


def propose_measures(
    document: Document,
    registration: Registration,
    unaccounted: set[Token],
    amounts: set[Token],
    indicators: dict[str, tuple[str, str]],
) -> list[MeasureProposal]:
    """A target, result or classification proposal for every unaccounted numeral that is not an amount."""
    context = _Context()
    proposals: list[MeasureProposal] = []
    for number, line in enumerate(document.lines, start=1):
        tokens = document.tokens_on(number)
        if SECTION.match(norm(line)) or is_title(line):
            _heading(context, line)
        highs: set[Token] = set()
        for index, token in enumerate(tokens):
            if token not in unaccounted or token in amounts or token in highs:
                continue
            before, after = _clause(line, token)
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            ranged = following is not None and RANGE_AFTER.match(line[token.end : following.start]) is not None
            high = following if ranged else None
            if high:
                highs.add(high)
            clause = before + token.text + after
            unit = _unit(line[(high or token).end :])
            proposal = MeasureProposal(token, clause.strip(), _kind(line, before, after, unit, context), high)
            comparator = _comparator(before, ranged)
            indicator = _indicator(clause, unit.value, indicators)
            printed = _indicator_words(before, line[(high or token).end :])
            if proposal.kind.value == "target":
                proposal.readings |= {
                    "indicator_printed": printed,
                    "indicator_code": indicator,
                    "comparator": comparator,
                    "unit_printed": unit,
                    "years": _years(clause, line, context, registration),
                    "is_per_year": (
                        Reading("true", found.group(0), "high")
                        if (found := PER_YEAR.search(norm(clause)))
                        else Reading("false", "no words of a yearly amount", "low")
                    ),
                }
            elif proposal.kind.value == "result":
                if comparator.value not in RESULT_COMPARATORS:  # "từ 3%" bounds a plan, not what was done
                    comparator = Reading("=", f"{comparator.evidence!r} bounds no result", "low")
                proposal.readings |= {
                    "indicator_printed": printed,
                    "indicator_code": indicator,
                    "component_code": context.component or Reading("ALL", "no heading names a component", "low"),
                    "value_comparator": comparator,
                    "unit_printed": unit,
                    "reference_year": _reference_year(clause, line, context, registration),
                }
            elif CONTACT_LINE.search(norm(line)):
                proposal.readings["category"] = Reading("contact_or_page", line.strip()[:80], "medium")
            else:
                proposal.readings["category"] = Reading("other", clause.strip()[:80], "low")
            proposals.append(proposal)
    return proposals
