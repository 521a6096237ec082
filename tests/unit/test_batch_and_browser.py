"""Batch files and the browser's JSON entry point."""

from __future__ import annotations

import json
from typing import Any

import pytest

from calculator import load_profile
from calculator.batch import run_batch
from calculator.browser import handle


def call(action: str, data: Any) -> dict[str, Any]:
    answer = json.loads(handle(json.dumps({"action": action, "input": data})))
    assert set(answer) in ({"ok", "result"}, {"ok", "errors"})
    return answer


def test_batch_rows_errors_and_summary() -> None:
    text = (
        "\ufeffid,service_system,commodity_service,customer_service,special_deductions,special_bonus\n"
        "北京,40,35,25,,\n上海,36,na,22,1,0\n广州,x,1,1,0,0\n\n深圳,20,20,10,0,0\n杭州,30,30,20,5,1\n"
    )
    outcome = run_batch(text, load_profile())
    assert [(r.id, r.level.code) for r in outcome.rows] == [
        ("北京", "five_star"),
        ("上海", "three_star"),
        ("深圳", "not_qualified"),
        ("杭州", "not_qualified"),
    ]
    assert [(e.line, e.id) for e in outcome.errors] == [(4, "广州")]
    assert outcome.level_counts() == {"five_star": 1, "three_star": 1, "not_qualified": 2}
    assert [r.id for r in outcome.lowest(2)] == ["深圳", "杭州"]
    assert "共 4 行有结果，1 行有误" in outcome.summary().zh


def test_batch_fast_path_agrees_with_the_full_path_on_floors() -> None:
    profile = load_profile("sbt10401-fmcg")
    text = "id,culture,rules,system,complaints,improvement\nx,5.99,12,20,40,16\ny,6,12,20,40,16\n"
    rows = run_batch(text, profile).rows
    assert [(r.id, r.level.code) for r in rows] == [("x", "not_qualified"), ("y", "four_star")]


@pytest.mark.parametrize(
    ("action", "data", "level"),
    [
        ("grade", {"score": "９３"}, "four_star"),
        ("grade", {"score": "94.5", "special_bonus": True}, "five_star"),
        (
            "assess",
            {"groups": {"service_system": "40", "commodity_service": "na", "customer_service": "25"}},
            "five_star",
        ),
        (
            "assess",
            {
                "groups": {"x": 10},
                "profile_data": {"id": "c", "groups": [{"id": "x", "points": 10}]},
            },
            "five_star",
        ),
        ("form", {"state": {"mode": "quick", "score": "71"}}, "compliant"),
        (
            "form",
            {
                "state": {
                    "mode": "groups",
                    "service_system": "36",
                    "commodity_service_na": True,
                    "customer_service": "22",
                }
            },
            "three_star",
        ),
        (
            "form",
            {
                "state": {
                    "mode": "indicators",
                    "profile": "sbt10401-fmcg",
                    "culture": "12",
                    "rules": "12",
                    "system": "20",
                    "complaints": "40",
                    "improvement": "16",
                }
            },
            "five_star",
        ),
    ],
)
def test_actions_that_give_a_level(action: str, data: dict[str, Any], level: str) -> None:
    answer = call(action, data)
    assert answer["ok"], answer
    result = answer["result"]
    result = result.get("result", result)
    assert result["level"] == level


def test_form_view_has_charts_with_text_alternatives() -> None:
    result = call(
        "form",
        {"state": {"mode": "groups", "service_system": "36", "commodity_service": "31", "customer_service": "22"}},
    )
    charts = result["result"]["result"]["charts"]
    assert len(charts) == 2
    assert all(chart["svg"].startswith("<svg") and 'role="img"' in chart["svg"] and chart["alt"] for chart in charts)


def test_form_with_empty_fields_prompts_instead_of_erroring() -> None:
    answer = call("form", {"state": {"mode": "groups", "service_system": "36"}})
    assert answer["ok"]
    assert answer["result"]["result"] is None
    assert "商品服务" in answer["result"]["prompt"]["zh"]


def test_errors_name_every_bad_field() -> None:
    answer = call("form", {"state": {"mode": "quick", "score": "abc", "special_deductions": "-1"}})
    assert not answer["ok"]
    assert [e["field"] for e in answer["errors"]] == ["score", "special_deductions"]
    assert all(e["zh"] and e["en"] for e in answer["errors"])


def test_profile_form_turns_a_file_into_fields_or_errors() -> None:
    good = call(
        "profile_form", {"profile_data": json.dumps({"id": "c", "groups": [{"id": "x", "name": "X", "points": 10}]})}
    )
    assert [f["id"] for f in good["result"]["fields"]] == ["x"]
    bad = call("profile_form", {"profile_data": '{"id": "c", "groups": [{"id": "x", "points": -1}]}'})
    assert not bad["ok"]
    assert "正数" in bad["errors"][0]["zh"]


def test_batch_actions() -> None:
    answer = call("batch", {"csv": "id,total\na,90\nb,zz\n"})
    assert [row["level"] for row in answer["result"]["rows"]] == ["four_star"]
    assert answer["result"]["errors"][0]["line"] == 3
    page = call("batch_form", {"csv": "id,total\na,90\n", "state": {}})
    assert page["result"]["csv"].startswith("\ufeffid,score,level,points_to_next")


def test_profiles_action() -> None:
    names = [p["id"] for p in call("profiles", {})["result"]["profiles"]]
    assert names == ["gbt27922", "sbt10401-durable", "sbt10401-fmcg"]


@pytest.mark.parametrize(
    "request_text", ["", "[]", '{"action": "nope"}', '{"action": "grade", "input": 5}', "{bad json"]
)
def test_malformed_requests_answer_with_an_error(request_text: str) -> None:
    answer = json.loads(handle(request_text))
    assert answer["ok"] is False
    assert answer["errors"][0]["zh"]
