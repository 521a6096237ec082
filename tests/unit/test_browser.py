"""The browser's one entry point: every action, field errors, the profile cache, the page's labels,
and no exception ever escaping."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scale_lines import level_at

from calculator import browser
from calculator.browser import handle
from calculator.profiles import parse_profile_text

CUSTOM = {"id": "c", "name": {"zh": "某机构", "en": "A body"}, "groups": [{"id": "x", "points": 10}]}
GROUPS = {"mode": "groups", "service_system": "40", "commodity_service": "35", "customer_service": "25"}


def call(action: str, data: Any) -> dict[str, Any]:
    answer: dict[str, Any] = json.loads(handle(json.dumps({"action": action, "input": data})))
    assert set(answer) in ({"ok", "result"}, {"ok", "errors"})
    return answer


def fields(answer: dict[str, Any]) -> list[str | None]:
    assert answer["ok"] is False
    assert all(error["zh"] and error["en"] for error in answer["errors"])
    return [error["field"] for error in answer["errors"]]


def form(state: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return call("form", {"state": state, **extra})


def result(state: dict[str, Any], **extra: Any) -> dict[str, Any]:
    answer = form(state, **extra)
    assert answer["ok"], answer
    outcome: dict[str, Any] = answer["result"]["result"]
    return outcome


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The profile texts parsed, in order, from an empty cache."""
    seen: list[str] = []

    def counting(text: str) -> Any:
        seen.append(text)
        return parse_profile_text(text)

    monkeypatch.setattr(browser, "parse_profile_text", counting)
    monkeypatch.setattr(browser, "_profiles", type(browser._profiles)())
    return seen


@pytest.mark.parametrize(
    ("data", "level", "score"),
    [
        ({"score": "93"}, level_at("93"), "93"),
        ({"score": "９３"}, level_at("93"), "93"),
        ({"score": " 89．99 "}, level_at("89.99"), "89.99"),
        ({"score": 79.999}, level_at("79.999"), "79.999"),  # the value exact; "79.99" is display text
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


def test_quick_mode_is_the_default_and_prompts_for_the_total() -> None:
    assert result({"score": "71"})["level"] == "compliant"
    answer = form({"mode": "quick", "score": " "})
    assert answer["result"] == {"result": None, "prompt": {"zh": "请填写总分。", "en": "Enter the total score."}}


def test_groups_mode_with_text_as_typed_and_a_reduced_applicable_maximum() -> None:
    state = {
        "mode": "groups",
        "service_system": "３６",
        "commodity_service": "30/31",  # 4 of its 35 points were ruled out by the auditor
        "customer_service": "22",
        "special_deductions": "1",
        "special_bonus": False,
    }
    outcome = result(state)
    assert (outcome["level"], outcome["score"], outcome["normalized_score"]) == ("four_star", "272/3", "275/3")
    assert (outcome["display"]["score"], outcome["display"]["normalized_score"]) == ("90.66", "91.66")
    assert outcome["profile"] == "gbt27922"
    assert [reason["rule"] for reason in outcome["reasons"]] == ["normalise", "special_items", "level"]
    assert len(outcome["charts"]) == 2  # the scale, and earned against possible per group
    assert all(chart["svg"].startswith("<svg") and chart["alt"] for chart in outcome["charts"])


def test_a_whole_group_is_never_excluded() -> None:
    state = {"mode": "groups", "service_system": "36", "commodity_service_na": True, "customer_service": "22"}
    assert fields(form(state)) == ["commodity_service"]


def test_groups_mode_names_the_parts_still_empty() -> None:
    answer = form({"mode": "groups", "service_system": "30"}, lang="en")
    assert answer["result"]["result"] is None
    assert answer["result"]["prompt"]["en"].startswith("Still to fill in: ")
    assert answer["result"]["prompt"]["zh"].count("、") == 1


def test_each_bad_field_of_the_form_is_marked() -> None:
    state = {
        "mode": "groups",
        "service_system": "41",
        "commodity_service": "-1",
        "customer_service": "x",
        "special_deductions": "-1",
        "special_bonus": "2",
    }
    assert fields(form(state)) == [
        "service_system",
        "commodity_service",
        "customer_service",
        "special_deductions",
        "special_bonus",
    ]


def test_indicator_mode_with_a_built_in_profile() -> None:
    state = {
        "mode": "indicators",
        "profile": "sbt10401-fmcg",
        "culture": "met",
        "rules": "12",
        "system": "15",
        "complaints": "40",
        "improvement": "",
        "improvement_na": True,
    }
    assert result(state)["profile"] == "sbt10401-fmcg"


@pytest.mark.parametrize(
    ("state", "field"),
    [
        ({"mode": "indicators", "profile": "nope"}, "profile"),
        ({"mode": "indicators", "profile": 5}, "profile"),
        ({"mode": "indicators", "profile": "../../etc/passwd"}, "profile"),  # names only: no file is read
        ({"mode": "indicators"}, "profile"),
        ({"mode": "batch"}, "mode"),
        ({"mode": "colour"}, "mode"),
    ],
)
def test_form_errors(state: dict[str, Any], field: str) -> None:
    assert fields(form(state)) == [field]


def test_a_custom_profile_is_parsed_once_and_then_named_by_its_key(parses: list[str]) -> None:
    text = json.dumps(CUSTOM)
    opened = call("profile", {"profile_text": text, "lang": "en"})["result"]
    assert opened["fields"] == [{"id": "x", "label": "x (max. 10)"}]  # a group: never "not applicable"
    state = {"mode": "indicators", "profile": "custom", "x": "9.5"}
    assert result(state, profile_key=opened["key"])["level"] == "five_star"
    assert result({**state, "x": "7"}, profile_key=opened["key"])["level"] == "compliant"
    again = call("profile", {"profile_text": text})["result"]  # the same file, opened again
    assert again["key"] == opened["key"]
    assert call("batch", {"csv": "id,x\na,7\n", "profile_key": opened["key"]})["result"]["rows"][0]["level"] == (
        "compliant"
    )
    assert parses == [text]


def test_the_cache_is_bounded_and_keeps_the_profile_used_last(parses: list[str]) -> None:
    def text(index: int) -> str:
        return json.dumps({**CUSTOM, "id": f"c{index}"})

    first = call("profile", {"profile_text": text(0)})["result"]["key"]
    for index in range(1, browser.CACHED_PROFILES + 1):
        call("profile", {"profile_text": text(index)})
    state = {"mode": "indicators", "profile": "custom", "x": "9"}
    assert fields(form(state, profile_key=first)) == ["profile_key"]  # forgotten: the page sends the text again
    assert result(state, profile_key=first, profile_text=text(0))["profile"] == "c0"
    assert len(browser._profiles) == browser.CACHED_PROFILES
    assert parses.count(text(0)) == 2


BROKEN_PROFILE_FILES = {
    "nothing opened": None,
    "empty": "  ",
    "not JSON": "{bad",
    "negative points": '{"id": "x", "groups": [{"id": "a", "points": -5}]}',
}


@pytest.mark.parametrize("action", ["form", "profile"])
@pytest.mark.parametrize("profile_text", BROKEN_PROFILE_FILES.values(), ids=BROKEN_PROFILE_FILES.keys())
def test_every_problem_with_an_opened_profile_file_is_that_fields_error(action: str, profile_text: object) -> None:
    """The page shows these beside the file field, whichever request answers last."""
    state = {"mode": "indicators", "profile": "custom"}
    answer = call(action, {"state": state, "profile_text": profile_text})
    assert set(fields(answer)) == {"profile_file"}


def test_the_page_labels_come_from_python_in_each_language() -> None:
    zh, en = browser.form_layout("zh"), browser.form_layout("en")
    assert [mode["id"] for mode in zh["modes"]] == ["quick", "groups", "indicators", "batch", "readiness"]
    assert [mode["default"] for mode in zh["modes"]] == [True, False, False, False, False]
    assert en["modes"][0]["label"] == "Quick: total score only"
    assert zh["custom"] == en["custom"] == browser.CUSTOM
    # A whole first-level group is never excluded: its field has no "not applicable" box.
    assert zh["groups"]["fields"][0] == {"id": "service_system", "label": zh["groups"]["fields"][0]["label"]}
    assert all("na" in row for profile in zh["profiles"] for row in profile["fields"])
    assert zh["groups"]["fields"][0]["label"].endswith("（满分 40）")
    assert en["groups"]["fields"][0]["label"].endswith(" (max. 40)")
    assert [profile["id"] for profile in zh["profiles"]] == ["sbt10401-durable", "sbt10401-fmcg"]
    assert all(profile["historical"] and profile["note"] for profile in en["profiles"])
    # SB/T 10401 never had special items: the page is told not to offer them, and why.
    assert [profile["special_items"] for profile in zh["profiles"]] == [False, False]
    assert "GB/T 27922" in zh["no_special_items"] and "GB/T 27922" in en["no_special_items"]
    # A custom profile's fields read exactly like the built-in ones.
    opened = call("profile", {"profile_text": json.dumps(CUSTOM), "lang": "zh"})["result"]
    assert opened["fields"][0]["label"] == "x（满分 10）"
    checklist = {"id": "c", "groups": [{"id": "g", "indicators": [{"id": "i", "name": "I", "points": 5}]}]}
    opened = call("profile", {"profile_text": json.dumps(checklist), "lang": "zh"})["result"]
    assert opened["fields"][0]["na"] == "i_na"
    assert opened["fields"][0]["na_label"] == zh["not_applicable"]


def test_batch() -> None:
    answer = call(
        "batch",
        {
            "csv": "id,service_system,commodity_service,customer_service\na,40,35,25\nb,x,1,1\nc,30,30,5\n",
            "profile": "gbt27922",
        },
    )
    outcome = answer["result"]
    assert [(row["id"], row["level"], row["line"]) for row in outcome["rows"]] == [
        ("a", "five_star", 2),
        ("c", "not_qualified", 4),
    ]
    assert [(error["line"], error["id"], error["field"]) for error in outcome["errors"]] == [(3, "b", "service_system")]
    assert outcome["errors"][0]["zh"].startswith("第 3 行（b）：")
    assert outcome["level_counts"]["five_star"] == 1
    assert [row["id"] for row in outcome["lowest"]] == ["c", "a"]
    assert outcome["summary"]["zh"].startswith("共 2 行有结果，1 行有误。")
    assert (
        outcome["csv"].splitlines()[0] == "\ufeffid,score,score_exact,level,points_to_next,error"
    )  # a BOM for spreadsheets


def test_batch_totals_default_profile_and_custom_profile() -> None:
    assert call("batch", {"csv": "id,total\na,90\n"})["result"]["rows"][0]["level"] == "four_star"
    answer = call("batch", {"csv": "id,x\na,7\n", "profile_text": json.dumps(CUSTOM)})
    assert answer["result"]["rows"][0]["level"] == "compliant"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"csv": 5}, "batch_file"),
        ({}, "batch_file"),
        ({"csv": ""}, "batch_file"),
        ({"csv": "id,colour\n"}, "batch_file"),
        ({"csv": "id,total\n", "profile": "nope"}, "profile"),
        ({"csv": "id,total\n", "profile_text": "{bad"}, "profile_file"),
    ],
)
def test_batch_errors(data: dict[str, Any], field: str) -> None:
    assert fields(call("batch", data)) == [field]


@pytest.mark.parametrize(
    "request_text",
    [
        "",
        "[]",
        "null",
        '{"action": "nope"}',
        '{"action": "assess"}',  # the document shape is the command line's, not the page's
        '{"action": "grade", "input": 5}',
        '{"action": "form", "input": {"state": []}}',
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
    ["score", "special_deductions", "special_bonus", "profile", "profile_key", "profile_text", "csv", "state", "lang"]
)
states = st.dictionaries(
    st.sampled_from(["mode", "profile", "score", "service_system", "service_system_na", "culture", "special_bonus"]),
    st.sampled_from(["quick", "groups", "indicators", "custom", "sbt10401-fmcg", "12", "na", ""]) | json_values,
    max_size=6,
)


@settings(max_examples=200, deadline=None)
@given(
    action=st.sampled_from([*browser.ACTIONS, "x"]),
    data=st.dictionaries(keys, json_values, max_size=5),
    state=st.none() | states,
)
def test_any_request_gets_an_answer_and_no_unexpected_failure(
    action: str, data: dict[str, Any], state: dict[str, Any] | None
) -> None:
    if state is not None:
        data = {**data, "state": state}
    answer = json.loads(handle(json.dumps({"action": action, "input": data})))
    if answer["ok"]:
        return
    for error in answer["errors"]:
        assert error["zh"] and error["en"]
        assert "计算出错" not in error["zh"], error  # an unexpected exception, not a message about the input


def test_a_batch_answer_lists_the_first_rows_and_counts_them_all() -> None:
    rows = "".join(f"o{n},{60 + n % 40}\n" for n in range(browser.SHOWN_ROWS + 50))
    answer = call("batch", {"csv": "id,total\n" + rows + "bad,x\n"})["result"]
    assert len(answer["rows"]) == browser.SHOWN_ROWS
    assert answer["row_count"] == browser.SHOWN_ROWS + 50
    assert answer["error_count"] == len(answer["errors"]) == 1
    assert answer["csv"].count("\n") == browser.SHOWN_ROWS + 52  # the download keeps every row, errors too


def test_the_page_states_the_limits_it_checks_before_sending() -> None:
    for lang in ("zh", "en"):
        limits = browser.form_layout(lang)["limits"]
        assert limits["batch_bytes"] > 0 and limits["profile_bytes"] > 0
        assert "16 MB" in limits["messages"]["batch_too_large"]
        assert "application/wasm" in limits["messages"]["wasm_type"]
        assert str(limits["stall_seconds"]) in limits["messages"]["stalled"]


# --- the readiness check's registration (issue 19) ---


def test_the_readiness_mode_is_the_fifth_and_its_layout_holds_every_item_with_words_in_both_languages() -> None:
    from calculator.readiness import ANSWERS, load_model

    model = load_model()
    for lang in ("zh", "en"):
        layout = browser.form_layout(lang)
        assert [mode["id"] for mode in layout["modes"]][-1] == "readiness"
        readiness = layout["readiness"]
        ids = [item["id"] for g in readiness["groups"] for i in g["indicators"] for item in i["items"]]
        assert ids == [item.id for item in model.items]
        assert [answer["code"] for answer in readiness["answers"]] == list(ANSWERS)
        assert readiness["item_count"] == len(ids)
        assert "{answered}" in readiness["words"]["progress"]
        assert readiness["assumptions"]
    assert browser.form_layout("zh")["readiness"]["answers"][0]["label"] == "是"  # fits every question (issue 29)
    assert browser.form_layout("en")["readiness"]["answers"][0]["label"] == "Yes"


def test_readiness_action_matches_the_engine_and_adds_the_page_view() -> None:
    from calculator.readiness import assess_document

    document = {"answers": {"organisation.after_sales_department": "met", "complaints.complaint_log": "partly"}}
    shown = call("readiness", {**document, "special_deductions": "", "special_bonus": False, "lang": "en"})
    assert shown["ok"] is True
    result = shown["result"]
    expected = assess_document(document).to_dict()
    for key in ("score", "score_low", "score_high", "level", "level_low", "level_high", "code"):
        assert result[key] == expected[key]
    assert result["detail"] == expected["level_range"]
    assert [gap["id"] for gap in result["gaps"]] == [gap["id"] for gap in expected["gaps"]]
    assert all(gap["note"]["zh"] and gap["note"]["en"] for gap in result["gaps"])
    assert len(result["unanswered_items"]) == expected["unanswered_count"]
    assert result["document"] == {**document, "special_deductions": 0, "special_bonus": False}
    alts = [chart["alt"] for chart in result["charts"]]
    assert len(alts) == 2 and alts[1].startswith("Readiness by group")
    assert "<svg" in result["charts"][1]["svg"] and "gc-range" in result["charts"][1]["svg"]


def test_readiness_errors_are_field_errors() -> None:
    assert len(fields(call("readiness", {"answers": {"no.such": "met"}}))) == 1
    assert fields(call("readiness", {"answers": {}, "special_deductions": "x"})) == ["special_deductions"]
    assert fields(call("readiness_file", {"text": "{not json"})) == ["readiness_file"]
    assert fields(call("readiness_file", {"text": '{"answers": {"no.such": "met"}}'})) == ["readiness_file"]
    assert fields(call("decode", {"code": "zz"})) == ["code"]


def test_readiness_file_and_decode_give_answers_back() -> None:
    from calculator.readiness import encode_answers, load_model

    answers = {"organisation.after_sales_department": "met", "complaints.complaint_log": "na"}
    opened = call("readiness_file", {"text": json.dumps({"answers": answers, "special_deductions": 2})})
    assert opened["result"] == {"answers": answers, "special_deductions": 2, "special_bonus": False}
    decoded = call("decode", {"code": encode_answers(load_model(), answers)})
    assert decoded["result"]["answers"] == answers
    assert call("checklist", {})["result"]["item_count"] == len(load_model().items)


def test_readiness_chart_escapes_names_and_says_what_is_left_out() -> None:
    from fractions import Fraction

    from calculator.charts import ReadinessRow, readiness_chart
    from calculator.errors import Message

    rows = [
        ReadinessRow(Message("组<一>", "Group <one>"), Fraction(1, 2), Fraction(1, 4), Fraction(3, 4), group=True),
        ReadinessRow(Message("甲", "A"), None),
        ReadinessRow(Message("乙", "B"), Fraction(1)),
    ]
    chart = readiness_chart(rows, "en")
    assert "<one>" not in chart.svg and "&lt;one&gt;" in chart.svg
    assert chart.alt == (
        "Readiness by group (range in brackets) and indicator: Group <one> 50% (25%–75%); A left out; B 100%."
    )
    assert "不计入" in readiness_chart(rows, "zh").alt


def test_quick_mode_shows_the_arithmetic_of_the_special_items_and_the_inputs_for_the_record() -> None:
    answer = form({"score": "88", "special_deductions": "1"}, lang="en")["result"]
    assert answer["result"]["arithmetic"]["zh"].startswith("计算：88 − 1 + 0 = 87（特别项之前的总分")
    assert answer["result"]["arithmetic"]["en"].startswith("Calculation: 88 − 1 + 0 = 87 (total before special items")
    assert answer["inputs"] == [
        "Method: Quick: total score only",
        "Total before special items: 88",
        "Special deduction items: 1",
        "Special bonus item: no",
    ]
    kept = result({"score": "100", "special_bonus": True})["arithmetic"]["zh"]
    assert "100 − 0 + 1 = 101" in kept and "计 100 分" in kept
    assert any("不是认证结论" in item["zh"] for item in result({"score": "90"})["assumptions"])


def test_the_recovery_ranking_names_the_medium_confidence_weights() -> None:
    state = {"mode": "groups", "service_system": "36", "commodity_service": "30/31", "customer_service": "22"}
    outcome = result(state)
    assert outcome["recover"]
    assert "40/35/25" in outcome["recover_note"]["zh"] and "中等可信度" in outcome["recover_note"]["zh"]
    assert "medium confidence" in outcome["recover_note"]["en"]
    lines = form(state)["result"]["inputs"]
    assert "商品服务（满分 35）：30/31" in lines
    assert result({**GROUPS})["recover_note"] is None  # full marks: nothing to rank


def test_an_sbt_table_gets_qualified_without_stars_arithmetic_or_special_items() -> None:
    values = {"culture": "10", "rules": "20", "system": "20", "complaints": "20", "improvement": "30"}
    profile = next(p for p in browser.form_layout("zh")["profiles"] if p["id"] == "sbt10401-fmcg")
    full = {row["id"]: row["label"].split("满分 ")[1].rstrip("）") for row in profile["fields"]}
    assert set(full) == set(values)
    outcome = result({"mode": "indicators", "profile": "sbt10401-fmcg", **full})
    assert (outcome["level"], outcome["stars"], outcome["level_name"]["zh"]) == ("qualified", 0, "合格")
    assert outcome["arithmetic"] is None
    answer = form({"mode": "indicators", "profile": "sbt10401-fmcg", **full, "special_deductions": "1"})
    assert fields(answer) == ["special_deductions"]


def test_batch_bytes_sent_beside_the_request_are_decoded_by_python() -> None:
    data = "网点,总分\n北京店,96\n上海店,69\n".encode("gb18030")
    request = json.dumps({"action": "batch", "input": {"lang": "zh"}})
    outcome = json.loads(handle(request, data))["result"]
    assert [(row["id"], row["level"]) for row in outcome["rows"]] == [
        ("北京店", "five_star"),
        ("上海店", "not_qualified"),
    ]
    assert outcome["outlets"] is True
    assert outcome["rows"][0]["band_name"]["zh"] == "95 分及以上"
    assert "独立" in outcome["summary"]["zh"] and "平均分" in outcome["summary"]["zh"]

    class JsBytes:  # what Pyodide hands Python for a Uint8Array
        def to_py(self) -> memoryview:
            return memoryview("id,total\na,90\n".encode("utf-16"))

    assert json.loads(handle(request, JsBytes()))["result"]["rows"][0]["level"] == "four_star"
    assert json.loads(handle(request, 5))["ok"] is False
