"""The readiness check on the calculator page (issue 19), as a company without audit scores uses it:
answering in Chromium, the same numbers as the command line, answers kept across reloads and in
the link, export and import, the printable plan, the English twin, keyboard and a narrow screen."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from e2e_helpers import LOAD_TIMEOUT, READY

import calculator
from calculator.formats import FORMAT_VERSION
from calculator.readiness import encode_answers, load_model

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
MODEL = load_model()
ITEMS = [item.id for item in MODEL.items]
CYCLE = ["met", "partly", "not_met", "na", "met", None]  # None: left unanswered
ANSWERS: dict[str, str] = {item: value for index, item in enumerate(ITEMS) if (value := CYCLE[index % len(CYCLE)])}
RANGE = ("data-level", "data-level-low", "data-level-high", "data-score", "data-score-low", "data-score-high")


def open_readiness(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(READY, timeout=LOAD_TIMEOUT)
    page.check('input[data-mode="readiness"]')


def open_all_groups(page: Any) -> None:
    closed = page.locator("[data-readiness-group]:not([open]) > summary")
    while closed.count():
        closed.first.click()


def answer(page: Any, answers: dict[str, str]) -> None:
    for item, value in answers.items():
        page.check(f'input[name="{item}"][value="{value}"]')


def settled(page: Any) -> dict[str, str]:
    """The shared result's range attributes once the answer for the current answers is in."""
    page.wait_for_selector('[data-result][aria-busy="false"][data-level-low]', state="attached")
    result = page.locator("[data-result]")
    return {name: result.get_attribute(name) or "" for name in RANGE}


def cli(document: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "calculator", "readiness", str(path), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    data: dict[str, Any] = json.loads(run.stdout)
    return data


def from_cli(data: dict[str, Any]) -> dict[str, str]:
    return {
        "data-level": data["level"],
        "data-level-low": data["level_low"],
        "data-level-high": data["level_high"],
        "data-score": data["score"],
        "data-score-low": data["score_low"],
        "data-score-high": data["score_high"],
    }


def test_answers_in_the_page_give_the_numbers_of_the_command_line(page: Any, site_url: str, tmp_path: Path) -> None:
    open_readiness(page, site_url + "calculator/")
    open_all_groups(page)
    answer(page, ANSWERS)
    page.fill('input[name="special_deductions"]', "1")
    shown = settled(page)
    expected = cli({"answers": ANSWERS, "special_deductions": 1, "special_bonus": False}, tmp_path)
    assert shown == from_cli(expected)
    assert shown["data-score-low"] != shown["data-score-high"]  # unequal readiness: a real range
    assert f"已答 {len(ANSWERS)}/{len(ITEMS)}" in page.locator("[data-readiness-count]").inner_text()
    assert page.locator("[data-field=detail]").inner_text() == expected["level_range"]["zh"]
    # the gap list, ranked by Python: each row the evidence to produce (issue 29: no link to a
    # guide section that says what the row already says)
    gaps = page.locator("[data-readiness-gaps] tr")
    assert gaps.count() == len(expected["gaps"])
    assert [row.get_attribute("data-gap") for row in gaps.all()] == [gap["id"] for gap in expected["gaps"]]
    first = expected["gaps"][0]
    assert first["evidence"]["zh"] in gaps.first.inner_text()
    assert gaps.first.locator("a").count() == 0
    unanswered = page.locator("[data-readiness-unanswered] li")
    assert unanswered.count() == len(ITEMS) - len(ANSWERS)
    # the readiness chart comes from Python with its text alternative
    assert page.locator("#gc-readiness-chart").count() == 1
    assert "准备度" in page.locator("[data-charts] figcaption").last.inner_text()


def test_answers_survive_a_reload_and_travel_in_the_link(browser: Any, page: Any, context: Any, site_url: str) -> None:
    chosen = {ITEMS[0]: "met", ITEMS[1]: "partly", ITEMS[-1]: "not_met"}
    open_readiness(page, site_url + "calculator/")
    open_all_groups(page)
    answer(page, chosen)
    before = settled(page)
    code = encode_answers(MODEL, chosen)
    # the fragment also carries the main form's values (mode and the like): `r` is one key of it
    page.wait_for_function("code => new URLSearchParams(location.hash.slice(1)).get('r') === code", arg=code)
    assert "r=" not in page.url.split("#")[0]  # the answers stay out of the query string
    # a new visit without the link: the answers saved on this device come back
    again = context.new_page()
    open_readiness(again, site_url + "calculator/")
    for item, value in chosen.items():
        assert again.is_checked(f'input[name="{item}"][value="{value}"]')
    assert settled(again) == before
    # the link alone, in a browser with nothing saved
    other = browser.new_context()
    try:
        shared = other.new_page()
        shared.goto(page.url)
        shared.wait_for_selector(READY, timeout=LOAD_TIMEOUT)
        assert shared.is_checked('input[data-mode="readiness"]')
        shared.wait_for_selector(f'input[name="{ITEMS[-1]}"][value="not_met"]:checked', state="attached")
        assert settled(shared) == before
    finally:
        other.close()
    # clearing forgets them everywhere: the form, the device and the link
    again.click("[data-readiness-clear]")
    assert again.locator("[data-readiness] input[type=radio]:checked").count() == 0
    again.wait_for_function("() => !location.hash.includes('r=')")
    assert again.evaluate("localStorage.getItem('gc-readiness-answers')") is None
    assert "0/" in again.locator("[data-readiness-count]").inner_text()


def test_export_and_import_use_the_command_lines_format(page: Any, site_url: str, tmp_path: Path) -> None:
    chosen = {ITEMS[0]: "met", ITEMS[2]: "na", ITEMS[5]: "partly"}
    open_readiness(page, site_url + "calculator/")
    answer(page, chosen)
    page.check('input[name="special_bonus"]')
    shown = settled(page)
    with page.expect_download() as download:
        page.click("[data-readiness-export]")
    exported = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert exported == {
        "format": "gbt27922.readiness-answers",
        "format_version": FORMAT_VERSION,
        "calculator_version": calculator.__version__,
        "answers": chosen,
        "special_deductions": 0,
        "special_bonus": True,
    }
    assert from_cli(cli(exported, tmp_path)) == shown
    page.click("[data-readiness-clear]")
    page.uncheck('input[name="special_bonus"]')
    saved = tmp_path / "mine.json"
    saved.write_text(json.dumps(exported), encoding="utf-8")
    page.set_input_files("[data-readiness-file]", str(saved))
    page.wait_for_selector(f'input[name="{ITEMS[5]}"][value="partly"]:checked', state="attached")
    assert page.is_checked('input[name="special_bonus"]')
    page.wait_for_function(
        "score => document.querySelector('[data-result]').dataset.score === score", arg=shown["data-score"]
    )
    assert settled(page) == shown
    # a file the check cannot read: an inline, bilingual error beside the control, answers kept
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"answers": {"no.such_item": "met"}}), encoding="utf-8")
    page.set_input_files("[data-readiness-file]", str(bad))
    error = page.locator('[data-error-for="readiness_file"]')
    error.wait_for(state="visible")
    assert "no.such_item" in error.inner_text()
    assert page.is_checked(f'input[name="{ITEMS[5]}"][value="partly"]')


def test_the_preparation_plan_prints_alone_with_the_disclaimer(page: Any, site_url: str) -> None:
    open_readiness(page, site_url + "calculator/")
    answer(page, {ITEMS[0]: "met", ITEMS[1]: "not_met"})
    settled(page)
    page.evaluate(
        "window.print = () => { window.printedAs = document.querySelector('[data-calculator]').dataset.print; }"
    )
    page.click("[data-readiness-print]")
    assert page.evaluate("window.printedAs") == "plan"
    assert page.get_attribute("[data-calculator]", "data-print") is None  # the page is itself again
    page.evaluate("document.querySelector('[data-calculator]').dataset.print = 'plan'")
    page.emulate_media(media="print")
    assert page.locator("[data-readiness-gaps] tr").first.is_visible()
    assert page.locator("[data-readiness-result] .gc-disclaimer").is_visible()
    # the plan prints under its own heading (issue 29): title, company, date, address, inputs
    assert page.locator("[data-record] .gc-plan-title").is_visible()
    assert not page.locator("[data-record] .gc-record-title").is_visible()
    assert page.locator("[data-field=level]").is_visible()
    assert not page.locator("[data-readiness] [data-item]").first.is_visible()
    assert not page.locator(".gc-modes").is_visible()


def test_english_twin_asks_and_answers_in_english(page: Any, site_url: str) -> None:
    open_readiness(page, site_url + "en/calculator/")
    assert "Readiness check" in page.locator('label:has(input[data-mode="readiness"])').inner_text()
    first = page.locator("[data-readiness] [data-item]").first
    assert "Yes" in first.inner_text()
    assert "Evidence" in first.inner_text()
    answer(page, {ITEMS[0]: "met"})
    settled(page)
    assert "Answered 1/" in page.locator("[data-readiness-count]").inner_text()
    assert "Estimate" in page.locator("[data-field=summary]").inner_text()
    assert page.locator("[data-readiness-gaps] tr").first.inner_text().strip().startswith("1. Evidence to produce: ")


def test_keyboard_only_answering(page: Any, site_url: str) -> None:
    open_readiness(page, site_url + "calculator/")
    page.locator(f'input[name="{ITEMS[0]}"][value="met"]').focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")  # the same question's next answer
    assert page.is_checked(f'input[name="{ITEMS[0]}"][value="partly"]')
    for _ in range(8):  # past the evidence line's links, on to the next question's group
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "radio":
            break
    assert page.evaluate("document.activeElement.name") == ITEMS[1]
    page.keyboard.press("Space")
    assert page.is_checked(f'input[name="{ITEMS[1]}"][value="met"]')
    settled(page)
    closed = page.locator("[data-readiness-group]:not([open]) > summary").first
    closed.focus()
    page.keyboard.press("Enter")
    assert page.locator("[data-readiness-group][open]").count() == 2


def test_no_horizontal_scrolling_at_360_px(browser: Any, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        open_readiness(page, site_url + "calculator/")
        open_all_groups(page)
        answer(page, {ITEMS[0]: "met", ITEMS[-1]: "partly"})
        settled(page)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0
    finally:
        context.close()


# --- on a phone (issue 24): what to do first comes first, the caveats fold, the chart is legible --

PHONES = [pytest.param(360, 740, id="360px"), pytest.param(390, 844, id="390px")]
UI = yaml.safe_load((ROOT / "docs" / "_data" / "ui.yml").read_text(encoding="utf-8"))["widget"]
ASSUMPTIONS = '[data-block="assumptions"]'
READINESS_CHART = "[data-charts] svg:has(#gc-readiness-chart)"


def on_a_phone(browser: Any, site_url: str, width: int, height: int, path: str = "calculator/") -> tuple[Any, Any]:
    """A page of the given size with the readiness check answered (every group, so a real plan)."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    open_readiness(page, site_url + path)
    open_all_groups(page)
    answer(page, ANSWERS)
    settled(page)
    page.locator(READINESS_CHART).wait_for(state="attached")
    return context, page


@pytest.mark.parametrize(("width", "height"), PHONES)
def test_on_a_phone_the_plan_follows_the_level_and_the_assumptions_come_last(
    browser: Any, site_url: str, width: int, height: int
) -> None:
    context, page = on_a_phone(browser, site_url, width, height)
    try:
        blocks = {
            "level": ".gc-level",
            "range": "[data-field=detail]",
            "plan": "[data-readiness-gaps] tr >> nth=0",
            "chart": READINESS_CHART,
            "assumptions": ASSUMPTIONS,
        }
        tops = {name: page.locator(selector).bounding_box()["y"] for name, selector in blocks.items()}
        assert sorted(tops, key=tops.__getitem__) == list(blocks)
        # the whole plan, not only its first step, comes before the charts
        plan = page.locator("[data-readiness-result]").bounding_box()
        first_chart = page.locator("[data-charts] figure").first.bounding_box()
        assert plan["y"] + plan["height"] <= first_chart["y"]
    finally:
        context.close()


@pytest.mark.parametrize(("width", "height"), PHONES)
def test_the_assumptions_are_folded_on_screen_and_printed_in_full(
    browser: Any, site_url: str, width: int, height: int
) -> None:
    context, page = on_a_phone(browser, site_url, width, height)
    try:
        disclosure = page.locator(ASSUMPTIONS)
        items = page.locator(f"{ASSUMPTIONS} li")
        assert items.count() >= 1
        assert disclosure.evaluate("node => node.tagName") == "DETAILS"
        assert disclosure.locator("summary").inner_text() == UI["assumptions_title"]["zh"]
        assert not disclosure.evaluate("node => node.open")
        assert disclosure.is_visible() and not items.first.is_visible()
        page.emulate_media(media="print")  # the page's own record, as "print" or the browser prints it
        assert all(item.is_visible() and item.inner_text() for item in items.all())
        assert items.last.inner_text() in disclosure.inner_text()
        # the printed preparation plan carries them too
        page.evaluate("document.querySelector('[data-calculator]').dataset.print = 'plan'")
        assert page.locator("[data-readiness-gaps] tr").first.is_visible()
        assert all(item.is_visible() for item in items.all())
        page.emulate_media(media="screen")
        assert not items.first.is_visible()  # folded again on screen
        disclosure.locator("summary").click()  # and a reader can open them
        assert all(item.is_visible() for item in items.all())
    finally:
        context.close()


def test_the_assumptions_disclosure_is_named_in_english_on_the_twin(browser: Any, site_url: str) -> None:
    context, page = on_a_phone(browser, site_url, 360, 740, "en/calculator/")
    try:
        summary = page.locator(f"{ASSUMPTIONS} > summary")
        assert summary.inner_text() == UI["assumptions_title"]["en"]
    finally:
        context.close()


def test_the_readiness_charts_labels_are_at_least_11_px_at_360_px(browser: Any, site_url: str) -> None:
    context, page = on_a_phone(browser, site_url, 360, 740)
    try:
        measured = page.locator(READINESS_CHART).evaluate(
            """svg => {
                const box = svg.getBoundingClientRect();
                const scale = box.width / svg.viewBox.baseVal.width;
                return [...svg.querySelectorAll("text")].map((text) => {
                    const r = text.getBoundingClientRect();
                    return {
                        text: text.textContent,
                        size: parseFloat(getComputedStyle(text).fontSize) * scale,
                        inside: r.left >= box.left - 0.5 && r.right <= box.right + 0.5
                            && r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5,
                    };
                });
            }"""
        )
        assert len(measured) > 10
        small = [(each["text"], round(each["size"], 1)) for each in measured if each["size"] < 11]
        assert not small
        assert [each["text"] for each in measured if not each["inside"]] == []  # no label clipped
        # the chart still says what it shows in words
        assert "准备度" in page.locator("[data-charts] figure:has(#gc-readiness-chart) figcaption").inner_text()
    finally:
        context.close()
