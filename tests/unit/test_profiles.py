"""Profiles as data: the built-in ones, and a precise message for each fault of a custom one."""

from __future__ import annotations

import json
from typing import Any

import pytest

from calculator import InputError, load_profile, parse_profile, profile_names
from calculator.profiles import parse_profile_text


def test_builtin_profiles() -> None:
    assert profile_names() == ["gbt27922", "sbt10401-durable", "sbt10401-fmcg"]
    gbt = load_profile("gbt27922")
    assert [(g.id, g.points) for g in gbt.groups] == [
        ("service_system", 40),
        ("commodity_service", 35),
        ("customer_service", 25),
    ]
    assert gbt.confidence == "medium"
    assert set(gbt.sources) == {"lieju-points", "vendor-11467"}
    indicators = [i for g in gbt.groups for i in g.indicators]
    assert len(indicators) == 15
    assert all(i.points is None for i in indicators)  # not public: a checklist, not points
    assert all(i.confidence for i in indicators)
    assert not gbt.historical


@pytest.mark.parametrize(
    ("name", "points"),
    [
        ("sbt10401-durable", [6, 6, 8, 10, 20, 30, 10, 10]),
        ("sbt10401-fmcg", [12, 12, 20, 40, 16]),
    ],
)
def test_historical_profiles(name: str, points: list[int]) -> None:
    profile = load_profile(name)
    assert profile.historical
    assert [unit.points for unit in profile.units] == points
    assert profile.total_points == 100
    assert profile.per_item_floor == 0.5
    assert profile.note is not None and "历史" in profile.note.zh


def test_unknown_profile_name_lists_the_available_ones() -> None:
    with pytest.raises(InputError) as caught:
        load_profile("nope")
    assert "gbt27922" in caught.value.message.zh


GOOD: dict[str, Any] = {
    "id": "body-x",
    "name": {"zh": "某机构评分表", "en": "A body's sheet"},
    "total_points": 10,
    "groups": [
        {"id": "a", "name": "A", "points": 6},
        {"id": "b", "name": "B", "points": 4},
    ],
}

FAULTS = [
    # (change to the good profile, words in the Chinese message, words in the English one)
    ({"colour": "red"}, "未知字段“colour”", "unknown key “colour”"),
    ({"groups": [{"id": "a", "points": 0}, {"id": "b", "points": 10}]}, "必须为正数", "must be positive"),
    ({"groups": [{"id": "a", "points": -6}, {"id": "b", "points": 16}]}, "必须为正数", "must be positive"),
    ({"groups": [{"id": "a", "points": 5}, {"id": "a", "points": 5}]}, "编号“a”重复", "duplicate id “a”"),
    ({"total_points": 11}, "与 total_points 11 不符", "not total_points 11"),
    (
        {
            "levels": [
                {"code": "x", "zh": "X", "en": "X", "min_score": 90, "stars": 1},
                {"code": "y", "zh": "Y", "en": "Y", "min_score": 80, "stars": 2},
            ]
        },
        "严格递增",
        "strictly ascending",
    ),
    ({"groups": []}, "非空列表", "non-empty list"),
    ({"groups": [{"id": "a", "points": "six"}, {"id": "b", "points": 4}]}, "不是数字", "not a number"),
    (
        {"groups": [{"id": "a", "points": 6, "indicators": [{"id": "a1", "points": 2}]}, {"id": "b", "points": 4}]},
        "指标合计",
        "indicators' sum",
    ),
    ({"confidence": "certain"}, "可信度", "confidence"),
    ({"per_item_floor": 2}, "per_item_floor", "per_item_floor"),
]


@pytest.mark.parametrize(("change", "zh", "en"), FAULTS)
def test_each_fault_gets_a_precise_message(change: dict[str, Any], zh: str, en: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_profile({**GOOD, **change})
    assert zh in caught.value.message.zh
    assert en in caught.value.message.en
    assert caught.value.field == "profile"


def test_all_faults_are_reported_at_once() -> None:
    with pytest.raises(InputError) as caught:
        parse_profile({**GOOD, "colour": 1, "groups": [{"id": "a", "points": -1}, {"id": "a", "points": 4}]})
    assert caught.value.message.zh.count("；") >= 2


def test_a_valid_custom_profile_from_json_and_yaml() -> None:
    profile = parse_profile_text(json.dumps(GOOD))
    assert [unit.id for unit in profile.units] == ["a", "b"]
    pytest.importorskip("yaml")  # YAML is optional (absent in the browser)
    yaml_text = "id: y\ngroups:\n  - {id: a, points: 60}\n  - {id: b, points: 40}\n"
    assert parse_profile_text(yaml_text).total_points == 100


def test_garbage_is_a_message_not_a_traceback() -> None:
    with pytest.raises(InputError) as caught:
        parse_profile_text("{not: json: nor: yaml")
    assert "JSON" in caught.value.message.zh


def test_to_dict_round_trips() -> None:
    for name in profile_names():
        data = load_profile(name).to_dict()
        again = parse_profile({k: v for k, v in data.items() if k != "scored_by"})
        assert again.to_dict() == data
