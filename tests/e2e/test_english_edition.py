"""The English edition in headless Chromium: the calculator answers in English, the language
switcher leads to the same page, and English search finds English pages."""

from __future__ import annotations

from typing import Any

import pytest
from e2e_helpers import LOAD_TIMEOUT, READY

from calculator.browser import form_layout

pytestmark = pytest.mark.browser


def test_english_calculator_grades_and_explains_in_english(page: Any, site_url: str) -> None:
    page.goto(site_url + "en/calculator/?score=93")
    assert page.locator("html").get_attribute("lang") == "en"
    page.wait_for_selector(READY, timeout=LOAD_TIMEOUT)
    page.wait_for_selector('[data-result][data-level="four_star"]', state="attached", timeout=LOAD_TIMEOUT)
    assert "Four-star" in page.locator("[data-result]").inner_text()
    page.fill('input[name="score"]', "abc")
    page.wait_for_selector('[data-result][data-level=""]', state="attached")
    page.wait_for_function("() => document.querySelector('[data-error-for=score]').textContent.trim() !== ''")
    assert "not a number" in page.locator("[data-error-for=score]").inner_text()
    assert page.watch.foreign == []
    assert page.watch.page_errors == []


@pytest.mark.parametrize(("path", "lang"), [("calculator/", "zh"), ("en/calculator/", "en")])
def test_the_calculators_labels_are_the_packages(page: Any, site_url: str, path: str, lang: str) -> None:
    """Mode names and field labels on the page are the ones calculator.browser gives the engine's answers."""
    layout = form_layout(lang)
    page.goto(site_url + path)
    modes = page.eval_on_selector_all("[data-mode]", "radios => radios.map(r => [r.value, r.labels[0].textContent])")
    assert [(value, label.strip()) for value, label in modes] == [(m["id"], m["label"]) for m in layout["modes"]]
    for profile, prefix in [(layout["groups"], "gc-"), *[(p, f"gc-{p['id']}-") for p in layout["profiles"]]]:
        for field in profile["fields"]:
            assert page.locator(f'label[for="{prefix}{field["id"]}"]').inner_text() == field["label"]
            box = page.locator(f'#{prefix}{field["id"]} ~ label input[type="checkbox"]')
            if "na" in field:  # an indicator's "not applicable" box
                assert box.get_attribute("name") == field["na"]
            else:  # a first-level group has none
                assert box.count() == 0
    assert page.locator("[data-opens-file]").get_attribute("value") == layout["custom"]


@pytest.mark.parametrize(
    ("start", "lang", "expected"), [("standard/", "en", "en/standard/"), ("en/process/", "zh", "process/")]
)
def test_language_switcher_leads_to_the_same_page(
    page: Any, site_url: str, start: str, lang: str, expected: str
) -> None:
    page.goto(site_url + start)
    link = page.locator(f'.md-select__link[hreflang="{lang}"]')
    page.locator(".md-header__option .md-select").hover()
    link.click()
    page.wait_for_url(site_url + expected)
    # The switcher loads the page in full (docs/assets/site.js), so `<html lang>` follows at
    # once; Material's instant navigation would keep the old language.
    page.wait_for_function("lang => document.documentElement.lang === lang", arg=lang)
    assert page.locator("html").get_attribute("lang") == lang


@pytest.mark.slow
def test_english_search_finds_the_english_process_page(page: Any, site_url: str) -> None:
    page.goto(site_url + "en/")
    page.locator(".md-search__input").first.click()
    page.wait_for_function(
        "() => { const m = document.querySelector('.md-search-result__meta');"
        " return m && m.textContent.trim() !== '' && !/initiali[sz]ing/i.test(m.textContent); }",
        timeout=30_000,
    )
    box = page.locator("input.md-search__input")
    box.fill("surveillance")
    box.press("End")
    page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    links = [str(a.get_attribute("href")) for a in page.locator(".md-search-result__item > a").all()]
    assert any("en/process/" in link for link in links), links
