"""Every number format the five documents print, read the Vietnamese way."""

from decimal import Decimal

import pytest

from ntp_poverty.vn_numbers import VietnameseNumberError, format_decimal_plain, parse_vi_number, to_million_vnd


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
    ],
)
def test_parse_vi_number(printed: str, expected: Decimal) -> None:
    assert parse_vi_number(printed) == expected


@pytest.mark.parametrize("bad", ["1.65O", "", "1 650", "abc", "1,2,3", "--"])
def test_parse_vi_number_refuses_what_it_cannot_read(bad: str) -> None:
    with pytest.raises(VietnameseNumberError):
        parse_vi_number(bad)


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
