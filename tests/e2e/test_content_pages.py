"""Content pages as the theme finally shows them, with the work done at build time
(`scripts/site/content_html.py`) instead of by the theme's script after the first layout."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

# What makes a data table look like one: the table, its header cells and its body cells.
LOOK = [
    "display",
    "font-size",
    "background-color",
    "border-top-width",
    "border-top-style",
    "border-top-color",
    "border-bottom-left-radius",
    "padding-top",
    "padding-left",
    "text-align",
    "font-weight",
    "vertical-align",
    "min-width",
]


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_tables_stay_where_the_build_put_them_and_look_like_the_themes(page: Any, site_url: str, scheme: str) -> None:
    page.goto(site_url + "standard/")
    page.wait_for_function("() => window.document$ !== undefined")
    page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
    counts = page.evaluate(
        """() => ({
            tables: document.querySelectorAll('article table').length,
            wrapped: document.querySelectorAll('article .md-typeset__scrollwrap > .md-typeset__table > table.guide-table').length,
            twice: document.querySelectorAll('.md-typeset__table .md-typeset__scrollwrap').length,
        })"""
    )
    assert counts["tables"] >= 5
    assert counts == {"tables": counts["tables"], "wrapped": counts["tables"], "twice": 0}
    # The theme's own data table, for comparison: a class-less copy in the same wrapper.
    ours, theirs = page.evaluate(
        """(properties) => {
            const table = document.querySelector('article table.guide-table');
            const wrapper = table.closest('.md-typeset__scrollwrap');
            const copy = wrapper.cloneNode(true);
            copy.querySelector('table').removeAttribute('class');
            wrapper.after(copy);
            const look = (root) => ['table', 'th', 'tbody td'].map((selector) => {
                const style = getComputedStyle(selector === 'table' ? root : root.querySelector(selector));
                return Object.fromEntries(properties.map((name) => [name, style.getPropertyValue(name)]));
            });
            return [look(table), look(copy.querySelector('table'))];
        }""",
        LOOK,
    )
    assert ours == theirs


def test_an_abbreviation_is_explained_where_it_first_appears_on_a_page(page: Any, site_url: str) -> None:
    page.goto(site_url + "standard/")
    first = page.evaluate("""() => [...document.querySelectorAll('article abbr')].map((node) => node.textContent)""")
    assert "GB/T" in first
    assert len(first) == len(set(first)), first
    assert page.locator("article").inner_text().count("GB/T") > 10  # the later ones are plain text


def test_a_table_wider_than_a_phone_shows_that_it_scrolls(browser: Any, site_url: str) -> None:
    """Issue 29: the cost table's source column was cut off on phones with no cue."""
    from png_pixels import mean_brightness

    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        page.goto(site_url + "en/prepare/")
        wrapper = page.locator("article .md-typeset__scrollwrap").first
        wrapper.scroll_into_view_if_needed()
        box = wrapper.bounding_box()
        assert page.evaluate("(w) => w.scrollWidth > w.clientWidth", wrapper.element_handle())

        def right_edge() -> float:
            strip = {"x": box["x"] + box["width"] - 4, "y": box["y"] + 40, "width": 3, "height": box["height"] - 80}
            return mean_brightness(page.screenshot(clip=strip))

        cut_off = right_edge()
        page.evaluate("(w) => { w.scrollLeft = w.scrollWidth; }", wrapper.element_handle())
        page.wait_for_function("(w) => w.scrollLeft > 0", arg=wrapper.element_handle())
        at_the_end = right_edge()
        assert cut_off < at_the_end - 25, (cut_off, at_the_end)  # a shadow while there is more to the right
    finally:
        page.close()
