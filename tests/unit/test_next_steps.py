"""From the answer to the next step (issue 29): the steps under every result, worded for the gap at
hand; the readiness plan in whole points with its unit, the evidence to produce and what closes the
gap to the next level; estimates in whole points; shares rounded, never truncated."""

from __future__ import annotations

import json
import re
from fractions import Fraction
from typing import Any

import pytest

from calculator import browser
from calculator.charts import SCALE_WIDTH, Bar, breakdown, score_on_scale
from calculator.errors import Message
from calculator.levels import load_scale
from calculator.numbers import format_nearest
from calculator.readiness import MET, evaluate, load_model, percent_text

MODEL = load_model()


def call(action: str, data: dict[str, Any]) -> dict[str, Any]:
    answer: dict[str, Any] = json.loads(browser.handle(json.dumps({"action": action, "input": data})))
    assert answer["ok"] is True, answer
    result: dict[str, Any] = answer["result"]
    return result


def steps_for(score: str) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = call("form", {"state": {"score": score}, "lang": "en"})["result"]["next_steps"]
    return steps


@pytest.mark.parametrize(
    ("score", "targets", "words"),
    [
        ("50", ["readiness", "prepare", "checklist"], "Below the pass line"),
        ("88", ["readiness", "audit", "checklist"], "Only 2 points short of Four-star"),
        ("81", ["readiness", "audit", "checklist"], "9 points short of Four-star"),
        ("99", ["readiness", "keeping", "checklist"], "At the top level"),
    ],
)
def test_every_quick_result_has_next_steps_worded_for_its_gap(score: str, targets: list[str], words: str) -> None:
    steps = steps_for(score)
    assert [step["target"] for step in steps] == targets
    assert steps[0]["text"]["en"].startswith(words)
    assert all(step["text"]["zh"] and step["text"]["en"] for step in steps)


def test_groups_and_indicator_results_have_next_steps_too() -> None:
    state = {"mode": "groups", "service_system": "36", "commodity_service": "30", "customer_service": "22"}
    result = call("form", {"state": state, "lang": "zh"})["result"]
    assert [step["target"] for step in result["next_steps"]] == ["readiness", "audit", "checklist"]


def answers_with(partly_every: int) -> dict[str, str]:
    return {item.id: ("partly" if index % partly_every == 0 else MET) for index, item in enumerate(MODEL.items)}


def test_the_readiness_result_says_whole_points_and_what_closes_the_gap() -> None:
    answers = answers_with(3)
    view = call("readiness", {"answers": answers, "lang": "en"})
    summary = view["summary"]["en"]
    assert re.match(r"Estimate \d+ points \(range \d+–\d+\)", summary), summary  # whole points
    assert "." in view["score"] or "/" in view["score"] or view["score"].isdigit()  # exact in JSON
    # the readiness check's own steps: no "take the readiness check" under its own result
    assert [step["target"] for step in view["next_steps"]] == ["audit", "checklist"]
    # each note: whole points with the unit, never "2.92"
    for gap in view["gaps"]:
        assert re.search(r"adds about (\d+ points?|less than 1 point)\)$", gap["note"]["en"]), gap["note"]["en"]
        assert gap["evidence"]["en"]
    # "completing items 1–k reaches X", checked against the exact engine
    reaches = view["reaches"]["en"]
    found = re.match(r"Completing (?:item 1|items 1–(\d+)) reaches (.+)\.$", reaches)
    assert found, reaches
    count = int(found.group(1) or 1)
    result = evaluate(MODEL, answers)
    target = result.verdicts[0].next_level
    assert target is not None and found.group(2) == target.name.en
    better = {**answers, **{gap.item.id: MET for gap in result.gaps[:count]}}
    fewer = {**answers, **{gap.item.id: MET for gap in result.gaps[: count - 1]}}
    assert evaluate(MODEL, better).level == target
    assert evaluate(MODEL, fewer).level != target
    assert view["inputs"][0] == "Method: Readiness check"
    assert view["inputs"][1].startswith(f"Answers: {len(MODEL.items)} of {len(MODEL.items)} answered")


def test_at_the_top_nothing_is_left_to_reach() -> None:
    view = call("readiness", {"answers": {item.id: MET for item in MODEL.items}, "lang": "zh"})
    assert view["reaches"] is None and view["gaps"] == []


def test_the_gauge_of_an_estimate_shows_its_range_as_a_band_and_says_it() -> None:
    chart = score_on_scale(Fraction(8271, 100), load_scale(), "en", span=(Fraction(7912, 100), Fraction(87)))
    assert 'class="gc-range-band"' in chart.svg
    assert chart.alt == "Estimate 82 of 100 (range 79–87), in the Three-star band."
    zh = score_on_scale(Fraction(8271, 100), load_scale(), "zh", span=(Fraction(7912, 100), Fraction(87)))
    assert "区间 79–87 分" in zh.alt
    assert "gc-range-band" not in score_on_scale(Fraction(88), load_scale(), "en").svg


def text_boxes(svg: str) -> list[tuple[float, str, str]]:
    """Each text element's x, its anchor ("" for start) and its content."""
    boxes = []
    for attributes, body in re.findall(r"<text ([^>]*)>([^<]*)</text>", svg):
        x = re.search(r'\bx="([\d.]+)"', attributes)
        anchor = re.search(r'text-anchor="(\w+)"', attributes)
        assert x
        boxes.append((float(x.group(1)), anchor.group(1) if anchor else "", body))
    return boxes


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_score_scale_and_the_breakdown_are_drawn_at_a_phones_width_with_every_label_inside(lang: str) -> None:
    from calculator.charts import _text_width

    scale = score_on_scale(Fraction(88), load_scale(), lang)
    names = [
        Message("已实施的服务规范", "Implemented rules and specifications"),
        Message("顾客服务", "Customer service"),
    ]
    chart = breakdown([Bar(names[0], Fraction(30), Fraction(35)), Bar(names[1], Fraction(22), Fraction(25))], lang)
    for svg in (scale.svg, chart.svg):
        width = float(re.search(r'viewBox="0 0 ([\d.]+)', svg).group(1))  # type: ignore[union-attr]
        assert width == SCALE_WIDTH <= 340  # a 360 px phone shows its 13-unit text at 11 px or more
        for x, anchor, body in text_boxes(svg):
            extent = _text_width(body) * 13
            left = x - extent if anchor == "end" else x - extent / 2 if anchor == "middle" else x
            assert left >= -0.5 and left + extent <= width + 0.5, body
    assert getattr(names[0], lang) in chart.svg  # the whole label, never clipped


def test_shares_are_rounded_for_display_never_truncated() -> None:
    assert percent_text(Fraction(2, 3)) == "66.67"
    assert format_nearest(Fraction(2, 3) * 100, 0) == "67"
    assert format_nearest(Fraction(5, 2), 0) == "3" and format_nearest(Fraction(1, 3), 0) == "0"


def test_every_question_is_a_yes_no_question_that_the_answer_labels_fit() -> None:
    """Issue 29: 有/部分/没有 did not answer "……能覆盖您的销售区域吗？". The labels are 是/部分/否
    (yes/partly/no), and every question asks for exactly that."""
    layout = {lang: browser.form_layout(lang)["readiness"] for lang in ("zh", "en")}
    assert [answer["label"] for answer in layout["zh"]["answers"]] == ["是", "部分", "否", "不适用"]
    assert [answer["label"] for answer in layout["en"]["answers"]] == ["Yes", "Partly", "No", "Not applicable"]
    auxiliaries = {"is", "are", "do", "does", "has", "have", "can", "will"}
    for item in MODEL.items:
        assert re.search(r"吗(（[^）]*）)?？$", item.question.zh), item.question.zh
        first_words = {word.strip(",").lower() for word in item.question.en.split()[:4]}
        assert item.question.en.endswith("?") and first_words & auxiliaries, item.question.en


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_two_names_on_the_score_scale_overlap(lang: str) -> None:
    svg = score_on_scale(Fraction(88), load_scale(), lang).svg
    names = re.findall(r'<text class="gc-band-label" x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)</text>', svg)
    assert len(names) == len(load_scale().levels) + 1  # every band is named
    from calculator.charts import _text_width

    spans = [(float(y), float(x) - _text_width(t) * 6.5, float(x) + _text_width(t) * 6.5) for x, y, t in names]
    for index, (y, left, right) in enumerate(spans):
        for other_y, other_left, other_right in spans[index + 1 :]:
            assert y != other_y or right <= other_left or other_right <= left, names
