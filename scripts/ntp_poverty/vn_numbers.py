"""Parse numbers and money amounts exactly as Vietnamese documents print them.

Vietnamese uses "." to group thousands and "," as the decimal mark (``66.991,2``), so
Python's ``Decimal`` or ``float`` would silently misread them (``1.650`` -> 1.65). Babel's
``parse_decimal(..., locale="vi")`` knows the locale's symbols; this module wraps it with the
units the plan documents use and refuses anything it cannot read instead of guessing.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from babel.numbers import NumberFormatError, parse_decimal

# Million VND per one printed unit. Keys are NFC and lower-case.
UNIT_TO_MILLION_VND: dict[str, Decimal] = {
    "triệu đồng": Decimal(1),
    "tỷ đồng": Decimal(1000),
    "đồng": Decimal("0.000001"),
}
PERCENT_UNITS = frozenset({"%"})
#: Printed placeholders that a table uses for "nothing" (an explicit nil, read as zero).
NIL_MARKS = frozenset({"-"})


class VietnameseNumberError(ValueError):
    """A printed value is not a Vietnamese number the warehouse knows how to read."""


def parse_vi_number(printed: str) -> Decimal:
    """Return the value of a number printed the Vietnamese way.

    ``"1.650"`` -> 1650, ``"66.991,2"`` -> 66991.2, ``"0,41"`` -> 0.41, ``"05"`` -> 5,
    ``"-"`` (a table's nil cell) -> 0. Anything else raises :class:`VietnameseNumberError`.
    """
    text = unicodedata.normalize("NFC", printed).strip()
    if text in NIL_MARKS:
        return Decimal(0)
    if not text or any(ch.isspace() for ch in text):
        raise VietnameseNumberError(f"not a number: {printed!r}")
    try:
        value = parse_decimal(text, locale="vi")
    except NumberFormatError as exc:
        raise VietnameseNumberError(f"not a Vietnamese number: {printed!r}") from exc
    return Decimal(value)


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
