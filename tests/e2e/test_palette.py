"""The light/dark switch in the header (scripts/site/theme/partials/): the page is drawn once, in
the right palette, and the switch works with the mouse, the keyboard and across navigation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

pytestmark = pytest.mark.browser

# Records every change to <body>'s attributes, and whether the page had finished parsing then.
RECORD_BODY_CHANGES = """
window.__bodyChanges = [];
new MutationObserver((records) => {
  for (const record of records)
    if (record.target === document.body)
      window.__bodyChanges.push({name: record.attributeName, parsed: document.readyState !== 'loading'});
}).observe(document, {attributes: true, subtree: true});
"""

STATE = """() => ({
  scheme: document.body.getAttribute('data-md-color-scheme'),
  shown: [...document.querySelectorAll('form[data-palette] label')]
    .filter((label) => getComputedStyle(label).display !== 'none')
    .map((label) => label.previousElementSibling.getAttribute('aria-label')),  // its title, while hovered, is a tooltip
  stored: Object.keys(localStorage).filter((key) => key.endsWith('.__palette')).length,
})"""

TO_DARK, TO_LIGHT = "切换到深色模式", "切换到浅色模式"


@pytest.fixture
def visit(browser: Any, site_url: str) -> Iterator[Any]:
    """A new visitor (fresh context) whose system prefers the given colour scheme."""
    contexts: list[Any] = []

    def open_page(scheme: str, path: str = "glossary/") -> Any:
        context = browser.new_context(color_scheme=scheme)
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.add_init_script(RECORD_BODY_CHANGES)
        page.goto(site_url + path)
        page.wait_for_function("() => window.document$ !== undefined")
        return page

    yield open_page
    for context in contexts:
        context.close()


def after_start_up(page: Any) -> None:
    """Wait until the page has loaded and a timer posted after that has fired.

    The theme's scripts are deferred, so they have run by `load`; a zero-delay timer they set
    while starting (Material's palette component cleared its restyling flag in one) fires
    before a later one, so anything they do to <body> is recorded by then.
    """
    page.wait_for_function("() => document.readyState === 'complete'")
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)))")


def switch(page: Any) -> None:
    page.locator("form[data-palette] label:not([hidden])").click()


@pytest.mark.parametrize(
    ("system", "scheme", "button"),
    [("light", "default", TO_DARK), ("dark", "slate", TO_LIGHT)],
)
def test_a_first_visit_is_drawn_once_in_the_systems_palette(visit: Any, system: str, scheme: str, button: str) -> None:
    page = visit(system)
    after_start_up(page)
    assert page.evaluate(STATE) == {"scheme": scheme, "shown": [button], "stored": 0}
    # Any palette attribute is set while the header is parsed, before the first paint; after
    # that the page is not restyled as a whole (the theme's own switch flagged <body> twice).
    late = page.evaluate("window.__bodyChanges.filter((change) => change.parsed)")
    assert late == []
    header = page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor")
    assert page.evaluate("document.querySelector('meta[name=theme-color]').content") == header
    assert page.errors == []


def test_the_switch_is_remembered_across_reloads_and_instant_navigation(visit: Any, site_url: str) -> None:
    page = visit("light")
    switch(page)
    assert page.evaluate(STATE) == {"scheme": "slate", "shown": [TO_LIGHT], "stored": 1}
    page.reload()
    assert page.evaluate(STATE)["scheme"] == "slate"
    page.evaluate("() => { window.__sameDocument = true; }")
    page.locator(".md-nav--primary a.md-nav__link", has_text="常见问题").first.click()
    page.wait_for_url(site_url + "faq/")
    assert page.evaluate("() => window.__sameDocument === true"), "expected Material's instant navigation"
    assert page.evaluate(STATE)["scheme"] == "slate"
    switch(page)
    assert page.evaluate(STATE) == {"scheme": "default", "shown": [TO_DARK], "stored": 1}
    assert page.errors == []


def test_enter_on_the_focused_switch_changes_the_palette_and_keeps_the_focus_on_it(visit: Any) -> None:
    page = visit("light")
    page.focus("form[data-palette] input:checked")
    page.keyboard.press("Enter")
    assert page.evaluate(STATE)["scheme"] == "slate"
    assert page.evaluate("document.activeElement.matches('form[data-palette] input:checked')")
    page.keyboard.press("Enter")
    assert page.evaluate(STATE)["scheme"] == "default"


def test_the_page_follows_the_system_until_the_visitor_chooses(visit: Any) -> None:
    page = visit("light")
    page.emulate_media(color_scheme="dark")
    page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'slate'")
    switch(page)  # an explicit choice: light
    # Listeners run in the order they were added: when this one has seen both changes, the
    # page's own listener (added while the header was parsed) has handled them too.
    page.evaluate(
        """() => { window.__systemChanges = 0;
        matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => { window.__systemChanges++; }); }"""
    )
    page.emulate_media(color_scheme="light")
    page.wait_for_function("() => window.__systemChanges === 1")
    page.emulate_media(color_scheme="dark")
    page.wait_for_function("() => window.__systemChanges === 2")
    assert page.evaluate(STATE) == {"scheme": "default", "shown": [TO_DARK], "stored": 1}


def test_the_viewport_takes_the_palettes_colour_scheme(visit: Any) -> None:
    page = visit("dark")
    assert page.evaluate("getComputedStyle(document.documentElement).colorScheme") == "dark"
    switch(page)
    assert page.evaluate("getComputedStyle(document.documentElement).colorScheme") == "light"


@pytest.mark.parametrize(("path", "button"), [("glossary/", TO_DARK), ("en/glossary/", "Switch to dark mode")])
def test_the_switch_is_named_in_the_pages_language(visit: Any, path: str, button: str) -> None:
    page = visit("light", path)
    assert page.evaluate(STATE)["shown"] == [button]
    assert page.locator("form[data-palette] label:not([hidden])").get_attribute("title") == button
