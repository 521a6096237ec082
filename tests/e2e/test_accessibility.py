"""axe-core (WCAG 2.2 AA and best practices) on every page of the site, in both palettes."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from e2e_helpers import LOAD_TIMEOUT, READY

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def site_pages(built_site: Path) -> list[str]:
    """Every page in the built sitemap, as a path relative to the site root."""
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert locations, "the sitemap lists no page"
    return sorted({re.sub(r"^https?://[^/]+/", "", url) for url in locations})


def violations(page: Any) -> list[str]:
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    found = page.evaluate(
        """async tags => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return result.violations.map(v => `${v.id} (${v.impact}): ` +
                v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
        }""",
        TAGS,
    )
    return list(found)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_reports_no_violation_on_any_page(browser: Any, built_site: Path, site_url: str, scheme: str) -> None:
    context = browser.new_context(color_scheme=scheme, bypass_csp=True)  # axe goes in as an inline script
    report: dict[str, list[str]] = {}
    try:
        page = context.new_page()
        pages = site_pages(built_site)
        assert "calculator/" in pages
        for path in pages:
            if path.startswith("calculator/"):
                page.goto(site_url + path + "?mode=groups&service_system=36&commodity_service=31&customer_service=22")
                page.wait_for_selector(READY, timeout=LOAD_TIMEOUT)
                page.wait_for_selector("[data-charts] svg", timeout=10_000)
            else:
                page.goto(site_url + path)
            found = violations(page)
            if found:
                report[path or "/"] = found
    finally:
        context.close()
    assert report == {}, "\n".join(f"{page}: {problems}" for page, problems in report.items())


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["calculator/", "en/calculator/"])
def test_axe_reports_no_violation_in_the_readiness_check(browser: Any, site_url: str, scheme: str, path: str) -> None:
    """The readiness mode with every group open, some answers given and its result and plan shown."""
    from calculator.readiness import encode_answers, load_model

    model = load_model()
    answers = {item.id: ("met", "partly", "not_met", "na")[index % 4] for index, item in enumerate(model.items[:20])}
    context = browser.new_context(color_scheme=scheme, bypass_csp=True)  # axe goes in as an inline script
    try:
        page = context.new_page()
        page.goto(f"{site_url}{path}?mode=readiness#r={encode_answers(model, answers)}")
        page.wait_for_selector(READY, timeout=LOAD_TIMEOUT)
        page.wait_for_selector("[data-readiness-gaps] tr", timeout=10_000)
        page.evaluate("document.querySelectorAll('[data-readiness] details').forEach(d => { d.open = true; })")
        assert violations(page) == []
    finally:
        context.close()
