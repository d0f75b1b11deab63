"""The words a document uses for each judgement of a plan_amounts row, and how to read them.

Each cue is a regular expression over the NFC, lower-cased text and the value it stands for; the
first cue (in order) that occurs in a piece of text decides, and the words it matched are the
evidence. Order matters: a more specific phrase comes before the word it contains ("ngân sách địa
phương đối ứng" before "ngân sách").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

Cue = tuple[re.Pattern[str], str]


def _cues(*pairs: tuple[str, str]) -> tuple[Cue, ...]:
    return tuple((re.compile(pattern), value) for pattern, value in pairs)


#: The state budget (ngân sách nhà nước): a total over the central and the local budget.
STATE_BUDGET = "total:central_budget|local_budget"
#: Funding sources (funding_sources.csv), and ``total`` for a total over sources (``total:<sources>``
#: when the words say which sources it includes).
SOURCES = _cues(
    (r"ngân sách trung ương|\bnstw\b|vốn trung ương", "central_budget"),
    (r"ngân sách địa phương|\bnsđp\b|ngân sách tỉnh|ngân sách huyện|ngân sách xã|vốn đối ứng|đối ứng", "local_budget"),
    (r"huy động|vốn khác|nguồn khác", "other_mobilized"),
    (r"tín dụng chính sách|vốn vay", "policy_credit"),
    (r"ngân sách nhà nước", STATE_BUDGET),
    (r"tổng cộng|tổng nguồn vốn|tổng số|tổng kinh phí|tổng vốn|nguồn vốn|kinh phí|tổng", "total"),
)
#: Capital types (capital_types.csv).
CAPITAL_TYPES = _cues(
    (r"đầu tư phát triển|\bđtpt\b|vốn đầu tư|đầu tư công", "development_investment"),
    (r"sự nghiệp|\bsn\b", "recurrent"),
)
#: Phases (plan_phases.csv): a forecast before a disbursement, a request before an allocation.
PHASES = _cues(
    (r"dự kiến giải ngân|ước giải ngân|ước thực hiện|dự kiến đến|khả năng thực hiện", "forecast"),
    (r"giải ngân|đã thực hiện|lũy kế", "disbursed"),
    (r"đề xuất(?: kế hoạch vốn)?|đề nghị|nhu cầu|dự kiến(?: kế hoạch vốn)?", "requested"),
    (r"được giao|vốn giao|đã giao|giao|phân bổ|bố trí|kế hoạch vốn", "allocated"),
)
#: A component heading: "Dự án 4", "Tiểu dự án 2" (Decision 90's projects and sub-projects).
PROJECT = re.compile(r"(?<!tiểu )\bdự án\s*(\d)\b")
SUB_PROJECT = re.compile(r"\btiểu dự án\s*(\d)\b")
PROGRAMME = re.compile(r"chương trình mục tiêu quốc gia|toàn chương trình|tổng cộng")
#: The programme's total named before an amount ("Tổng nhu cầu vốn thực hiện Chương trình MTQG ... là").
PROGRAMME_TOTAL = re.compile(r"\btổng\b.{0,40}\bchương trình\b")
#: A table row that totals the rows above it: "Tổng giai đoạn 2022 - 2025", "Kinh phí các dự án 01 năm".
TOTAL_ROW = re.compile(r"^tổng\b|\bcác dự án\b")
#: A table row whose cells are the period's totals ("Tổng giai đoạn 2022 - 2025").
PERIOD_TOTAL_ROW = re.compile(r"\btổng giai đoạn\b|\bcả giai đoạn\b")
#: Words a row label shares with Decision 90's name of a component (Jaccard over words) for the
#: label to name it: "Phát triển giáo dục nghề nghiệp vùng khó khăn" names DA4.1.
NAME_OVERLAP = 0.6
#: A lettered sub-heading ("b) Truyền thông về giảm nghèo đa chiều"): read against Decision 90's names.
LETTERED = re.compile(r"^\s*[a-zđ]\)\s*(.+)$")
#: A period: "giai đoạn 2024 - 2025", "năm 2024", "2024-2025".
PERIOD_RANGE = re.compile(r"((?:19|20)\d\d)\s*[-–]\s*((?:19|20)\d\d)")
PERIOD_YEAR = re.compile(r"\bnăm\s+((?:19|20)\d\d)\b")
#: The unit of a table: "ĐVT: Triệu đồng", "Đơn vị tính: triệu đồng".
TABLE_UNIT = re.compile(r"(?:đvt|đơn vị tính|đơn vị)\s*:?\s*(triệu đồng|tỷ đồng|đồng)")
#: The unit printed right after a number.
UNIT_AFTER = re.compile(r"^\s*(triệu đồng|tỷ đồng|tỷ|đồng|%)(?![\w])")
UNITS = {"tỷ": "tỷ đồng"}


def norm(text: str) -> str:
    """NFC, lower case, markdown emphasis removed: the text cues are read from."""
    return unicodedata.normalize("NFC", text).replace("*", "").lower()


@dataclass(frozen=True)
class Reading:
    """A value read from the text, the words it was read from, and how sure the reading is."""

    value: str
    evidence: str
    confidence: str  # high: the row's own words; medium: a column header or heading; low: a default


def first_cue(cues: tuple[Cue, ...], text: str, nearest_end: bool = True) -> tuple[str, str] | None:
    """The value and matched words of the cue nearest the number: with ``nearest_end`` (text before
    the number) the one ending last, the longest of those ("dự kiến kế hoạch vốn" over "kế hoạch
    vốn"); otherwise (text after the number) the one starting first. None when no cue occurs."""
    found = [(m.start(), m.end(), value, m.group(0)) for pattern, value in cues for m in pattern.finditer(text)]
    if not found:
        return None
    best = max(found, key=lambda f: (f[1], -f[0])) if nearest_end else min(found, key=lambda f: (f[0], -f[1]))
    return best[2], best[3]


def component_of(text: str, project: str | None, names: dict[str, str] | None = None) -> str | None:
    """The component a heading names: DA<n>, DA<n>.<m> (a sub-project of ``project`` when the
    heading names only the sub-project), ALL for the programme; else, for a lettered sub-heading of
    ``project``, the sub-project whose Decision 90 name (``names``: code -> NFC lower-case name) it
    starts with; else None."""
    if names and project and (lettered := LETTERED.match(text)):
        label = lettered.group(1).strip()
        for code, name in names.items():
            if code.startswith(f"{project}.") and label.startswith(name):
                return code
    if sub := SUB_PROJECT.search(text):
        own = PROJECT.search(text)
        parent = f"DA{own.group(1)}" if own else project
        return f"{parent}.{sub.group(1)}" if parent else None
    if own := PROJECT.search(text):
        return f"DA{own.group(1)}"
    if PROGRAMME.search(text):
        return "ALL"
    return None


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text))


def component_named(label: str, project: str | None, names: dict[str, str]) -> str | None:
    """The component whose Decision 90 name (``names``: code -> NFC lower-case name) a table row's
    label prints, word for word or nearly (NAME_OVERLAP); of two names equally near, a sub-project
    of ``project`` (the project of the rows above). None when no name is near enough or two remain
    equally near."""
    words = _words(label)
    if not words:
        return None
    scored = sorted(
        (
            (len(words & _words(name)) / len(words | _words(name)), code.startswith(f"{project}."), code)
            for code, name in names.items()
            if code.startswith("DA")
        ),
        reverse=True,
    )
    if not scored or scored[0][0] < NAME_OVERLAP or (len(scored) > 1 and scored[1][:2] == scored[0][:2]):
        return None
    return scored[0][2]


def period_of(text: str) -> tuple[int, int] | None:
    """The period a text prints: a range of years, else one year after "năm"."""
    if found := PERIOD_RANGE.search(text):
        return int(found.group(1)), int(found.group(2))
    if found := PERIOD_YEAR.search(text):
        return int(found.group(1)), int(found.group(1))
    return None
