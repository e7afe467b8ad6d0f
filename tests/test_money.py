"""subsidies.domain.money: amounts typed by officers -> exact integer fen, and back."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from moneyed import CNY, USD, Money

from subsidies.domain.money import (
    AmountError,
    format_yuan,
    format_yuan_grouped,
    from_money,
    parse_yuan,
    to_money,
)

INT64 = st.integers(min_value=-(2**63), max_value=2**63 - 1)


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("1000", 100000),
        ("1,000.00", 100000),
        ("¥1,000", 100000),
        ("¥1000", 100000),
        ("1000元", 100000),
        ("￥1,000.50元", 100050),
        ("RMB 12.5", 1250),
        ("rmb12.5", 1250),
        ("CNY 1,000", 100000),
        ("人民币1000元", 100000),
        ("¥ 1000", 100000),
        ("1000 元", 100000),
        (" 1000 ", 100000),
        ("1，000", 100000),  # full-width comma
        ("0", 0),
        ("0.01", 1),
        ("0.1", 10),
        ("12.3", 1230),
        ("12.30", 1230),
        ("1,234,567.89", 123456789),
        ("99999999999999999999.99", 9999999999999999999999),
        ("-1000", -100000),
        ("-0.05", -5),
        ("-1,234.5", -123450),
    ],
)
def test_parse_yuan_text(text, fen):
    assert parse_yuan(text) == fen


@pytest.mark.parametrize(
    ("value", "fen"),
    [
        (1000, 100000),
        (0, 0),
        (-3, -300),
        (Decimal("12.34"), 1234),
        (Decimal("12.30"), 1230),
        (Decimal("1E+3"), 100000),
        (Decimal("-0.01"), -1),
        (Money(Decimal("12.34"), CNY), 1234),
        (Money(Decimal("-5"), CNY), -500),
    ],
)
def test_parse_yuan_numbers(value, fen):
    result = parse_yuan(value)
    assert result == fen
    assert type(result) is int


@pytest.mark.parametrize("value", [1000.0, 0.1, float("nan"), True, False, None, [1000], b"1000"])
def test_parse_yuan_refuses_floats_and_other_types(value):
    with pytest.raises(TypeError):
        parse_yuan(value)


@pytest.mark.parametrize(
    "text",
    [
        "1.005",
        "0.001",
        "abc",
        "",
        "   ",
        "1,0.0.0",
        "12.3.4",
        "1.",
        ".5",
        "1e3",
        "--1",
        "+-1",
        "¥",
        "元",
        "NaN",
        "Infinity",
        "1000美元",
        "USD 1000",
    ],
)
def test_parse_yuan_refuses_text(text):
    with pytest.raises(AmountError):
        parse_yuan(text)


def test_amount_error_names_the_value():
    with pytest.raises(AmountError, match="1.005"):
        parse_yuan("1.005")


@pytest.mark.parametrize(
    "value",
    [
        Decimal("1.005"),
        Decimal("0.001"),
        Decimal("NaN"),
        # Non-finite decimals are not amounts either: they must be refused as
        # AmountError like NaN is, not escape as OverflowError / InvalidOperation.
        Decimal("Infinity"),
        Decimal("-Infinity"),
        Decimal("sNaN"),
        Money(Decimal("1.005"), CNY),
        Money(Decimal("1000"), USD),
    ],
    ids=str,
)
def test_parse_yuan_refuses_inexact_or_foreign_numbers(value):
    with pytest.raises(AmountError):
        parse_yuan(value)


@pytest.mark.parametrize(
    ("fen", "money"),
    [
        (0, Money(Decimal("0"), CNY)),
        (1, Money(Decimal("0.01"), CNY)),
        (12345, Money(Decimal("123.45"), CNY)),
        (-12345, Money(Decimal("-123.45"), CNY)),
        (100000000, Money(Decimal("1000000"), CNY)),
    ],
)
def test_to_money_and_back(fen, money):
    assert to_money(fen) == money
    assert to_money(fen).currency == CNY
    assert from_money(money) == fen


@pytest.mark.parametrize("value", [1.5, True, "100", Decimal("1")])
def test_to_money_takes_only_int_fen(value):
    with pytest.raises(TypeError):
        to_money(value)


@pytest.mark.parametrize(
    "money", [Money(Decimal("1.005"), CNY), Money(Decimal("10"), USD)], ids=str
)
def test_from_money_refusals(money):
    with pytest.raises(AmountError):
        from_money(money)


@pytest.mark.parametrize(
    ("fen", "plain", "grouped"),
    [
        (0, "0.00", "0.00"),
        (5, "0.05", "0.05"),
        (50, "0.50", "0.50"),
        (100, "1.00", "1.00"),
        (99999, "999.99", "999.99"),
        (100000, "1000.00", "1,000.00"),
        (123456, "1234.56", "1,234.56"),
        (123456789, "1234567.89", "1,234,567.89"),
        (100000000000, "1000000000.00", "1,000,000,000.00"),
        (-5, "-0.05", "-0.05"),
        (-100, "-1.00", "-1.00"),
        (-123456789, "-1234567.89", "-1,234,567.89"),
    ],
)
def test_format_yuan(fen, plain, grouped):
    assert format_yuan(fen) == plain
    assert format_yuan_grouped(fen) == grouped


@given(st.integers())
def test_format_then_parse_is_identity_for_any_int(fen):
    assert parse_yuan(format_yuan(fen)) == fen
    assert parse_yuan(format_yuan_grouped(fen)) == fen


@given(INT64)
def test_to_money_then_from_money_is_identity(fen):
    assert from_money(to_money(fen)) == fen


@given(INT64)
def test_parse_yuan_of_money_matches_fen(fen):
    assert parse_yuan(to_money(fen)) == fen


@pytest.mark.parametrize("fen", [10**28 + 1, -(10**30) - 7, 10**40])
def test_to_money_then_from_money_is_identity_beyond_decimal_precision(fen):
    """ "for any int fen": the default Decimal context (28 digits) must not round or fail."""
    assert from_money(to_money(fen)) == fen


@given(st.lists(st.integers(min_value=-(10**15), max_value=10**15), max_size=50))
def test_format_yuan_each_is_format_yuan_of_each(amounts):
    """The column formatter is the scalar one, value by value, grouped or not."""
    from subsidies.domain.money import format_yuan_each

    assert format_yuan_each(amounts).tolist() == [format_yuan(a) for a in amounts]
    grouped = format_yuan_each(amounts, grouped=True).tolist()
    assert grouped == [format_yuan_grouped(a) for a in amounts]
