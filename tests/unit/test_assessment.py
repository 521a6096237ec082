"""The rules of a full assessment, one by one, with the explanation they give."""

from __future__ import annotations

from fractions import Fraction

import pytest

from calculator import InputError, InputErrors, assess, load_profile
from calculator.numbers import format_number

GROUPS = ("service_system", "commodity_service", "customer_service")


def groups(a: object, b: object, c: object) -> dict[str, object]:
    return dict(zip(GROUPS, (a, b, c), strict=True))


def test_group_scores_add_exactly_where_floats_do_not() -> None:
    assert 33.3 + 31.4 + 5.3 != 70  # the float trap
    result = assess(load_profile(), groups("33.3", "31.4", "5.3"))
    assert result.score == 70
    assert result.level.code == "compliant"


@pytest.mark.parametrize(
    ("values", "level", "score"),
    [
        (groups("39.9", "30", "20.09"), "three_star", "89.99"),
        (groups("26.7", "23.3", "20"), "compliant", "70"),
        (groups("40", "35", "15"), "four_star", "90"),
        (groups(0.1, 0.2, 4.7), "not_qualified", "5"),  # 0.1 + 0.2 + 4.7 is 5.000000000000001 in floats
    ],
)
def test_group_sums_at_thresholds(values: dict[str, object], level: str, score: str) -> None:
    result = assess(load_profile(), values)
    assert (result.level.code, format_number(result.score)) == (level, score)


def test_not_applicable_groups_leave_the_denominator() -> None:
    result = assess(load_profile(), groups("36", "na", "22"))
    assert result.normalized == Fraction(58 * 100, 65)
    assert format_number(result.normalized) == "89.23"
    assert "不计入分母" in result.reasons[0].zh
    assert [part.earned for part in result.parts] == [36, None, 22]


def test_nothing_applicable_is_an_error() -> None:
    with pytest.raises(InputError) as caught:
        assess(load_profile(), groups("na", "不适用", "N/A"))
    assert "没有任何适用" in caught.value.message.zh


def test_each_bad_field_is_reported_once_and_by_name() -> None:
    with pytest.raises(InputErrors) as caught:
        assess(load_profile(), {"service_system": "41", "commodity_service": "x"}, "1.5", "maybe")
    fields = [error.field for error in caught.value.errors]
    assert fields == ["service_system", "commodity_service", "customer_service", "special_deductions", "special_bonus"]
    assert "不能超过 40" in caught.value.errors[0].message.zh


def test_unknown_parts_are_rejected() -> None:
    with pytest.raises(InputErrors) as caught:
        assess(load_profile(), {**groups(1, 2, 3), "extra": 5})
    assert caught.value.errors[0].field == "extra"


def test_special_items_come_after_normalising() -> None:
    result = assess(load_profile(), groups("36", "na", "22"), special_deductions=1, special_bonus=True)
    assert result.normalized == Fraction(5800, 65)
    assert result.score == Fraction(5800, 65)  # −1 + 1
    result = assess(load_profile(), groups("36", "na", "22"), special_deductions=2)
    assert result.score == Fraction(5800, 65) - 2
    assert result.assumptions and "假设" in result.assumptions[0].zh


def test_where_the_points_are_ranks_by_effect_on_the_score() -> None:
    result = assess(load_profile(), groups("30", "34", "20"))
    assert [item.zh.split("：")[0] for item in result.recover] == ["售后服务体系", "顾客服务", "商品服务"]
    assert "10 分" in result.recover[0].zh


def test_historical_profile_per_item_floor_fails_even_a_high_score() -> None:
    profile = load_profile("sbt10401-fmcg")
    full = {unit.id: str(unit.points) for unit in profile.units}
    assert assess(profile, full).level.code == "five_star"
    below_half = {**full, "culture": "5.99"}  # 12 points: half is 6
    result = assess(profile, below_half)
    assert result.level.code == "not_qualified"
    assert "50%" in result.reasons[-1].zh
    assert assess(profile, {**full, "culture": "6"}).level.code == "four_star"  # exactly half passes: 94


@pytest.mark.parametrize(
    ("value", "earned"),
    [
        ("met", Fraction(12)),
        ("not_met", Fraction(0)),
        ({"samples": 10, "nonconforming": 3}, Fraction(84, 10)),
        ({"samples": 4, "nonconforming": 0}, Fraction(12)),
        ({"samples": 3, "nonconforming": 3}, Fraction(0)),
    ],
)
def test_qualitative_and_sampled_indicators(value: object, earned: Fraction) -> None:
    profile = load_profile("sbt10401-fmcg")
    values = {unit.id: str(unit.points) for unit in profile.units} | {"culture": value}
    result = assess(profile, values)
    assert result.parts[0].earned == earned


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ({"samples": 0, "nonconforming": 0}, "大于 0"),
        ({"samples": 2, "nonconforming": 3}, "不能多于"),
        ({"samples": 2.5, "nonconforming": 1}, "整数"),
        ({"samples": 2, "bad": 1}, "只接受"),
    ],
)
def test_bad_samples(value: object, fragment: str) -> None:
    profile = load_profile("sbt10401-fmcg")
    values = {unit.id: str(unit.points) for unit in profile.units} | {"culture": value}
    with pytest.raises(InputError) as caught:
        assess(profile, values)
    assert fragment in str(caught.value)


def test_result_carries_the_explanation() -> None:
    data = assess(load_profile(), groups("36", "31", "22"), 1).to_dict()
    assert set(data) >= {
        "score", "normalized_score", "level", "level_name", "stars", "qualified", "next_level",
        "points_to_next", "reasons", "breakdown", "recover", "assumptions", "summary",
    }  # fmt: skip
    assert data["breakdown"][0] == {
        "id": "service_system",
        "name": {"zh": "售后服务体系", "en": "After-sales service system"},
        "possible": "40",
        "earned": "36",
        "lost": "4",
        "applicable": True,
    }
    assert all(set(reason) == {"zh", "en"} for reason in data["reasons"])
