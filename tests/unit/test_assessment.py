"""The rules of a full assessment, one by one, with the explanation they give."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
from scale_lines import level_at

from calculator import InputError, InputErrors, assess, load_profile, parse_profile
from calculator.numbers import format_number

GROUPS = ("service_system", "commodity_service", "customer_service")


def groups(a: object, b: object, c: object) -> dict[str, object]:
    return dict(zip(GROUPS, (a, b, c), strict=True))


FLOAT_TRAPS = [
    # group scores whose float sum falls just under a line; the exact sum is on it
    (33.3, 31.4, 5.3, 70),
    (30.4, 33.8, 15.8, 80),
    (30.4, 34.8, 24.8, 90),
    (35.3, 34.9, 24.8, 95),
    (30.0, 34.01, 5.99, 70),
    (30.07, 34.94, 24.99, 90),
    (35.04, 34.97, 24.99, 95),
]


@pytest.mark.parametrize(("a", "b", "c", "line"), FLOAT_TRAPS)
@pytest.mark.parametrize("as_text", [True, False])
def test_float_traps(a: float, b: float, c: float, line: int, as_text: bool) -> None:
    assert a + b + c < line  # the trap is real: floats would miss the line
    values = groups(str(a), str(b), str(c)) if as_text else groups(a, b, c)
    result = assess(load_profile(), values)
    assert result.score == line
    assert result.level.code == level_at(line)
    assert result.to_dict()["score"] == str(line)


@pytest.mark.parametrize(
    ("values", "score"),
    [
        (groups("39.99", "35", "25"), "99.99"),
        (groups("40", "29.99", "0"), "69.99"),
        (groups("40", "30", "0"), "70"),
        (groups("39.999", "30", "10"), "79.99"),
        (groups("40", "30", "10"), "80"),
        (groups("39.9", "30", "20.09"), "89.99"),
        (groups("40", "35", "15"), "90"),
        (groups("40", "35", "19.99"), "94.99"),
        (groups("40", "35", "20"), "95"),
        (groups("40", "35", "25"), "100"),
        (groups("0", "0", "0"), "0"),
        (groups(0.1, 0.2, 4.7), "5"),  # 0.1 + 0.2 + 4.7 is 5.000000000000001 in floats
    ],
)
def test_group_sums_at_every_line(values: dict[str, object], score: str) -> None:
    result = assess(load_profile(), values)
    assert (result.level.code, format_number(result.score)) == (level_at(score), score)


def test_rule_1_each_part_earns_zero_to_its_points() -> None:
    with pytest.raises(InputErrors) as caught:
        assess(load_profile(), groups("40.01", "-1", "25"))
    assert [(e.field, "不能超过 40" in e.message.zh or "负数" in e.message.zh) for e in caught.value.errors] == [
        ("service_system", True),
        ("commodity_service", True),
    ]


def test_rule_2_not_applicable_groups_leave_the_denominator() -> None:
    result = assess(load_profile(), groups("36", "na", "22"))
    assert result.normalized == Fraction(58 * 100, 65)
    assert format_number(result.normalized) == "89.23"
    assert result.reasons[0].rule == "normalise"
    assert "不计入分母" in result.reasons[0].zh
    assert "58 earned ÷ 65 applicable × 100 = 89.23" in result.reasons[0].en
    assert [part.earned for part in result.parts] == [36, None, 22]
    assert result.to_dict()["breakdown"][1] == {
        "id": "commodity_service",
        "name": {"zh": "商品服务", "en": "Commodity service"},
        "possible": "35",
        "earned": None,
        "lost": "0",
        "applicable": False,
    }


@pytest.mark.parametrize("values", [groups("na", "不适用", "N/A"), groups("ｎａ", "na", "NA")])
def test_rule_2_nothing_applicable_is_an_error(values: dict[str, object]) -> None:
    with pytest.raises(InputError) as caught:
        assess(load_profile(), values)
    assert "没有任何适用" in caught.value.message.zh
    assert "Nothing applies" in caught.value.message.en


def test_rule_3_special_items_come_after_normalising() -> None:
    result = assess(load_profile(), groups("36", "na", "22"), special_deductions=1)
    assert result.score == Fraction(5800, 65) - 1  # 88.23; deducting before normalising would give 87.69
    assert format_number(result.score) == "88.23"
    result = assess(load_profile(), groups("36", "na", "22"), special_deductions=1, special_bonus=True)
    assert result.score == result.normalized
    assert [reason.rule for reason in result.reasons] == ["normalise", "special_items", "level"]
    assert "在折算为百分制之后计入" in result.reasons[1].zh
    assumption = result.assumptions[0]
    assert "假设" in assumption.zh
    assert "assumption" in assumption.en


def test_rule_3_final_score_is_kept_within_the_scale() -> None:
    top = assess(load_profile(), groups("40", "35", "25"), special_bonus=True)
    assert (top.score, top.normalized) == (100, 100)
    assert "clamp" in [reason.rule for reason in top.reasons]
    bottom = assess(load_profile(), groups("0", "0", "1"), special_deductions=3)
    assert bottom.score == 0


@pytest.mark.parametrize(("deductions", "qualified"), [(0, True), (4, True), (5, False), (6, False)])
def test_rule_4_five_special_deductions_fail_whatever_the_score(deductions: int, qualified: bool) -> None:
    result = assess(load_profile(), groups("40", "35", "25"), special_deductions=deductions)
    assert result.qualified is qualified
    if not qualified:
        assert result.decided_by == "special_deductions"
        assert result.points_to_next is None
        assert [r.rule for r in result.reasons][-2:] == ["fail_special_deductions", "score_alone"]
        assert f"{100 - deductions} 分本可评为" in result.reasons[-1].zh


def test_rule_4_below_the_lowest_line_shows_the_distance() -> None:
    result = assess(load_profile(), groups("30", "25", "14.5"))
    assert (result.level.code, result.decided_by, result.points_to_next) == ("not_qualified", "score", Fraction(1, 2))
    assert result.reasons[-1].rule == "fail_score"


def test_each_bad_field_is_reported_once_and_by_name() -> None:
    with pytest.raises(InputErrors) as caught:
        assess(load_profile(), {"service_system": "41", "commodity_service": "x"}, "1.5", "maybe")
    fields = [error.field for error in caught.value.errors]
    assert fields == ["service_system", "commodity_service", "customer_service", "special_deductions", "special_bonus"]
    assert "不能超过 40" in caught.value.errors[0].message.zh
    assert "请填写顾客服务" in caught.value.errors[2].message.zh


def test_unknown_parts_are_rejected() -> None:
    with pytest.raises(InputErrors) as caught:
        assess(load_profile(), {**groups(1, 2, 3), "extra": 5})
    assert [e.field for e in caught.value.errors] == ["extra"]
    assert "没有“extra”" in caught.value.errors[0].message.zh


def test_an_unknown_part_and_a_missing_one_are_both_reported() -> None:
    with pytest.raises(InputErrors) as caught:
        assess(load_profile(), {"service_system": 1, "commodity_service": 2, "customer_servise": 3})
    assert [e.field for e in caught.value.errors] == ["customer_service", "customer_servise"]


def test_where_the_points_are_ranks_by_effect_on_the_score() -> None:
    result = assess(load_profile(), groups("30", "34", "20"))
    assert [item.part.id for item in result.recover] == ["service_system", "customer_service", "commodity_service"]
    assert "10 分" in result.recover[0].zh
    first = result.to_dict()["recover"][0]
    assert (first["id"], first["lost"], first["gain"], first["below_floor"]) == ("service_system", "10", "10", False)


def test_recovery_is_worth_more_when_parts_do_not_apply() -> None:
    result = assess(load_profile(), groups("30", "na", "25"))  # 65 applicable: 10 lost points are 15.38 on the scale
    assert result.recover[0].gain == Fraction(1000, 65)
    assert result.to_dict()["recover"][0]["gain"] == "15.39"  # rounded up, never understated


def test_historical_profile_per_item_floor_fails_even_a_high_score() -> None:
    profile = load_profile("sbt10401-fmcg")
    full = {unit.id: str(unit.points) for unit in profile.units}
    assert assess(profile, full).level.code == "five_star"
    below_half = {**full, "culture": "5.99"}  # 12 points: half is 6
    result = assess(profile, below_half)
    assert (result.level.code, result.decided_by) == ("not_qualified", "per_item_floor")
    assert "fail_per_item_floor" in [reason.rule for reason in result.reasons]
    assert "50%" in result.summary().zh
    assert result.recover[0].part.id == "culture"
    assert result.recover[0].to_floor == Fraction("0.01")
    assert assess(profile, {**full, "culture": "6"}).level.code == "four_star"  # exactly half passes: 94
    assert any("历史" in item.zh for item in result.assumptions)
    assert not any("40/35/25" in item.zh for item in result.assumptions)


def test_not_applicable_items_are_not_held_to_the_floor() -> None:
    profile = load_profile("sbt10401-durable")
    values = {unit.id: str(unit.points) for unit in profile.units} | {"delivery": "na"}
    assert assess(profile, values).qualified


@pytest.mark.parametrize(
    ("value", "earned"),
    [
        ("met", Fraction(12)),
        ("not_met", Fraction(0)),
        ({"samples": 10, "nonconforming": 3}, Fraction(84, 10)),
        ({"samples": 4, "nonconforming": 0}, Fraction(12)),
        ({"samples": 3, "nonconforming": 3}, Fraction(0)),
        ({"samples": 3, "nonconforming": 1}, Fraction(8)),
    ],
)
def test_qualitative_and_sampled_indicators(value: object, earned: Fraction) -> None:
    profile = load_profile("sbt10401-fmcg")
    values = {unit.id: str(unit.points) for unit in profile.units} | {"culture": value}
    result = assess(profile, values)
    assert result.parts[0].earned == earned


def test_a_custom_scale_and_total_are_used() -> None:
    data: dict[str, Any] = {
        "id": "body-x",
        "groups": [{"id": "a", "points": 6}, {"id": "b", "points": 4}],
        "levels": [
            {"code": "pass", "zh": "通过", "en": "Pass", "min_score": 60, "stars": 0},
            {"code": "good", "zh": "良好", "en": "Good", "min_score": 85, "stars": 1},
        ],
    }
    profile = parse_profile(data)
    result = assess(profile, {"a": "5", "b": "3.5"})  # 8.5 of 10
    assert (result.normalized, result.level.code, result.next_level) == (85, "good", None)
    assert "8.5 earned ÷ 10 applicable × 100 = 85" in result.reasons[0].en
    assert assess(profile, {"a": "3", "b": "2.99"}).level.code == "not_qualified"


def test_result_carries_the_explanation() -> None:
    data = assess(load_profile(), groups("36", "31", "22"), 1).to_dict()
    assert set(data) >= {
        "score", "normalized_score", "level", "level_name", "stars", "qualified", "next_level", "next_level_name",
        "points_to_next", "reasons", "breakdown", "recover", "assumptions", "summary", "detail", "decided_by",
    }  # fmt: skip
    assert data["profile"] == "gbt27922"
    assert (data["score"], data["normalized_score"], data["level"]) == ("88", "89", "three_star")
    assert data["breakdown"][0] == {
        "id": "service_system",
        "name": {"zh": "售后服务体系", "en": "After-sales service system"},
        "possible": "40",
        "earned": "36",
        "lost": "4",
        "applicable": True,
    }
    assert all(set(reason) == {"rule", "zh", "en"} for reason in data["reasons"])
    assert all(set(item) == {"zh", "en"} for item in data["assumptions"])
    assert data["detail"]["zh"] == "折算为百分制后 89 分，计入特别项后为 88 分。"
    assert any("40/35/25" in item["zh"] for item in data["assumptions"])
