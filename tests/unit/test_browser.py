"""The browser's JSON entry point: every action, field errors, and no exception ever escaping."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scale_lines import level_at

from calculator.browser import handle

CUSTOM = {"id": "c", "name": {"zh": "某机构", "en": "A body"}, "groups": [{"id": "x", "points": 10}]}


def call(action: str, data: Any) -> dict[str, Any]:
    answer = json.loads(handle(json.dumps({"action": action, "input": data})))
    assert set(answer) in ({"ok", "result"}, {"ok", "errors"})
    return answer


def fields(answer: dict[str, Any]) -> list[str | None]:
    assert answer["ok"] is False
    assert all(error["zh"] and error["en"] for error in answer["errors"])
    return [error["field"] for error in answer["errors"]]


@pytest.mark.parametrize(
    ("data", "level", "score"),
    [
        ({"score": "93"}, level_at("93"), "93"),
        ({"score": "９３"}, level_at("93"), "93"),
        ({"score": " 89．99 "}, level_at("89.99"), "89.99"),
        ({"score": 79.999}, level_at("79.999"), "79.99"),
        ({"score": "94.5", "special_bonus": True}, level_at("95.5"), "95.5"),
        ({"score": "95", "special_deductions": "1"}, level_at("94"), "94"),
        ({"score": "99", "special_deductions": "５"}, "not_qualified", "94"),
        ({"score": "93", "special_deductions": "", "special_bonus": ""}, level_at("93"), "93"),
    ],
)
def test_grade(data: dict[str, Any], level: str, score: str) -> None:
    answer = call("grade", data)
    assert answer["ok"], answer
    assert (answer["result"]["level"], answer["result"]["score"]) == (level, score)


def test_grade_reports_every_bad_field() -> None:
    answer = call("grade", {"score": "abc", "special_deductions": "1.5", "special_bonus": "maybe"})
    assert fields(answer) == ["score", "special_deductions", "special_bonus"]
    assert fields(call("grade", {})) == ["score"]


def test_assess_groups_with_strings_from_the_page() -> None:
    answer = call(
        "assess",
        {
            "groups": {"service_system": "３６", "commodity_service": "na", "customer_service": "22"},
            "special_deductions": "1",
            "special_bonus": False,
        },
    )
    result = answer["result"]
    assert (result["level"], result["score"], result["normalized_score"]) == ("three_star", "88.23", "89.23")
    assert result["profile"] == "gbt27922"
    assert [reason["rule"] for reason in result["reasons"]] == ["normalise", "special_items", "level"]


def test_assess_marks_each_bad_field() -> None:
    answer = call(
        "assess",
        {
            "groups": {"service_system": "41", "commodity_service": "", "customer_service": "x"},
            "special_deductions": "-1",
            "special_bonus": "2",
        },
    )
    assert fields(answer) == [
        "service_system",
        "commodity_service",
        "customer_service",
        "special_deductions",
        "special_bonus",
    ]


def test_assess_indicators() -> None:
    answer = call(
        "assess",
        {
            "profile": "sbt10401-fmcg",
            "indicators": {
                "culture": "met",
                "rules": 12,
                "system": {"samples": 4, "nonconforming": 1},
                "complaints": "40",
                "improvement": "na",
            },
        },
    )
    assert answer["result"]["score"] == "94.04"


@pytest.mark.parametrize("profile_data", [CUSTOM, json.dumps(CUSTOM)])
def test_assess_with_a_custom_profile(profile_data: object) -> None:
    answer = call("assess", {"groups": {"x": "9.5"}, "profile_data": profile_data})
    assert (answer["result"]["profile"], answer["result"]["level"]) == ("c", level_at("95"))


@pytest.mark.parametrize(
    ("data", "field", "zh"),
    [
        ({"groups": {"x": 1}, "profile_data": {"id": "c", "groups": [{"id": "x", "points": -1}]}}, "profile", "正数"),
        ({"groups": {"x": 1}, "profile_data": "{broken"}, "profile", "JSON"),
        ({"groups": {}, "profile": "nope"}, "profile", "没有名为“nope”"),
        ({"groups": {}, "profile": 5}, "profile", "没有名为“5”"),
        ({"groups": {}, "profile": "../../etc/passwd"}, "profile", "没有名为"),  # names only: no file is read
        ({"groups": {}, "profile": "custom.json"}, "profile", "没有名为"),
        ({"groups": [1]}, "file", "应为一个对象"),
        ({"groups": {}, "colour": 1}, "file", "未知字段"),
        ({"indicators": {"culture": 1}}, "file", "请使用 “groups”"),
        ({"groups": {"service_system": 1}, "indicators": {}}, "file", "不要用 “indicators”"),
        (
            {"groups": {"service_system": "na", "commodity_service": "na", "customer_service": "na"}},
            None,
            "没有任何适用",
        ),
    ],
)
def test_assess_errors(data: dict[str, Any], field: str | None, zh: str) -> None:
    answer = call("assess", data)
    assert fields(answer)[0] == field
    assert zh in answer["errors"][0]["zh"]


def test_batch() -> None:
    answer = call(
        "batch",
        {
            "csv": "id,service_system,commodity_service,customer_service\na,40,35,25\nb,x,1,1\nc,30,30,5\n",
            "profile": "gbt27922",
        },
    )
    result = answer["result"]
    assert [(row["id"], row["level"], row["line"]) for row in result["rows"]] == [
        ("a", "five_star", 2),
        ("c", "not_qualified", 4),
    ]
    assert [(error["line"], error["id"], error["field"]) for error in result["errors"]] == [(3, "b", "service_system")]
    assert result["errors"][0]["zh"].startswith("第 3 行（b）：")
    assert result["level_counts"]["five_star"] == 1
    assert [row["id"] for row in result["lowest"]] == ["c", "a"]
    assert result["summary"]["zh"].startswith("共 2 行有结果，1 行有误。")
    assert result["csv"].splitlines()[0] == "id,score,level,points_to_next"


def test_batch_totals_default_profile_and_custom_profile() -> None:
    assert call("batch", {"csv": "id,total\na,90\n"})["result"]["rows"][0]["level"] == "four_star"
    answer = call("batch", {"csv": "id,x\na,7\n", "profile_data": CUSTOM})
    assert answer["result"]["rows"][0]["level"] == "compliant"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"csv": 5}, "batch_file"),
        ({}, "batch_file"),
        ({"csv": ""}, "batch_file"),
        ({"csv": "id,colour\n"}, "batch_file"),
        ({"csv": "id,total\n", "profile": "nope"}, "profile"),
    ],
)
def test_batch_errors(data: dict[str, Any], field: str) -> None:
    assert fields(call("batch", data)) == [field]


def test_profiles() -> None:
    profiles = call("profiles", {})["result"]["profiles"]
    assert [p["id"] for p in profiles] == ["gbt27922", "sbt10401-durable", "sbt10401-fmcg"]
    assert [p["historical"] for p in profiles] == [False, True, True]
    gbt = profiles[0]
    assert gbt["sources"] == ["lieju-points", "vendor-11467"]
    assert [g["points"] for g in gbt["groups"]] == [40, 35, 25]
    assert sum(len(g["indicators"]) for g in gbt["groups"]) == 15


def test_page_actions_still_answer() -> None:
    form = call("form", {"state": {"mode": "quick", "score": "71"}})
    assert form["result"]["result"]["level"] == "compliant"
    fields_answer = call("profile_form", {"profile_data": json.dumps(CUSTOM)})
    assert fields_answer["result"]["fields"][0]["label"]["zh"] == "x（满分 10）"
    page = call("batch_form", {"csv": "id,total\na,90\n", "state": {}})
    assert page["result"]["csv"].startswith("\ufeffid,score,level,points_to_next")


BROKEN_PROFILE_FILES = {
    "nothing opened": None,
    "empty": "  ",
    "not JSON": "{bad",
    "negative points": '{"id": "x", "groups": [{"id": "a", "points": -5}]}',
}


@pytest.mark.parametrize("action", ["form", "profile_form"])
@pytest.mark.parametrize("profile_data", BROKEN_PROFILE_FILES.values(), ids=BROKEN_PROFILE_FILES.keys())
def test_every_problem_with_an_opened_profile_file_is_that_fields_error(action: str, profile_data: object) -> None:
    """The page shows these beside the file field, whichever request answers last."""
    state = {"mode": "indicators", "profile": "custom"}
    answer = call(action, {"state": state, "profile_data": profile_data})
    assert answer["ok"] is False
    assert set(fields(answer)) == {"profile_file"}


@pytest.mark.parametrize(
    "request_text",
    [
        "",
        "[]",
        "null",
        '{"action": "nope"}',
        '{"action": "grade", "input": 5}',
        "{bad json",
        '"grade"',
        "[" * 50_000,  # would crash Pyodide's stack if parsed
        '{"action": "grade", "input": {"score": ' + "9" * 5000 + "}}",  # beyond Python's int-from-text limit
    ],
)
def test_malformed_requests_answer_with_an_error(request_text: str) -> None:
    answer = json.loads(handle(request_text))
    assert answer["ok"] is False
    assert answer["errors"][0]["zh"]
    assert "计算出错" not in answer["errors"][0]["zh"]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.floats() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
keys = st.sampled_from(
    ["score", "special_deductions", "special_bonus", "groups", "indicators", "profile", "profile_data", "csv", "state"]
)


@settings(max_examples=200, deadline=None)
@given(
    action=st.sampled_from(["grade", "assess", "batch", "profiles", "form", "batch_form", "profile_form", "x"]),
    data=st.dictionaries(keys, json_values, max_size=5),
)
def test_any_request_gets_an_answer_and_no_unexpected_failure(action: str, data: dict[str, Any]) -> None:
    answer = json.loads(handle(json.dumps({"action": action, "input": data})))
    if answer["ok"]:
        return
    for error in answer["errors"]:
        assert error["zh"] and error["en"]
        assert "计算出错" not in error["zh"], error  # an unexpected exception, not a message about the input
