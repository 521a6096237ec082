"""Reading numbers people type, and showing exact numbers: every form accepted, every rejection named."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calculator import InputError
from calculator.errors import Message
from calculator.numbers import exact, exact_text, format_distance, format_number, parse_number

LABEL = Message("总分", "Score")
HUNDRED = Fraction(100)


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("93", Fraction(93)),
        ("  93  ", Fraction(93)),
        ("\t93\n", Fraction(93)),
        ("\u300093\u3000", Fraction(93)),  # ideographic spaces around it
        ("９５", Fraction(95)),
        ("８９．９９", Fraction("89.99")),
        ("89．5", Fraction("89.5")),
        ("０", Fraction(0)),
        (".5", Fraction(1, 2)),
        ("5.", Fraction(5)),
        ("+7", Fraction(7)),
        ("-0", Fraction(0)),
        ("1e1", Fraction(10)),
        ("79.999", Fraction("79.999")),
        ("100", HUNDRED),
        ("100.000", HUNDRED),
        (93, Fraction(93)),
        (79.999, Fraction("79.999")),  # a float is read as the decimal it prints as
        (0.1, Fraction(1, 10)),
        (Fraction(2, 3), Fraction(2, 3)),
        (Decimal("12.5"), Fraction(25, 2)),
    ],
)
def test_accepted_forms(typed: object, value: Fraction) -> None:
    assert parse_number(typed, "score", LABEL, maximum=HUNDRED) == value


@pytest.mark.parametrize(
    ("typed", "zh", "en"),
    [
        ("", "请填写总分", "Please enter the score"),
        ("   ", "请填写总分", "Please enter the score"),
        ("\u3000", "请填写总分", "Please enter the score"),
        ("abc", "总分“abc”不是数字", "Score “abc” is not a number"),
        ("9 5", "不是数字", "is not a number"),
        ("9_5", "不是数字", "is not a number"),  # Decimal would read 95
        ("95分", "不是数字", "is not a number"),
        ("1,5", "不是数字", "is not a number"),
        ("0x10", "不是数字", "is not a number"),
        ("NaN", "有限的数字", "finite number"),
        ("nan", "有限的数字", "finite number"),
        ("sNaN", "有限的数字", "finite number"),
        ("inf", "有限的数字", "finite number"),
        ("-Infinity", "有限的数字", "finite number"),
        ("ｉｎｆ", "有限的数字", "finite number"),
        ("-1", "不能为负数", "cannot be negative"),
        ("－５", "不能为负数", "cannot be negative"),
        ("-1e99999999", "不能为负数", "cannot be negative"),
        ("100.01", "不能超过 100", "cannot be more than 100"),
        ("1e3", "不能超过 100", "cannot be more than 100"),
        ("1e99999999", "不能超过 100", "cannot be more than 100"),  # answered at once, not after building 10**99999999
        ("1e-99999999", "小数位太多", "too many decimal places"),
        (float("nan"), "有限的数字", "finite number"),
        (float("inf"), "有限的数字", "finite number"),
        (-0.5, "不能为负数", "cannot be negative"),
        (100.5, "不能超过 100", "cannot be more than 100"),
        (10**400, "不能超过 100", "cannot be more than 100"),
        (True, "必须是数字", "must be a number"),
        (None, "必须是数字", "must be a number"),
        ([93], "必须是数字", "must be a number"),
        ({"score": 93}, "必须是数字", "must be a number"),
        (Decimal("NaN"), "有限的数字", "finite number"),
    ],
)
def test_rejections_name_the_field_in_both_languages(typed: object, zh: str, en: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_number(typed, "score", LABEL, maximum=HUNDRED)
    assert caught.value.field == "score"
    assert zh in caught.value.message.zh
    assert en in caught.value.message.en


def test_without_a_maximum_a_huge_number_is_too_large() -> None:
    with pytest.raises(InputError) as caught:
        parse_number("1e40", "n", LABEL)
    assert "太大" in caught.value.message.zh
    assert parse_number("1e20", "n", LABEL) == 10**20


@pytest.mark.parametrize(
    ("value", "down", "up"),
    [
        (Fraction(70), "70", "70"),
        (Fraction("79.999"), "79.99", "80"),
        (Fraction("69.999"), "69.99", "70"),
        (Fraction("94.995"), "94.99", "95"),
        (Fraction(1, 3), "0.33", "0.34"),
        (Fraction(2, 3), "0.66", "0.67"),
        (Fraction("0.001"), "0", "0.01"),
        (Fraction("89.5"), "89.5", "89.5"),
        (Fraction("12.30"), "12.3", "12.3"),
        (Fraction(0), "0", "0"),
        (Fraction(-1, 3), "-0.34", "-0.33"),
        (Fraction(5800, 65), "89.23", "89.24"),
    ],
)
def test_scores_round_down_and_distances_up(value: Fraction, down: str, up: str) -> None:
    assert format_number(value) == down
    assert format_number(value, up=True) == up
    assert format_distance(value) == up


@pytest.mark.parametrize(
    ("value", "number"),
    [
        (40, Fraction(40)),
        ("12.5", Fraction(25, 2)),
        (2.5, Fraction(5, 2)),
        (" ６ ", Fraction(6)),
        ("1e2", Fraction(100)),
    ],
)
def test_exact_reads_data_numbers(value: object, number: Fraction) -> None:
    assert exact(value) == number


@pytest.mark.parametrize("value", [True, None, "", "x", "nan", "inf", "1e99999", "1e-99999", 10**40, [1], "9_5"])
def test_exact_refuses_what_is_not_a_number_of_reasonable_size(value: object) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 (the caller words the message)
        exact(value)


@given(value=st.fractions(max_denominator=10**6))
def test_exact_text_is_the_exact_value(value: Fraction) -> None:
    """Issue 16.6: machine output carries the value itself, a decimal when it ends, else a fraction."""
    text = exact_text(value)
    assert Fraction(text) == value
    assert ("/" in text) == (not _terminates(value.denominator))


def _terminates(denominator: int) -> bool:
    while denominator % 2 == 0:
        denominator //= 2
    while denominator % 5 == 0:
        denominator //= 5
    return denominator == 1


@pytest.mark.parametrize(
    ("value", "text"),
    [(Fraction("79.999"), "79.999"), (Fraction(200, 3), "200/3"), (Fraction(70), "70"), (Fraction(1, 8), "0.125")],
)
def test_exact_text_examples(value: Fraction, text: str) -> None:
    assert exact_text(value) == text
