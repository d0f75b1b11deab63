"""Parse numbers and money amounts exactly as Vietnamese documents print them.

Vietnamese uses "." to group thousands and "," as the decimal mark (``66.991,2``), so
Python's ``Decimal`` or ``float`` would silently misread them (``1.650`` -> 1.65). Babel's
``parse_decimal(..., locale="vi")`` knows the locale's symbols; this module wraps it with the
units the plan documents use and refuses anything it cannot read instead of guessing.

Parsing is strict because lenient parsing hides transcription errors: Babel alone reads
``1,650.5`` (an English-style number typed into a Vietnamese seed) as 1.6505 and ``16.50`` (a
misplaced group separator) as 1650. So a printed value is accepted only when Babel's strict mode
accepts it *and* it round-trips: formatting the parsed value back the Vietnamese way, with the
printed number of decimals and "." grouping every three digits, gives the printed text again.

Leading zeros: the documents zero-pad small counts ("05 mô hình", "02 năm", "01 thành viên").
The round trip keeps the printed width of an integer part of at most three digits printed
without a group separator (so "05" and "007" round-trip, "0.650" and "01.650" do not); a longer
integer part must be grouped exactly as Babel groups it ("1650" is refused: it prints "1.650").
"""

from __future__ import annotations

import unicodedata
from contextlib import AbstractContextManager
from decimal import Context, Decimal, InvalidOperation, getcontext, localcontext

from babel.numbers import NumberFormatError, format_decimal, parse_decimal

# Million VND per one printed unit. Keys are NFC and lower-case.
UNIT_TO_MILLION_VND: dict[str, Decimal] = {
    "triệu đồng": Decimal(1),
    "tỷ đồng": Decimal(1000),
    "đồng": Decimal("0.000001"),
}
PERCENT_UNITS = frozenset({"%"})
#: Printed placeholders that a table uses for "nothing" (an explicit nil, read as zero).
NIL_MARKS = frozenset({"-"})
LOCALE = "vi"
DECIMAL_MARK, GROUP_MARK = ",", "."
#: Printed integer parts up to this many digits may be zero-padded ("05"): one group, no separator.
MAX_PADDED_DIGITS = 3


class VietnameseNumberError(ValueError):
    """A printed value is not a Vietnamese number the warehouse knows how to read.

    ``hint`` is a short suggestion for the person fixing the transcription ("did you mean
    '1.650,5'?"), empty when there is none; error reports append it to their own wording.
    """

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


def parse_vi_number(printed: str) -> Decimal:
    """Return the value of a number printed the Vietnamese way.

    ``"1.650"`` -> 1650, ``"66.991,2"`` -> 66991.2, ``"0,41"`` -> 0.41, ``"05"`` -> 5,
    ``"-"`` (a table's nil cell) -> 0. Anything else, including text that Babel would read
    leniently but that does not round-trip (``"1,650.5"``, ``"16.50"``, ``"1650"``), raises
    :class:`VietnameseNumberError`.
    """
    text = unicodedata.normalize("NFC", printed).strip()
    if text in NIL_MARKS:
        return Decimal(0)
    if not text or any(ch.isspace() for ch in text):
        raise VietnameseNumberError(f"not a number: {printed!r}")
    try:
        with _precise(text):
            value = Decimal(parse_decimal(text, locale=LOCALE, strict=True))
    except (NumberFormatError, InvalidOperation) as exc:
        suggestions = getattr(exc, "suggestions", None) or []
        hint = "did you mean " + " or ".join(repr(s) for s in suggestions) + "?" if suggestions else ""
        raise VietnameseNumberError(f"not a Vietnamese number: {printed!r}", hint) from exc
    proper = format_vi_number(value, text)
    if proper != text:
        raise VietnameseNumberError(f"not printed the Vietnamese way: {printed!r}", f"it would print {proper!r}")
    return value


def format_vi_number(value: Decimal, like: str) -> str:
    """Format ``value`` the Vietnamese way with the decimals and zero-padding of the printed ``like``.

    This is the round trip of :func:`parse_vi_number`: the pattern takes the number of decimals
    from ``like`` (so "65.040,0" keeps its ",0") and, when ``like``'s integer part is an ungrouped
    run of at most :data:`MAX_PADDED_DIGITS` digits, its width (so "05" keeps its zero).
    """
    integer_part, _, decimals = like.lstrip("+-").partition(DECIMAL_MARK)
    width = 1
    if GROUP_MARK not in integer_part and len(integer_part) <= MAX_PADDED_DIGITS:
        width = max(1, len(integer_part))
    pattern = "#," + "#" * (3 - width) + "0" * width + ("." + "0" * len(decimals) if decimals else "")
    try:
        with _precise(like):
            return format_decimal(value, format=pattern, locale=LOCALE)
    except InvalidOperation as exc:
        raise VietnameseNumberError(f"cannot format {value} like {like!r}") from exc


def _precise(text: str) -> AbstractContextManager[Context]:
    """A decimal context precise enough for every digit of ``text`` (the default keeps 28)."""
    context = getcontext().copy()
    context.prec = max(context.prec, len(text) + 2)
    return localcontext(context)


def to_million_vnd(value: Decimal, unit: str) -> Decimal | None:
    """Convert a value in a printed unit to million VND; ``None`` for percentages."""
    key = unicodedata.normalize("NFC", unit).strip().lower()
    if key in PERCENT_UNITS:
        return None
    try:
        return value * UNIT_TO_MILLION_VND[key]
    except KeyError as exc:
        raise VietnameseNumberError(f"unknown money unit: {unit!r}") from exc


def format_decimal_plain(value: Decimal) -> str:
    """Render a Decimal without exponent or trailing zeros, as seeds store it (``66991.2``)."""
    text = format(value.normalize(), "f")
    return text
