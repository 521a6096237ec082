"""Special-item counts, yes/no flags and what a person enters for one scored part."""

from __future__ import annotations

from fractions import Fraction

import pytest

from calculator import InputError
from calculator.errors import Message
from calculator.parsing import Earned, Met, NotApplicable, Sampled, parse_count, parse_flag, parse_unit

LABEL = Message("商品服务", "Commodity service")


@pytest.mark.parametrize(
    ("typed", "count"),
    [("", 0), ("  ", 0), (None, 0), ("0", 0), (" 3 ", 3), ("３", 3), (2, 2), ("2.0", 2), (4.0, 4), ("5", 5)],
)
def test_counts(typed: object, count: int) -> None:
    assert parse_count(typed) == count


@pytest.mark.parametrize(
    ("typed", "zh", "en"),
    [
        ("1.5", "必须是整数", "must be a whole number"),
        (1.5, "必须是整数", "must be a whole number"),
        ("0.1", "必须是整数", "must be a whole number"),
        ("-1", "不能为负数", "cannot be negative"),
        (-2, "不能为负数", "cannot be negative"),
        ("two", "不是数字", "is not a number"),
        ("nan", "有限的数字", "finite number"),
        (True, "必须是数字", "must be a number"),
    ],
)
def test_bad_counts(typed: object, zh: str, en: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_count(typed)
    assert caught.value.field == "special_deductions"
    assert "特别扣分项数量" in caught.value.message.zh
    assert zh in caught.value.message.zh
    assert en in caught.value.message.en


@pytest.mark.parametrize(
    ("typed", "flag"),
    [
        (True, True), (False, False), (None, False), (1, True), (0, False), ("1", True), ("0", False),
        ("", False), ("true", True), ("FALSE", False), ("yes", True), ("no", False), ("是", True),
        ("否", False), ("有", True), ("无", False), (" on ", True), ("１", True),
    ],
)  # fmt: skip
def test_flags(typed: object, flag: bool) -> None:
    assert parse_flag(typed) is flag


@pytest.mark.parametrize(("typed", "zh"), [("maybe", "只能填"), (2, "最多 1 项"), ("2", "最多 1 项"), (0.5, "只能填")])
def test_bad_flags(typed: object, zh: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_flag(typed, most=1)
    assert caught.value.field == "special_bonus"
    assert zh in caught.value.message.zh


@pytest.mark.parametrize(
    ("typed", "parsed"),
    [
        ("na", NotApplicable()),
        ("NA", NotApplicable()),
        (" n/a ", NotApplicable()),
        ("ｎａ", NotApplicable()),
        ("不适用", NotApplicable()),
        ("met", Met(True)),
        ("符合", Met(True)),
        ("not_met", Met(False)),
        ("不符合", Met(False)),
        ("30", Earned(Fraction(30))),
        ("３０．５", Earned(Fraction(61, 2))),
        (12, Earned(Fraction(12))),
        ({"samples": 10, "nonconforming": 3}, Sampled(10, 3)),
        ({"samples": "１０", "nonconforming": ""}, Sampled(10, 0)),
    ],
)
def test_units(typed: object, parsed: object) -> None:
    assert parse_unit(typed, "commodity_service", LABEL, Fraction(35)) == parsed


@pytest.mark.parametrize(
    ("typed", "zh"),
    [
        ("36", "不能超过 35"),
        ("-1", "不能为负数"),
        ("x", "不是数字"),
        ("", "请填写"),
        ([1], "必须是数字"),
        ({"samples": 0, "nonconforming": 0}, "样本数必须大于 0"),
        ({"samples": 2, "nonconforming": 3}, "不能多于样本数"),
        ({"samples": 2.5, "nonconforming": 1}, "必须是整数"),
        ({"samples": 2, "bad": 1}, "只接受 samples 和 nonconforming"),
    ],
)
def test_bad_units_name_the_part(typed: object, zh: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_unit(typed, "commodity_service", LABEL, Fraction(35))
    assert caught.value.field == "commodity_service"
    assert "商品服务" in caught.value.message.zh
    assert zh in caught.value.message.zh
    assert "commodity service" in caught.value.message.en.lower()
