"""Every number format the five documents print, read the Vietnamese way."""

from decimal import Decimal

import pytest

from ntp_poverty.common.vn_numbers import (
    VietnameseNumberError,
    format_decimal_plain,
    format_vi_number,
    parse_vi_number,
    to_million_vnd,
)


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("1.650", Decimal("1650")),  # thousands group (000 line 29)
        ("66.991,2", Decimal("66991.2")),  # group and decimal comma (004 line 133)
        ("65.040,0", Decimal("65040.0")),  # trailing decimal zero (004 line 133)
        ("15.555,25", Decimal("15555.25")),  # two decimals (001 line 89)
        ("37,950", Decimal("37.950")),  # decimal comma, read in tỷ (003 line 106)
        ("62,5", Decimal("62.5")),  # (003 line 68)
        ("0,41", Decimal("0.41")),  # percent (003 line 34)
        ("05", Decimal("5")),  # leading zero (003 line 37)
        ("01", Decimal("1")),  # (002 line 4)
        ("209.600.000.000", Decimal("209600000000")),  # several groups, in đồng (003 line 644)
        ("820.000", Decimal("820000")),  # (004 line 267)
        ("0", Decimal("0")),  # printed zero (000 line 225)
        ("-", Decimal("0")),  # a table's nil cell (003 appendix)
        ("500", Decimal("500")),
        ("02", Decimal("2")),  # leading zero (002 line 4, "02%/năm")
        ("007", Decimal("7")),  # zero-padding of an ungrouped integer part keeps its width
        ("1.000,000", Decimal("1000.000")),  # printed decimals are kept, zeros included
        ("-1.650", Decimal("-1650")),  # a sign is allowed; whether a row may be negative is the seed's rule
    ],
)
def test_parse_vi_number(printed: str, expected: Decimal) -> None:
    assert parse_vi_number(printed) == expected


@pytest.mark.parametrize("bad", ["1.65O", "", "1 650", "abc", "1,2,3", "--"])
def test_parse_vi_number_refuses_what_it_cannot_read(bad: str) -> None:
    with pytest.raises(VietnameseNumberError):
        parse_vi_number(bad)


@pytest.mark.parametrize(
    "bad",
    [
        "1,650.5",  # English grouping: Babel's lenient mode reads 1.6505
        "1.65",  # a "." that is not a three-digit group (lenient: 165)
        "1.6505",  # a four-digit group
        "16.50",  # a misplaced group separator (lenient: 1650)
        "1..650",  # doubled separator
        "12.34.567",  # irregular groups
        "1650",  # not grouped: Vietnamese prints 1.650
        "1.650,",  # a decimal mark without decimals
        ",5",  # decimals without an integer part
        "0.650",  # a zero-padded group
        "01.650",  # zero padding in a grouped number
        "0007",  # zero padding beyond one group
        "+5",  # an explicit plus sign is not how the documents print
    ],
)
def test_parse_vi_number_refuses_what_does_not_round_trip(bad: str) -> None:
    with pytest.raises(VietnameseNumberError):
        parse_vi_number(bad)


@pytest.mark.parametrize(
    ("value", "like", "expected"),
    [
        (Decimal("1650"), "1650", "1.650"),
        (Decimal("65040.0"), "65.040,0", "65.040,0"),
        (Decimal("5"), "05", "05"),
        (Decimal("1650.5"), "1.650,50", "1.650,50"),
    ],
)
def test_format_vi_number_is_the_round_trip(value: Decimal, like: str, expected: str) -> None:
    assert format_vi_number(value, like) == expected


def test_the_error_hints_how_it_would_print() -> None:
    with pytest.raises(VietnameseNumberError) as lenient:
        parse_vi_number("1,650.5")
    assert lenient.value.hint == "did you mean '1,6505' or '1.650,5'?"
    with pytest.raises(VietnameseNumberError) as ungrouped:
        parse_vi_number("1650")
    assert ungrouped.value.hint == "it would print '1.650'"


def test_more_digits_than_the_default_decimal_context_are_read_exactly() -> None:
    printed = "1.234.567.890.123.456.789.012.345.678.901,123"
    assert parse_vi_number(printed) == Decimal("1234567890123456789012345678901.123")


@pytest.mark.parametrize(
    ("value", "unit", "million"),
    [
        (Decimal("37.950"), "tỷ đồng", Decimal("37950")),
        (Decimal("1650"), "triệu đồng", Decimal("1650")),
        (Decimal("209600000000"), "đồng", Decimal("209600")),
        (Decimal("80"), "%", None),
    ],
)
def test_to_million_vnd(value: Decimal, unit: str, million: Decimal | None) -> None:
    assert to_million_vnd(value, unit) == million


def test_units_are_matched_after_nfc_normalisation() -> None:
    decomposed = "ty\u0309 đồng"  # "tỷ" with a combining hook above (NFD)
    assert to_million_vnd(Decimal(1), decomposed) == Decimal(1000)


def test_unknown_unit_is_an_error() -> None:
    with pytest.raises(VietnameseNumberError):
        to_million_vnd(Decimal(1), "USD")


def test_format_decimal_plain() -> None:
    assert format_decimal_plain(Decimal("66991.20")) == "66991.2"
    assert format_decimal_plain(Decimal("2.096E+5")) == "209600"
