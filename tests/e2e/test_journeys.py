"""From the answer to the next step (issue 29), as a business reader meets the calculator on a
phone and on paper: the score field on the first screen and the answer brought into view, next
steps under every result, the readiness check empty until answered, and one printed layout for
the record and one for the plan, each on one or two A4 pages without a form control."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from e2e_helpers import LOAD_TIMEOUT, READY

from calculator.readiness import load_model

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
WORDS = json.loads((ROOT / "calculator" / "data" / "words.json").read_text(encoding="utf-8"))
UI = yaml.safe_load((ROOT / "docs" / "_data" / "ui.yml").read_text(encoding="utf-8"))
ITEMS = [item.id for item in load_model().items]
CYCLE = ["met", "partly", "not_met", "na", "met", None]
ANSWERS = {item: value for index, item in enumerate(ITEMS) if (value := CYCLE[index % len(CYCLE)])}
PHONE = {"width": 390, "height": 844}
# How long the page lets an answer settle before it scrolls to it (calculator.mjs's own constant).
SETTLE_MS = int(
    re.findall(r"const SETTLE_MS = (\d+);", (ROOT / "docs/assets/calculator/calculator.mjs").read_text())[0]
)
VISIBLE_CONTROLS = """() => [...document.querySelectorAll('input, select, button, textarea, progress')]
    .filter((node) => node.getClientRects().length > 0).map((node) => node.outerHTML.slice(0, 80))"""


def open_calculator(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(READY, timeout=LOAD_TIMEOUT)


def settled(page: Any, level: str | None = None) -> None:
    attribute = f'[data-level="{level}"]' if level else ""
    page.wait_for_selector(f'[data-result][aria-busy="false"]{attribute}', state="attached")


def answer_readiness(page: Any, answers: dict[str, str]) -> None:
    page.check('input[data-mode="readiness"]')
    closed = page.locator("[data-readiness-group]:not([open]) > summary")
    while closed.count():
        closed.first.click()
    for item, value in answers.items():
        page.check(f'input[name="{item}"][value="{value}"]')
    page.wait_for_selector('[data-result][aria-busy="false"][data-level-low]', state="attached")


def pdf_pages(page: Any) -> int:
    """The page printed to an A4 PDF, as a reader's "Save as PDF" would: its number of pages."""
    data: bytes = page.pdf(format="A4")
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", data))


# --- 1. the answer first -------------------------------------------------------------------------


@pytest.mark.parametrize("edition", ["", "en/"])
def test_on_a_phone_the_score_field_is_on_the_first_screen_and_the_answer_comes_into_view(
    browser: Any, site_url: str, edition: str
) -> None:
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        open_calculator(page, f"{site_url}{edition}calculator/")
        field = page.locator("#gc-score").bounding_box()
        assert page.evaluate("scrollY") == 0
        assert field["y"] + field["height"] <= PHONE["height"]  # the whole field, on the first screen
        assert page.locator('label[for="gc-score"]').bounding_box()["y"] >= 0  # its label above it
        page.locator("#gc-score").click()
        before = page.evaluate("scrollY")
        # When the reader last typed and when the page first scrolled, on the page's own clock: a
        # busy machine may run the test late, never the page's timer early.
        page.evaluate(
            """() => {
                window.__typed = 0; window.__scrolled = null;
                addEventListener('input', () => { window.__typed = performance.now(); });
                addEventListener('scroll', () => { window.__scrolled ??= performance.now(); });
            }"""
        )
        page.keyboard.type("88", delay=40)
        settled(page, "three_star")
        page.wait_for_function(
            """() => {
                const heading = document.querySelector('#gc-result-title').getBoundingClientRect();
                const level = document.querySelector('.gc-level').getBoundingClientRect();
                return heading.top >= 0 && level.bottom <= innerHeight + 1;  // scrolled to a whole pixel
            }"""
        )
        assert page.evaluate("scrollY") > before
        # nothing jumps while the answer is fresh: the first scroll waits for the typing to settle
        assert page.evaluate("window.__scrolled - window.__typed") >= SETTLE_MS
        assert page.evaluate("document.activeElement.id") == "gc-score"  # the focus stays in the field
        assert page.get_attribute("[data-result]", "aria-live") == "polite"
    finally:
        context.close()


def test_a_result_from_the_link_is_left_where_it_is(browser: Any, site_url: str) -> None:
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        open_calculator(page, f"{site_url}calculator/#score=93")
        settled(page, "four_star")
        page.wait_for_timeout(1000)
        assert page.evaluate("scrollY") == 0
    finally:
        context.close()


# --- 2. next steps under every result ------------------------------------------------------------


def next_steps(page: Any) -> list[tuple[str, str]]:
    links = page.locator("[data-next] a")
    return [(link.get_attribute("href"), link.inner_text()) for link in links.all()]


def test_every_result_ends_with_next_steps_worded_for_its_gap(page: Any, site_url: str) -> None:
    open_calculator(page, f"{site_url}calculator/#score=88")
    settled(page, "three_star")
    steps = next_steps(page)
    assert [href for href, _ in steps] == ["#mode=readiness", "../prepare-audit/", "../prepare-checklist/"]
    assert steps[0][1] == "离四星级只差 2 分：用准备度自查找出提分最多的证据。"
    page.fill("#gc-score", "50")
    settled(page, "not_qualified")
    assert next_steps(page)[0][1] == WORDS["next.readiness.failing"]["zh"]
    assert next_steps(page)[1][0] == "../prepare/"
    assert "要把差距变成行动" not in page.locator("article").inner_text()  # the old pointer is gone
    # groups mode has them too
    page.check('input[data-mode="groups"]')
    for name, value in (("service_system", "36"), ("commodity_service", "30"), ("customer_service", "22")):
        page.fill(f'input[name="{name}"]', value)
    settled(page, "three_star")
    assert len(next_steps(page)) == 3
    # the readiness step opens this page's own check, empty until the first answer
    page.click('[data-next] a[data-target="readiness"]')
    assert page.is_checked('input[data-mode="readiness"]')
    assert page.locator('[data-panel="readiness"]').is_visible()
    settled(page)
    assert page.get_attribute("[data-result]", "data-level") == ""
    assert not page.locator("[data-next]").is_visible()
    answer_readiness(page, {ITEMS[0]: "met", ITEMS[1]: "partly"})
    steps = next_steps(page)
    assert [href for href, _ in steps] == ["../prepare/", "../prepare-checklist/"]  # no "take the check"


def test_the_english_twin_words_its_next_steps_in_english(page: Any, site_url: str) -> None:
    open_calculator(page, f"{site_url}en/calculator/#score=99")
    settled(page, "five_star")
    steps = next_steps(page)
    assert steps[0][1] == WORDS["next.readiness.top"]["en"]
    assert steps[1] == ("../prepare-keeping/", WORDS["next.guide.top"]["en"])
    assert page.locator("[data-next] h3").inner_text() == UI["journeys"]["next_title"]["en"]


# --- 3. the readiness result: empty first, whole points, a gauge with its range --------------------


def test_the_readiness_check_shows_no_result_before_the_first_answer(page: Any, site_url: str) -> None:
    open_calculator(page, f"{site_url}calculator/")
    page.check('input[data-mode="readiness"]')
    settled(page)
    result = page.locator("[data-result]")
    assert result.get_attribute("data-level") == ""
    assert page.locator("[data-field=summary]").inner_text() == WORDS["readiness.empty"]["zh"]
    assert "不合格" not in result.inner_text() and "0 分" not in result.inner_text()
    assert not page.locator("#gc-result-title").is_visible()
    assert not page.locator("[data-readiness-result]").is_visible()
    assert page.locator("[data-charts] svg").count() == 0
    answer_readiness(page, ANSWERS)
    summary = page.locator("[data-field=summary]").inner_text()
    assert re.match(r"估计 \d+ 分（区间 \d+–\d+ 分）", summary), summary  # whole points with the range
    assert "." in (result.get_attribute("data-score") or "") or "/" in (result.get_attribute("data-score") or "")
    gauge = page.locator("[data-charts] figure").first
    assert gauge.locator(".gc-range-band").count() == 1
    assert re.search(r"区间 \d+–\d+ 分", gauge.locator("figcaption").inner_text())


# --- 4. the plan: actions with their evidence, whole points, what reaches the next level ----------


def test_plan_items_are_actions_with_their_evidence_and_say_what_reaches_the_next_level(
    page: Any, site_url: str
) -> None:
    open_calculator(page, f"{site_url}en/calculator/")
    answer_readiness(page, ANSWERS)
    rows = page.locator("[data-readiness-gaps] tr")
    assert rows.count() > 3
    first = rows.first.inner_text().strip()
    assert first.startswith(f"1. {WORDS['readiness.produce']['en']}: ")
    assert re.search(r"adds about (\d+ points?|less than 1 point)\)", first), first
    assert not re.search(r"about \d+\.\d", page.locator("[data-readiness-result]").inner_text())
    assert re.match(
        r"Completing (item 1|items 1–\d+) reaches .+\.$", page.locator("[data-readiness-reaches]").inner_text()
    )
    # no link that leads to the text the calculator already shows
    assert page.locator("[data-readiness-result] a").count() == 0
    assert page.locator('[data-readiness] a[href*="prepare-audit"]').count() == 0


# --- 5. one print layout for the record, one for the plan -----------------------------------------


def printed_record(page: Any) -> str:
    text: str = page.locator("[data-record]").inner_text()
    return text


def test_the_record_prints_the_inputs_of_the_mode_shown_on_at_most_two_pages(page: Any, site_url: str) -> None:
    open_calculator(page, f"{site_url}calculator/#score=88")
    settled(page, "three_star")
    page.fill("[data-company]", "示例电器有限公司")
    page.emulate_media(media="print")
    record = printed_record(page)
    assert "自评记录" in record and "企业：示例电器有限公司" in record
    assert "评估方式：快速：只填总分" in record and "特别项之前的总分：88" in record
    assert re.search(r"日期：\d{4}-\d\d-\d\d", record) and "calculator/" in record
    assert page.evaluate(VISIBLE_CONTROLS) == []  # no form control on paper
    assert not page.locator("h1").is_visible()  # nothing else of the page
    assert 1 <= pdf_pages(page) <= 2
    # then the readiness check: the record lists its inputs, not the quick mode's
    page.emulate_media(media="screen")
    answer_readiness(page, ANSWERS)
    page.emulate_media(media="print")
    record = printed_record(page)
    assert "评估方式：准备度自查" in record and f"已答 {len(ANSWERS)}/{len(ITEMS)}" in record
    assert "88" not in record and "示例电器有限公司" in record
    assert page.evaluate(VISIBLE_CONTROLS) == []
    assert 1 <= pdf_pages(page) <= 2
    # the assumptions come last
    assumptions = page.locator('[data-block="assumptions"]').bounding_box()
    assert assumptions["y"] > page.locator("[data-readiness-result]").bounding_box()["y"]


def test_straight_into_the_readiness_check_the_plan_prints_with_its_heading_and_a_table_to_fill_in(
    page: Any, site_url: str
) -> None:
    open_calculator(page, f"{site_url}calculator/")
    answer_readiness(page, ANSWERS)
    page.evaluate("document.querySelector('[data-calculator]').dataset.print = 'plan'")
    page.emulate_media(media="print")
    record = printed_record(page)
    assert "准备计划" in record and "自评记录" not in record
    assert re.search(r"日期：\d{4}-\d\d-\d\d", record) and "网址：" in record and "calculator/" in record
    assert "评估方式：准备度自查" in record
    headers = page.locator("[data-readiness-plan] thead th").all_inner_texts()
    assert headers == [UI["journeys"][key]["zh"] for key in ("col_done", "col_action", "col_owner", "col_due")]
    assert page.locator("[data-readiness-gaps] tr").first.locator("td").count() == 4
    assert page.locator("[data-readiness-gaps] tr").first.locator("td").nth(2).is_visible()  # owner, to write in
    assert page.locator("[data-field=level]").is_visible()
    assert re.search(r"估计 \d+ 分（区间 \d+–\d+ 分）", page.locator("[data-field=summary]").inner_text())
    assert not page.locator("[data-charts]").is_visible()
    assert page.evaluate(VISIBLE_CONTROLS) == []
    assert 1 <= pdf_pages(page) <= 2


@pytest.mark.parametrize("edition", ["", "en/"])
def test_a_plan_of_every_item_still_prints_on_two_pages(page: Any, site_url: str, edition: str) -> None:
    """The longest plan there is (every question answered no) and its record, in either language."""
    open_calculator(page, f"{site_url}{edition}calculator/")
    answer_readiness(page, dict.fromkeys(ITEMS, "not_met"))
    assert page.locator("[data-readiness-gaps] tr").count() == len(ITEMS)
    page.emulate_media(media="print")
    assert pdf_pages(page) <= 2
    page.evaluate("document.querySelector('[data-calculator]').dataset.print = 'plan'")
    assert pdf_pages(page) <= 2


# --- 6. reading and tapping on a phone ---------------------------------------------------------------


def test_on_a_phone_questions_read_at_16_px_and_every_choice_is_a_44_px_target(browser: Any, site_url: str) -> None:
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        open_calculator(page, f"{site_url}calculator/")
        page.check('input[data-mode="readiness"]')
        sizes = page.evaluate(
            """() => [...document.querySelectorAll('[data-readiness-group][open] .gc-item legend')]
                .map((node) => parseFloat(getComputedStyle(node).fontSize))"""
        )
        assert sizes and min(sizes) >= 16
        heights = page.evaluate(
            """() => [...document.querySelectorAll('[data-readiness-group][open] .gc-answers label, .gc-modes label')]
                .map((node) => node.getBoundingClientRect().height)"""
        )
        assert heights and min(heights) >= 44
    finally:
        context.close()


@pytest.mark.parametrize(
    "query", ["#score=88", "#mode=groups&service_system=36&commodity_service=30&customer_service=22"]
)
def test_the_result_charts_labels_are_at_least_11_px_and_whole_at_360_px(
    browser: Any, site_url: str, query: str
) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        open_calculator(page, f"{site_url}en/calculator/{query}")
        settled(page)
        page.locator("[data-charts] svg").first.wait_for(state="attached")
        measured = page.evaluate(
            """() => [...document.querySelectorAll('[data-charts] svg')].flatMap((svg) => {
                const box = svg.getBoundingClientRect();
                const scale = box.width / svg.viewBox.baseVal.width;
                return [...svg.querySelectorAll('text')].filter((t) => t.textContent).map((text) => {
                    const r = text.getBoundingClientRect();
                    return {text: text.textContent, size: parseFloat(getComputedStyle(text).fontSize) * scale,
                            inside: r.left >= box.left - 0.5 && r.right <= box.right + 0.5};
                });
            })"""
        )
        assert len(measured) >= 5
        assert [(each["text"], round(each["size"], 1)) for each in measured if each["size"] < 11] == []
        assert [each["text"] for each in measured if not each["inside"]] == []
    finally:
        context.close()
