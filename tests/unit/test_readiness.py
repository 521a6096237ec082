"""The readiness check's scoring model: hand-computed cases, the answers code and its properties."""

from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculator import InputError, InputErrors, load_scale, parse_profile
from calculator.evidence import parse_checklist
from calculator.formats import FORMAT_VERSION, header
from calculator.readiness import (
    ANSWERS,
    WEIGHT_HIGH,
    WEIGHT_LOW,
    Model,
    assess_document,
    build_model,
    checklist_dict,
    decode_answers,
    encode_answers,
    evaluate,
    handle,
    load_model,
    weighted_extreme,
)

ORDER = ["not_qualified", *[level.code for level in load_scale().levels]]
FAST = settings(max_examples=150, deadline=None)
RAISE = {None: "partly", "not_met": "partly", "partly": "met"}  # one step up for each answer that can rise


def _item(item_id: str) -> dict[str, Any]:
    return {
        "id": item_id,
        "question": {"zh": f"有{item_id}吗？", "en": f"Is there {item_id}?"},
        "evidence": {"zh": "文件。", "en": "A document."},
        "basis": "practice",
        "sources": ["test-source"],
    }


TINY_PROFILE = {
    "id": "tiny",
    "name": {"zh": "小表", "en": "Tiny"},
    "total_points": 100,
    "groups": [
        {
            "id": "ga",
            "name": {"zh": "甲", "en": "A"},
            "points": 60,
            "indicators": [{"id": i, "name": i.upper()} for i in ("a1", "a2", "a3")],
        },
        {"id": "gb", "name": {"zh": "乙", "en": "B"}, "points": 40, "indicators": [{"id": "b1", "name": "B1"}]},
    ],
}
TINY_ITEMS = {"a1": ["a1.x", "a1.y"], "a2": ["a2.x"], "a3": ["a3.x"], "b1": ["b1.x", "b1.y", "b1.z"]}


def tiny_model(items: dict[str, list[str]] | None = None) -> Model:
    chosen = items or TINY_ITEMS
    checklist = parse_checklist(
        {"profile": "tiny", "indicators": {ind: [_item(i) for i in ids] for ind, ids in chosen.items()}}
    )
    return build_model(parse_profile(TINY_PROFILE), checklist)


MODELS = {"real": load_model(), "tiny": tiny_model()}
models = st.sampled_from(sorted(MODELS)).map(MODELS.__getitem__)


def answer_sets(model: Model) -> st.SearchStrategy[dict[str, str | None]]:
    """Any answers (None: unanswered) that leave every group at least one applicable item."""
    codes = st.sampled_from([*ANSWERS, None])
    ids = [item.id for item in model.items]
    return st.lists(codes, min_size=len(ids), max_size=len(ids)).map(lambda given: dict(zip(ids, given, strict=True)))


def usable(model: Model, answers: dict[str, str | None]) -> bool:
    return all(
        any(answers.get(item.id) != "na" for indicator in group.indicators for item in indicator.items)
        for group in model.groups
    )


def rank(code: str) -> int:
    return ORDER.index(code)


# --- hand-computed cases ---------------------------------------------------------------------------


def test_a_hand_computed_case_gives_the_point_the_range_and_the_levels() -> None:
    # Group A (60): a1 = 1/2, a2 = 0 (unanswered), a3 = 1/2 (partly); shares 20 → 20.
    # Range: weights 10..40; least puts the spare 30 on a2 (0) → 10·1 = 10; greatest on a1/a3 (1/2) → 25.
    # Group B (40): b1 = 2 met of 2 applicable = 1 → 40 whatever the weights.
    answers = {"a1.x": "met", "a1.y": "not_met", "a3.x": "partly", "b1.x": "met", "b1.y": "met", "b1.z": "na"}
    result = evaluate(MODELS["tiny"], answers)
    assert (result.score.point, result.score.low, result.score.high) == (60, 50, 65)
    assert (result.level.code, result.level_low.code, result.level_high.code) == ("not_qualified",) * 3
    data = result.to_dict()
    assert (data["score"], data["score_low"], data["score_high"]) == ("60", "50", "65")
    assert [item.id for item in result.unanswered] == ["a2.x"]
    assert data["unanswered_count"] == 1
    assert data["counts"] == {"met": 3, "partly": 1, "not_met": 1, "na": 1, "unanswered": 1}
    group_a = data["readiness"]["groups"][0]
    assert group_a["readiness"]["point"] == "1/3"  # 20 of 60, exact
    assert group_a["readiness"]["display"]["point"] == "33.33"  # in per cent, rounded down
    assert [ind["readiness"] for ind in group_a["indicators"]] == ["0.5", "0", "0.5"]
    assert [ind["display"]["readiness"] for ind in group_a["indicators"]] == ["50", "0", "50"]


def test_gaps_are_ranked_by_exact_gain_then_by_checklist_order() -> None:
    answers = {"a1.x": "met", "a1.y": "not_met", "a3.x": "partly", "b1.x": "met", "b1.y": "met", "b1.z": "na"}
    result = evaluate(MODELS["tiny"], answers)
    # a2.x: its indicator's whole share (20); a1.y: half of a1's 20; a3.x: the missing half of 20.
    assert [(gap.item.id, gap.answer, gap.gain) for gap in result.gaps] == [
        ("a2.x", None, 20),
        ("a1.y", "not_met", 10),
        ("a3.x", "partly", 10),
    ]


def test_a_range_that_crosses_level_lines_names_both_ends() -> None:
    # a1 and a3 met, a2 partly: group A 20·(5/2) = 50; weights 10..40 give 25 + 30·(1/2) = 40 to 25 + 30 = 55.
    answers = {"a1.x": "met", "a1.y": "met", "a2.x": "partly", "a3.x": "met", "b1.x": "met"}
    answers |= {"b1.y": "met", "b1.z": "met"}
    result = evaluate(MODELS["tiny"], answers)
    assert (result.score.point, result.score.low, result.score.high) == (90, 80, 95)
    assert (result.level.code, result.level_low.code, result.level_high.code) == (
        "four_star",
        "three_star",
        "five_star",
    )
    assert "最可能是四星级，可能在三星级到五星级之间" in result.summary().zh
    assert "between Three-star and Five-star" in result.summary().en


def test_an_indicator_answered_all_na_leaves_its_group_and_the_rest_share_its_points() -> None:
    # a2 left out: a1 = 1 and a3 = 1/2 share 60 as 30 each → 45; weights 15..60 → 22.5 + 30·(1/2 or 1).
    answers = {"a1.x": "met", "a1.y": "met", "a2.x": "na", "a3.x": "partly", "b1.x": "not_met", "b1.y": "not_met"}
    result = evaluate(MODELS["tiny"], answers)
    group_a = result.groups[0]
    assert group_a.earned.point == 45
    assert (group_a.earned.low, group_a.earned.high) == (Fraction(75, 2), Fraction(105, 2))
    assert group_a.indicators[1].readiness is None
    assert result.to_dict()["readiness"]["groups"][0]["indicators"][1]["included"] is False


def test_a_whole_group_answered_na_is_a_bilingual_error_naming_the_group() -> None:
    answers = {"b1.x": "na", "b1.y": "na", "b1.z": "na"}
    with pytest.raises(InputError) as caught:
        evaluate(MODELS["tiny"], answers)
    assert caught.value.field == "gb"
    assert "乙" in caught.value.message.zh
    assert "cannot be left out" in caught.value.message.en


def test_special_items_use_the_same_rules_as_the_other_modes() -> None:
    model = MODELS["real"]
    every = {item.id: "met" for item in model.items}
    four = evaluate(model, every, special_deductions=4)
    assert (four.score.point, four.level.code) == (96, "five_star")
    five = evaluate(model, every, special_deductions=5)
    assert five.level.code == five.level_low.code == five.level_high.code == "not_qualified"
    assert five.to_dict()["decided_by"] == "special_deductions"
    assert "5" in five.summary().zh
    none = {item.id: "not_met" for item in model.items}
    assert evaluate(model, none, special_bonus=True).score.point == 1


def test_the_assumptions_are_stated_in_both_languages() -> None:
    result = evaluate(MODELS["real"], {})
    text = " ".join(message.en for message in result.assumptions)
    for phrase in ("Partly", "equally", "between 0.5 and 2 times", "40/35/25", "medium confidence"):
        assert phrase in text
    assert all(message.zh for message in result.assumptions)


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5])
def test_the_greedy_fill_finds_the_same_extremes_as_every_vertex(n: int) -> None:
    points = Fraction(35)
    readiness = [Fraction(k, 7) for k in (3, 0, 7, 1, 5)][:n]
    share = points / n
    lows, highs = share * WEIGHT_LOW, share * WEIGHT_HIGH
    values = []
    # A vertex of the box-and-sum polytope has every weight but one at a bound.
    for free in range(n):
        for bounds in itertools.product((lows, highs), repeat=n - 1):
            weights = list(bounds)
            weights.insert(free, points - sum(bounds, Fraction(0)))
            if lows <= weights[free] <= highs:
                values.append(sum((w * r for w, r in zip(weights, readiness, strict=True)), Fraction(0)))
    assert weighted_extreme(points, readiness, highest=False) == min(values)
    assert weighted_extreme(points, readiness, highest=True) == max(values)


# --- reading answers -------------------------------------------------------------------------------


def test_bad_answers_and_unknown_ids_are_all_reported_at_once() -> None:
    with pytest.raises(InputErrors) as caught:
        assess_document({"answers": {"a1.x": "yes", "nope.q": "met", "a2.x": 1}}, MODELS["tiny"])
    fields = sorted(error.field or "" for error in caught.value.errors)
    assert fields == ["a1.x", "a2.x", "nope.q"]
    assert all(error.message.zh and error.message.en for error in caught.value.errors)


@pytest.mark.parametrize(
    ("document", "field"),
    [
        ([], "file"),
        ({"answers": []}, "answers"),
        ({}, "answers"),
        ({"answer": {}}, "answer"),
        ({"answers": {}, "code": "r1"}, "code"),
        ({"answers": {}, "special_deductions": "x"}, "special_deductions"),
        ({"answers": {}, "special_bonus": 2}, "special_bonus"),
        ({"code": "zz.mm"}, "code"),
    ],
)
def test_a_malformed_document_is_a_bilingual_error_naming_its_field(document: object, field: str) -> None:
    with pytest.raises(InputError) as caught:
        assess_document(document, MODELS["tiny"])
    errors = caught.value.errors if isinstance(caught.value, InputErrors) else [caught.value]
    assert field in [error.field for error in errors]
    assert all(error.message.zh and error.message.en for error in errors)


def test_an_empty_answer_means_unanswered_and_a_code_works_like_answers() -> None:
    model = MODELS["tiny"]
    blank = assess_document({"answers": {"a1.x": "", "a2.x": None}, "$comment": "a note"}, model)
    assert [item.id for item in blank.unanswered] == [item.id for item in model.items]
    answers = {"a1.x": "met", "a3.x": "partly", "b1.z": "na"}
    by_answers = assess_document({"answers": answers}, model).to_dict()
    by_code = assess_document({"code": by_answers["code"]}, model).to_dict()
    assert by_code == by_answers


# --- the answers code ------------------------------------------------------------------------------


def test_the_code_is_short_and_readable() -> None:
    model = MODELS["tiny"]
    assert encode_answers(model, {}) == "r1"
    assert encode_answers(model, {"a1.y": "met", "a3.x": "partly"}) == "r1.-m..p"
    assert encode_answers(model, {"b1.x": "na", "a2.x": "not_met"}) == "r1..n..a"


@pytest.mark.parametrize("code", ["", "r2.m", "r1.x", "r1.mmm", "r1.m.m.m.m.m", 7, None, "r1.m..p.mmmm"])
def test_a_code_this_version_cannot_read_is_a_clear_error(code: object) -> None:
    with pytest.raises(InputError) as caught:
        decode_answers(MODELS["tiny"], code)
    assert caught.value.field == "code"
    assert "链接" in caught.value.message.zh


def test_an_old_code_still_reads_after_indicators_gain_items() -> None:
    old = tiny_model()
    grown = tiny_model({**TINY_ITEMS, "a1": ["a1.x", "a1.y", "a1.new"], "b1": [*TINY_ITEMS["b1"], "b1.new"]})
    answers = {"a1.x": "met", "a1.y": "partly", "a2.x": "not_met", "b1.z": "na"}
    decoded = decode_answers(grown, encode_answers(old, answers))
    assert decoded == answers  # the new items are unanswered
    assert [item.id for item in evaluate(grown, decoded).unanswered] == ["a1.new", "a3.x", "b1.x", "b1.y", "b1.new"]


@FAST
@given(data=st.data())
def test_any_answers_survive_the_code(data: st.DataObject) -> None:
    model = data.draw(models)
    answers = data.draw(answer_sets(model))
    decoded = decode_answers(model, encode_answers(model, answers))
    assert decoded == {key: value for key, value in answers.items() if value is not None}


# --- the checklist and the browser's entry point ---------------------------------------------------


def test_the_checklist_lists_every_item_once_in_the_order_asked() -> None:
    model = MODELS["real"]
    data = checklist_dict(model)
    ids = [item["id"] for g in data["groups"] for i in g["indicators"] for item in i["items"]]
    assert ids == [item.id for item in model.items]
    assert len(ids) == len(set(ids)) == data["item_count"]
    assert [g["id"] for g in data["groups"]] == [g.id for g in model.profile.groups]
    assert [g["points"] for g in data["groups"]] == [str(g.points) for g in model.profile.groups]
    assert data["answers"] == ["met", "partly", "not_met", "na"]


def test_a_checklist_that_does_not_fit_the_profile_is_a_maintainers_error() -> None:
    with pytest.raises(ValueError, match="lacks"):
        tiny_model({**TINY_ITEMS, "zz": ["zz.x"]})
    with pytest.raises(ValueError, match="a2"):
        tiny_model({key: value for key, value in TINY_ITEMS.items() if key != "a2"})


def test_handle_answers_in_plain_json() -> None:
    first = load_model().items[0].id
    answer = handle({"action": "readiness", "input": {"answers": {first: "met"}, "special_deductions": 1}})
    assert answer["ok"] is True
    assert answer["result"]["level"] in ORDER
    assert answer["result"]["special_deductions"] == 1
    assert handle({"action": "checklist"})["result"]["item_count"] == len(load_model().items)
    code = answer["result"]["code"]
    assert handle({"action": "decode", "input": {"code": code}})["result"]["answers"] == {first: "met"}
    refused = handle({"action": "readiness", "input": {"answers": {first: "maybe"}}})
    assert refused["ok"] is False
    assert refused["errors"][0]["field"] == first
    assert refused["errors"][0]["zh"] and refused["errors"][0]["en"]


@FAST
@given(
    request=st.one_of(
        st.none(),
        st.text(max_size=5),
        st.dictionaries(st.sampled_from(["action", "input"]), st.one_of(st.text(max_size=9), st.none(), st.integers())),
        st.fixed_dictionaries(
            {
                "action": st.sampled_from(["readiness", "decode", "checklist", "nope"]),
                "input": st.dictionaries(
                    st.sampled_from(["answers", "code", "special_deductions", "special_bonus", "x"]),
                    st.one_of(st.text(max_size=6), st.integers(-3, 9), st.booleans(), st.none(), st.just({})),
                ),
            }
        ),
    )
)
def test_handle_never_raises_and_always_answers_in_both_languages(request: object) -> None:
    answer = handle(request)
    assert isinstance(answer["ok"], bool)
    if not answer["ok"]:
        assert answer["errors"]
        assert all(error["zh"] and error["en"] for error in answer["errors"])
        assert not any("计算出错" in error["zh"] for error in answer["errors"])  # no unexpected failure


# --- properties ------------------------------------------------------------------------------------


@FAST
@given(model=models)
def test_all_met_is_full_marks_and_five_star_at_both_ends(model: Model) -> None:
    result = evaluate(model, {item.id: "met" for item in model.items})
    assert result.score.point == result.score.low == result.score.high == 100
    assert result.level.code == result.level_low.code == result.level_high.code == "five_star"
    assert result.gaps == ()


@FAST
@given(model=models, unanswered=st.booleans())
def test_nothing_met_is_zero_at_both_ends(model: Model, unanswered: bool) -> None:
    answers: dict[str, str | None] = {} if unanswered else {item.id: "not_met" for item in model.items}
    result = evaluate(model, answers)
    assert result.score.point == result.score.low == result.score.high == 0
    assert len(result.gaps) == len(model.items)


@FAST
@given(data=st.data(), deductions=st.integers(0, 7), bonus=st.booleans())
def test_the_range_holds_the_point_and_raising_an_answer_never_lowers_anything(
    data: st.DataObject, deductions: int, bonus: bool
) -> None:
    model = data.draw(models)
    answers = data.draw(answer_sets(model).filter(lambda a: usable(model, a)))
    before = evaluate(model, answers, deductions, bonus)
    assert before.normalized.low <= before.normalized.point <= before.normalized.high
    assert before.score.low <= before.score.point <= before.score.high
    assert rank(before.level_low.code) <= rank(before.level.code) <= rank(before.level_high.code)
    risers = [item.id for item in model.items if answers.get(item.id) in RAISE]
    if not risers:
        return
    chosen = data.draw(st.sampled_from(risers))
    after = evaluate(model, {**answers, chosen: RAISE[answers.get(chosen)]}, deductions, bonus)
    for old, new in zip(before.verdicts, after.verdicts, strict=True):
        assert new.score >= old.score
        assert rank(new.level.code) >= rank(old.level.code)
    assert after.normalized.point > before.normalized.point  # a step up always counts in the estimate


@FAST
@given(data=st.data())
def test_each_gap_gains_exactly_what_meeting_it_adds(data: st.DataObject) -> None:
    model = data.draw(models)
    answers = data.draw(answer_sets(model).filter(lambda a: usable(model, a)))
    result = evaluate(model, answers)
    gains = [gap.gain for gap in result.gaps]
    assert gains == sorted(gains, reverse=True)
    for gap in result.gaps[:5]:
        improved = evaluate(model, {**answers, gap.item.id: "met"})
        assert improved.normalized.point - result.normalized.point == gap.gain


@FAST
@given(data=st.data(), common=st.sampled_from(["met", "partly", "not_met"]))
def test_the_range_collapses_when_every_included_indicator_is_equally_ready(data: st.DataObject, common: str) -> None:
    model = data.draw(models)
    answers: dict[str, str | None] = {}
    for group in model.groups:
        for position, indicator in enumerate(group.indicators):
            # Any indicator but a group's first may be all na (left out); the others all answer `common`.
            left_out = position > 0 and data.draw(st.booleans())
            for item in indicator.items:
                answers[item.id] = "na" if left_out else common
    result = evaluate(model, answers)
    assert result.normalized.low == result.normalized.point == result.normalized.high
    assert result.level_low == result.level == result.level_high


@FAST
@given(data=st.data(), deductions=st.integers(5, 40), bonus=st.booleans())
def test_five_or_more_special_deductions_fail_whatever_the_answers(
    data: st.DataObject, deductions: int, bonus: bool
) -> None:
    model = data.draw(models)
    answers = data.draw(answer_sets(model).filter(lambda a: usable(model, a)))
    result = evaluate(model, answers, deductions, bonus)
    assert result.level.code == result.level_low.code == result.level_high.code == "not_qualified"


def test_an_exported_answers_file_reads_back_and_another_kind_is_refused() -> None:
    """The page's export opens with {format, format_version}; reading it back must not refuse them."""
    answers = {"a1.x": "met"}
    exported = {**header("readiness-answers"), "special_deductions": 0, "special_bonus": False, "answers": answers}
    assert assess_document(exported, MODELS["tiny"]).code == evaluate(MODELS["tiny"], answers).code
    for wrong in ({"format": "gbt27922.grade"}, {"format_version": FORMAT_VERSION + 1}, {"format_version": "2"}):
        with pytest.raises(InputError) as caught:
            assess_document({**exported, **wrong}, MODELS["tiny"])
        assert "format" in caught.value.message.en


def test_results_carry_exact_values_and_display_texts_apart() -> None:
    data = evaluate(MODELS["tiny"], {"a1.x": "met", "a3.x": "partly"}).to_dict()
    assert (data["format"], data["format_version"]) == ("gbt27922.readiness", FORMAT_VERSION)
    assert "exact" not in data
    for gap in data["gaps"]:
        assert Fraction(gap["gain"]) > 0 and gap["display"]["gain"]
