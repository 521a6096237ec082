"""The preparation guide in the built site: both editions render every page, the printable
checklist and the evidence section list every item of the evidence data, the three-year total is
the one computed from the data, and the home and calculator pages lead to the guide."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from content_helpers import load

from calculator.evidence import load_checklist
from scripts.site.prepare import cost_plan

PAGES = ["prepare/", "prepare-audit/", "prepare-keeping/", "prepare-checklist/"]
EDITIONS = ["", "en/"]


def html(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def article(site: Path, path: str) -> str:
    match = re.search(r"<article.*?</article>", html(site, path), re.DOTALL)
    assert match, path
    return match.group(0)


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_in_both_editions(built_site: Path, edition: str, page: str) -> None:
    text = article(built_site, edition + page)
    assert "<h1" in text
    assert not re.search(r"\{\{|\{%|\[\[", text), "unfilled template syntax"
    lang = "en" if edition else "zh"
    assert f'<html lang="{lang}"' in html(built_site, edition + page)


@pytest.mark.parametrize("edition", EDITIONS)
def test_the_checklist_lists_every_item_once(built_site: Path, edition: str) -> None:
    text = article(built_site, edition + "prepare-checklist/")
    rows = re.findall(r'<tr data-item="([^"]+)">', text)
    items = load_checklist().items
    assert sorted(rows) == sorted(item.id for item in items)
    assert len(rows) == len(set(rows))
    language = "en" if edition else "zh"
    for item in items:
        assert item.question.to_dict()[language] in text, item.id


@pytest.mark.parametrize("edition", EDITIONS)
def test_the_evidence_section_shows_every_item_with_its_sources(built_site: Path, edition: str) -> None:
    text = article(built_site, edition + "prepare-audit/")
    for item in load_checklist().items:
        assert f"<code>{item.id}</code>" in text, item.id
    assert text.count('class="refs"') >= len(load_checklist().items)
    assert 'href="../sources/#' in text or 'href="../../sources/#' in text


@pytest.mark.parametrize("edition", EDITIONS)
def test_the_cost_page_shows_the_computed_three_year_total(built_site: Path, edition: str) -> None:
    plan = cost_plan(load("prepare_costs"), load("process")["validity"]["years"])
    text = article(built_site, edition + "prepare/")
    assert f"{plan['cycle']['min']}–{plan['cycle']['max']}" in text
    assert f"{plan['first_year']['min']}–{plan['first_year']['max']}" in text


def test_no_source_says_is_said_in_both_editions(built_site: Path) -> None:
    assert "没有来源说明" in article(built_site, "prepare-keeping/")
    assert "No source says" in article(built_site, "en/prepare-keeping/")


@pytest.mark.parametrize("path", ["", "en/"])
def test_home_links_to_the_guide(built_site: Path, path: str) -> None:
    assert re.search(r'href="(\.\./)*prepare/"', article(built_site, path)), path


@pytest.mark.parametrize("path", ["calculator/", "en/calculator/"])
def test_the_calculators_next_steps_lead_to_the_guide(built_site: Path, path: str) -> None:
    """The calculator leads to the guide from the next steps under its result (issue 29), which
    replaced a sentence under the assumptions; the markup holds the addresses its links take."""
    page = article(built_site, path)
    for target in ("prepare", "prepare-audit", "prepare-keeping", "prepare-checklist"):
        assert re.search(rf'data-href-{target.removeprefix("prepare-")}="\.\./{target}/"', page), target


def test_the_checklist_prints_without_the_site_chrome(built_site: Path) -> None:
    sheets = [p.read_text(encoding="utf-8") for p in built_site.rglob("*.css")]
    css = next(s for s in sheets if "prepare-checklist" in s)
    block = css[css.find("@media print") :]
    assert "@media print" in css and ".md-sidebar" in block and ".md-header" in block


@pytest.mark.parametrize("edition", EDITIONS)
def test_the_enterprise_page_lists_the_application_and_leads_to_the_one_evidence_checklist(
    built_site: Path, edition: str
) -> None:
    """Evidence per indicator lives once (calculator/data/evidence.json): the enterprise page
    lists only what the application needs and links to the guide for the rest."""
    text = article(built_site, edition + "enterprises/")
    section = re.search(r'<h2 id="checklist".*?(?=<h2 )', text, re.DOTALL)
    assert section, "the enterprise page lost its checklist section"
    assert 'href="../prepare-checklist/"' in section.group(0)
    application = [group for group in load("enterprises")["checklist"] if group["id"] == "application"]
    listed = re.findall(r"<li>", section.group(0))
    assert len(listed) == len(application[0]["items"]), "a second evidence list came back"
