"""Profiles as data: the built-in ones, and a precise message for each fault of a custom one."""

from __future__ import annotations

import json
import sys
from fractions import Fraction
from typing import Any

import pytest

from calculator import InputError, load_profile, parse_profile, profile_names
from calculator.profiles import CONFIDENCE, parse_profile_text
from calculator.textdata import too_deep

# The source ids the site's sources list defines for the calculator's data.
KNOWN_SOURCES = {
    "sgs-process", "titc-levels", "ccats-levels", "lieju-points", "vendor-11467", "iso999-clauses",
    "swz007-clauses", "duofangda-scoring", "gaiasts-en", "hxccc-en", "crowncert-en", "cn-comm-sbt10401",
    "huluwa-sbt10401", "bzxz-sbt10401", "baiyewang-manual", "micalights-sbt10401",
}  # fmt: skip


def test_builtin_names_default_first() -> None:
    assert profile_names() == ["gbt27922", "sbt10401-durable", "sbt10401-fmcg"]
    profile_names().append("x")  # a copy: the next caller is not affected
    assert "x" not in profile_names()


def test_gbt27922_groups_and_checklist() -> None:
    gbt = load_profile("gbt27922")
    assert gbt.scored_by == "groups"
    assert [(g.id, g.name.zh, g.points) for g in gbt.groups] == [
        ("service_system", "售后服务体系", 40),
        ("commodity_service", "商品服务", 35),
        ("customer_service", "顾客服务", 25),
    ]
    assert (gbt.confidence, gbt.total_points, gbt.per_item_floor, gbt.historical) == ("medium", 100, None, False)
    assert set(gbt.sources) == {"lieju-points", "vendor-11467"}
    assert all(g.confidence == "medium" and {"lieju-points", "vendor-11467"} <= set(g.sources) for g in gbt.groups)
    checklist = {g.id: [i.name.zh for i in g.indicators] for g in gbt.groups}
    assert checklist == {
        "service_system": ["组织架构", "人员配置", "资源配置", "规范要求", "监督", "改进", "服务文化"],
        "commodity_service": ["商品信息", "技术支持", "配送", "维修", "质量保证", "废弃商品回收"],
        "customer_service": ["顾客关系", "投诉处理"],
    }
    indicators = {i.id: i for g in gbt.groups for i in g.indicators}
    assert all(i.points is None for i in indicators.values())  # not public: a checklist, not points
    assert all(i.confidence in CONFIDENCE and i.sources for i in indicators.values())
    culture = indicators["service_culture"]
    assert culture.confidence == "low"
    assert culture.note is not None and "不确定" in culture.note.zh
    assert [i.clause for i in gbt.groups[0].indicators[:5]] == ["5.1.1", "5.1.2", "5.1.3", "5.1.4", "5.1.5"]


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
    assert profile.scored_by == "indicators"
    assert [unit.points for unit in profile.units] == points
    assert profile.total_points == sum(points) == 100
    assert profile.per_item_floor == 0.5
    assert profile.note is not None and "历史" in profile.note.zh and "historical" in profile.note.en
    assert {"cn-comm-sbt10401", "huluwa-sbt10401"} <= set(profile.sources)
    assert profile.standard == "SB/T 10401-2006"


@pytest.mark.parametrize("name", ["gbt27922", "sbt10401-durable", "sbt10401-fmcg"])
def test_builtin_profiles_cite_only_known_sources(name: str) -> None:
    data = load_profile(name).to_dict()
    cited = set(data["sources"])
    for group in data["groups"]:
        cited |= set(group["sources"])
        for indicator in group["indicators"]:
            cited |= set(indicator["sources"])
    assert cited
    assert cited <= KNOWN_SOURCES


def test_to_dict_shape_for_the_site() -> None:
    data = load_profile("gbt27922").to_dict()
    assert set(data) >= {
        "id", "name", "standard", "historical", "confidence", "sources", "note", "total_points",
        "per_item_floor", "groups",
    }  # fmt: skip
    assert (data["total_points"], data["per_item_floor"], data["levels"]) == (100, None, None)
    group = data["groups"][0]
    assert set(group) == {"id", "name", "points", "confidence", "sources", "indicators"}
    assert group["points"] == 40
    assert set(group["indicators"][0]) == {"id", "name", "clause", "points", "confidence", "sources", "note"}
    assert load_profile("sbt10401-fmcg").to_dict()["per_item_floor"] == "1/2"
    json.dumps(data)  # JSON-ready


def test_to_dict_round_trips() -> None:
    for name in profile_names():
        data = load_profile(name).to_dict()
        again = parse_profile({k: v for k, v in data.items() if k != "scored_by"})
        assert again.to_dict() == data


@pytest.mark.parametrize("name", ["nope", "", 5, None, "../levels", "gbt27922.json"])
def test_unknown_profile_name_lists_the_available_ones(name: object) -> None:
    with pytest.raises(InputError) as caught:
        load_profile(name)
    assert caught.value.field == "profile"
    assert "gbt27922" in caught.value.message.zh
    assert "available" in caught.value.message.en


GOOD: dict[str, Any] = {
    "id": "body-x",
    "name": {"zh": "某机构评分表", "en": "A body's sheet"},
    "total_points": 10,
    "groups": [
        {"id": "a", "name": "A", "points": 6},
        {"id": "b", "name": "B", "points": 4},
    ],
}


def level(code: str, min_score: object, stars: object = 1) -> dict[str, object]:
    return {"code": code, "zh": code.upper(), "en": code.upper(), "min_score": min_score, "stars": stars}


FAULTS = [
    # (change to the good profile, words in the Chinese message, words in the English one)
    ({"colour": "red"}, "未知字段“colour”", "unknown key “colour”"),
    (
        {"groups": [{"id": "a", "points": 10, "weight": 1}]},
        "分组 a 有未知字段“weight”",
        "group a: unknown key “weight”",
    ),
    (
        {"groups": [{"id": "a", "points": 10, "indicators": [{"id": "a1", "score": 1}]}]},
        "未知字段“score”",
        "unknown key “score”",
    ),
    (
        {"groups": [{"id": "a", "points": 0}, {"id": "b", "points": 10}]},
        "必须为正数（现为 0）",
        "must be positive (got 0)",
    ),
    ({"groups": [{"id": "a", "points": -6}, {"id": "b", "points": 16}]}, "必须为正数", "must be positive"),
    ({"groups": [{"id": "a", "points": "six"}, {"id": "b", "points": 4}]}, "不是数字", "not a number"),
    ({"groups": [{"id": "a", "points": True}, {"id": "b", "points": 4}]}, "不是数字", "not a number"),
    ({"groups": [{"id": "a", "points": "1e99999"}, {"id": "b", "points": 4}]}, "位数过多", "too many digits"),
    ({"groups": [{"id": "a", "points": 5}, {"id": "a", "points": 5}]}, "编号“a”重复", "duplicate id “a”"),
    (
        {"groups": [{"id": "a", "points": 10, "indicators": [{"id": "a"}]}]},
        "编号“a”重复",
        "duplicate id “a”",
    ),
    ({"groups": [{"name": "A", "points": 10}]}, "缺少编号 id", "missing id"),
    ({"groups": [{"id": "a b", "points": 10}]}, "编号“a b”无效", "id “a b” is not usable"),
    ({"groups": [{"id": "a,b", "points": 10}]}, "无效", "not usable"),
    ({"groups": [{"id": 7, "points": 10}]}, "编号“7”无效", "id “7” is not usable"),
    ({"groups": [{"id": "total", "points": 10}]}, "编号“total”已有别的用途", "the id “total” is reserved"),
    ({"id": ""}, "需要编号 id", "needs an id"),
    ({"id": None}, "需要编号 id", "needs an id"),
    ({"total_points": 11}, "各项分值合计 10，与 total_points 11 不符", "the points add up to 10, not total_points 11"),
    ({"total_points": -1}, "必须为正数", "must be positive"),
    (
        {"groups": [{"id": "a", "points": 6, "indicators": [{"id": "a1", "points": 2}]}, {"id": "b", "points": 4}]},
        "分组 a 的分值 6 与其指标合计 2 不符",
        "group a: points 6 differ from its indicators' sum 2",
    ),
    (
        {"groups": [{"id": "a", "indicators": [{"id": "a1", "points": 6}, {"id": "a2"}]}, {"id": "b"}]},
        "缺少：a2",
        "missing: a2",
    ),
    (
        {"groups": [{"id": "a", "points": 10}, {"id": "b"}]},
        "每个分组都要有分值，缺少：b",
        "every group needs points, missing: b",
    ),
    ({"groups": [{"id": "a"}, {"id": "b"}]}, "没有任何分值", "gives no points at all"),
    ({"groups": []}, "非空列表", "non-empty list"),
    ({"groups": {"a": 6}}, "非空列表", "non-empty list"),
    ({"groups": ["a"]}, "第 1 个分组不是对象", "group 1 is not an object"),
    ({"groups": [{"id": "a", "points": 10, "indicators": "x"}]}, "indicators 应为列表", "indicators must be a list"),
    (
        {"groups": [{"id": "a", "points": 10, "indicators": [5]}]},
        "第 1 个指标不是对象",
        "indicator 1 of a is not an object",
    ),
    ({"confidence": "certain"}, "可信度“certain”无效", "confidence “certain” is not one of"),
    ({"historical": "no"}, "historical 应为 true 或 false", "historical must be true or false"),
    ({"sources": "lieju-points"}, "sources 应为文字列表", "sources must be a list of texts"),
    ({"name": {"zh": "只有中文"}}, "文字应为字符串或 {zh, en}", "text must be a string or {zh, en}"),
    ({"name": 5}, "文字应为字符串或 {zh, en}", "text must be a string or {zh, en}"),
    ({"standard": 27922}, "standard 应为文字", "standard must be text"),
    ({"per_item_floor": 2}, "per_item_floor 应为", "per_item_floor must be a share"),
    ({"per_item_floor": 0}, "per_item_floor 应为", "per_item_floor must be a share"),
    ({"per_item_floor": "1/0"}, "per_item_floor 应为", "per_item_floor must be a share"),
    (
        {"levels": [level("x", 90), level("y", 80)]},
        "等级线必须严格递增：90 之后是 80",
        "strictly ascending: 80 follows 90",
    ),
    ({"levels": [level("x", 80), level("y", 80)]}, "严格递增", "strictly ascending"),
    ({"levels": [level("x", 0)]}, "应大于 0 且不超过 100", "must be above 0 and at most 100"),
    ({"levels": [level("x", 101)]}, "应大于 0 且不超过 100", "must be above 0 and at most 100"),
    ({"levels": [level("x", "high")]}, "min_score 不是数字", "min_score is not a number"),
    ({"levels": [level("x", 60), level("x", 70)]}, "代码“x”无效或重复", "code “x” is unusable or repeated"),
    ({"levels": [level("not_qualified", 60)]}, "无效或重复", "unusable or repeated"),
    ({"levels": [level("x", 60, stars=-1)]}, "星数", "stars must be a whole number"),
    ({"levels": [{"code": "x", "min_score": 60}]}, "第 1 个等级缺少 en、stars、zh", "level 1: missing en, stars, zh"),
    ({"levels": [{**level("x", 60), "colour": "gold"}]}, "未知字段“colour”", "unknown key “colour”"),
    ({"levels": []}, "levels 应为非空列表", "levels must be a non-empty list"),
    ({"levels": "70,80"}, "levels 应为非空列表", "levels must be a non-empty list"),
]


@pytest.mark.parametrize(("change", "zh", "en"), FAULTS)
def test_each_fault_gets_a_precise_message(change: dict[str, Any], zh: str, en: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_profile({**GOOD, "total_points": None, **change})
    assert caught.value.field == "profile"
    assert caught.value.message.zh.startswith("评分表有误：")
    assert zh in caught.value.message.zh
    assert en in caught.value.message.en


def test_the_good_profile_is_good() -> None:
    profile = parse_profile(GOOD)
    assert [(unit.id, unit.points) for unit in profile.units] == [("a", 6), ("b", 4)]
    assert profile.total_points == 10
    assert profile.scale.levels[0].min_score == 70  # the standard's scale when the profile has none


def test_all_faults_are_reported_at_once() -> None:
    with pytest.raises(InputError) as caught:
        parse_profile({**GOOD, "colour": 1, "groups": [{"id": "a", "points": -1}, {"id": "a", "points": 4}]})
    message = caught.value.message
    assert "colour" in message.zh
    assert "必须为正数" in message.zh
    assert "重复" in message.zh
    assert message.zh.count("；") == message.en.count("; ") >= 2


@pytest.mark.parametrize("data", [None, [], "text", 5])
def test_not_an_object(data: object) -> None:
    with pytest.raises(InputError) as caught:
        parse_profile(data)
    assert "应为一个对象" in caught.value.message.zh


def test_own_levels_are_kept_and_shown() -> None:
    profile = parse_profile({**GOOD, "levels": [level("pass", 60), level("good", "85.5", 2)]})
    assert [(lv.code, lv.min_score) for lv in profile.scale.levels] == [("pass", 60), ("good", 85.5)]
    assert profile.to_dict()["levels"][1] == {
        "code": "good",
        "zh": "GOOD",
        "en": "GOOD",
        "min_score": "171/2",
        "stars": 2,
    }


def test_a_valid_custom_profile_from_json() -> None:
    profile = parse_profile_text(json.dumps(GOOD))
    assert [unit.id for unit in profile.units] == ["a", "b"]


def test_a_valid_custom_profile_from_yaml() -> None:
    pytest.importorskip("yaml")  # YAML is optional (absent in the browser)
    yaml_text = "id: y\ngroups:\n  - {id: a, points: 60}\n  - {id: b, points: 40}\n"
    assert parse_profile_text(yaml_text).total_points == 100


def test_without_pyyaml_yaml_gets_a_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "yaml", None)  # import yaml now raises ImportError, as in the browser
    with pytest.raises(InputError) as caught:
        parse_profile_text("id: y\ngroups: []\n")
    assert "YAML 需要安装 PyYAML" in caught.value.message.zh
    assert "YAML needs PyYAML" in caught.value.message.en
    assert "JSON" in caught.value.message.en
    assert parse_profile_text(json.dumps(GOOD)).id == "body-x"  # JSON still works


def test_garbage_is_a_message_not_a_traceback() -> None:
    with pytest.raises(InputError) as caught:
        parse_profile_text("{not: json: nor: yaml")
    assert "JSON" in caught.value.message.zh
    with pytest.raises(InputError) as caught:
        parse_profile_text("[" * 100_000)  # would crash Pyodide's stack: refused before parsing
    assert "嵌套过深" in caught.value.message.zh
    with pytest.raises(InputError) as caught:
        parse_profile_text('{"id": "a", "groups": [{"id": "x", "points": ' + "9" * 5000 + "}]}")
    assert "位数过多" in caught.value.message.zh


@pytest.mark.parametrize(
    ("text", "deep"),
    [
        ("[" * 100 + "]" * 100, False),
        ("[" * 101 + "]" * 101, True),
        ("{" * 60 + "[" * 41, True),
        ('["' + "[" * 500 + '"]', False),  # inside a string
        ('{"a\\"[[[": 1}', False),  # an escaped quote does not end the string
        ("[]" * 10_000, False),  # many, but shallow
    ],
)
def test_nesting_depth_is_checked_before_parsing(text: str, deep: bool) -> None:
    assert too_deep(text) is deep


@pytest.mark.parametrize("name", ["sbt10401-durable", "sbt10401-fmcg"])
def test_sbt_profiles_carry_their_pass_fail_scale_and_no_special_items(name: str) -> None:
    """Issue 16.1: SB/T 10401-2006 had only 合格/不合格, at 70 with every item at least half its points."""
    profile = load_profile(name)
    data = profile.to_dict()
    assert data["special_items"] is False
    assert data["levels"] == [{"code": "qualified", "zh": "合格", "en": "Qualified", "min_score": 70, "stars": 0}]
    assert profile.per_item_floor == Fraction(1, 2)
    assert profile.scale.not_qualified.code == "not_qualified"


def test_the_standards_profile_keeps_the_standards_scale_and_special_items() -> None:
    data = load_profile().to_dict()
    assert (data["special_items"], data["levels"]) == (True, None)
