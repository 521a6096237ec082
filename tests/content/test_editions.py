"""The English edition: every page has a twin in the other language, both editions carry the
right `<html lang>`, and the language switcher leads to the same page in the other language."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
UI = ROOT / "docs" / "_data" / "ui.yml"


def chinese_pages() -> list[str]:
    return sorted(p.stem for p in DOCS.glob("*.md") if not p.name.endswith(".en.md"))


def english_pages() -> list[str]:
    return sorted(p.name.removesuffix(".en.md") for p in DOCS.glob("*.en.md"))


def site_path(stem: str) -> str:
    return "" if stem == "index" else stem + "/"


def test_both_editions_have_the_same_pages() -> None:
    assert chinese_pages(), "no pages found"
    assert english_pages() == chinese_pages()


@pytest.mark.parametrize("stem", chinese_pages())
def test_english_page_uses_the_same_includes_and_anchors(stem: str) -> None:
    zh = (DOCS / f"{stem}.md").read_text(encoding="utf-8")
    en = (DOCS / f"{stem}.en.md").read_text(encoding="utf-8")
    pattern = re.compile(r'\{% include "([^"]+)" %\}|\{#([\w-]+)\}')
    assert sorted(pattern.findall(en)) == sorted(pattern.findall(zh))


def test_ui_strings_are_bilingual() -> None:
    def walk(node: object, where: str) -> list[str]:
        if isinstance(node, dict) and {"zh", "en"} <= node.keys():
            return [where] if not (str(node["zh"]).strip() and str(node["en"]).strip()) else []
        if isinstance(node, dict):
            return [bad for key, value in node.items() for bad in walk(value, f"{where}.{key}")]
        return [where]

    assert walk(yaml.safe_load(UI.read_text(encoding="utf-8")), "ui") == []


def test_templates_print_the_page_language() -> None:
    for template in (ROOT / "scripts" / "site" / "templates").glob("*.j2"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"\.zh\s*\}\}", text.replace("s.title.zh", "")), f"{template.name} prints .zh"


@pytest.mark.parametrize("stem", chinese_pages())
def test_built_site_has_both_languages_and_switchers(built_site: Path, stem: str) -> None:
    zh_file = built_site / site_path(stem) / "index.html"
    en_file = built_site / "en" / site_path(stem) / "index.html"
    assert zh_file.exists() and en_file.exists()
    for path, lang, other, other_href in [
        (zh_file, "zh", "en", "en/" + site_path(stem)),
        (en_file, "en", "zh", site_path(stem)),
    ]:
        html = path.read_text(encoding="utf-8")
        assert re.search(rf'<html lang="{lang}"', html), path
        switch = re.search(rf'<a href="([^"]*)" hreflang="{other}" class="md-select__link"', html)
        assert switch, f"no switcher link to {other} on {path}"
        page_dir = path.parent.relative_to(built_site).as_posix()
        target = (Path("/") / page_dir / switch.group(1)).resolve().as_posix().lstrip("/")
        assert target.rstrip("/") == other_href.rstrip("/"), (path, switch.group(1))


def test_english_calculator_page_is_in_english(built_site: Path) -> None:
    html = (built_site / "en" / "calculator" / "index.html").read_text(encoding="utf-8")
    widget = html[html.index("data-calculator") : html.index("</noscript>")]
    labels = re.sub(r"<[^>]+>", " ", widget)
    assert "Total score" in labels
    assert "Special deduction items" in labels
    # Chinese only where the English text keeps the Chinese term beside it
    assert set(re.findall(r"[\u4e00-\u9fff]+", labels)) <= {"特别扣分项", "特别加分项"}


def test_service_worker_covers_both_calculator_pages(built_site: Path) -> None:
    worker = (built_site / "sw.js").read_text(encoding="utf-8")
    assert '"calculator/"' in worker and '"en/calculator/"' in worker


def test_runtime_is_in_the_site_once(built_site: Path) -> None:
    assert len(list(built_site.rglob("pyodide.asm.wasm"))) == 1
    assert not (built_site / "en" / "assets").exists()


def test_search_index_holds_both_editions(built_site: Path) -> None:
    import json

    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"] for doc in index["docs"]}
    assert "process/" in locations and "en/process/" in locations


def _mkdocs_config() -> dict[str, Any]:
    """mkdocs.yml as plain data: its tags (!ENV, !!python/name) read as None."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/name:", lambda loader, suffix, node: None)
    config: dict[str, Any] = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    return config


def _nav_pages(nav: list[Any]) -> dict[str, str]:
    """Page file -> its Chinese navigation title."""
    pages: dict[str, str] = {}
    for entry in nav:
        for title, target in entry.items():
            pages |= _nav_pages(target) if isinstance(target, list) else {target: title}
    return pages


def test_each_page_title_matches_its_navigation_entry() -> None:
    """Issue 29: the nav said "Grade self-assessment calculator" above a page titled "Grade calculator"."""
    config = _mkdocs_config()
    english_plugin = next(p["i18n"] for p in config["plugins"] if isinstance(p, dict) and "i18n" in p)
    translations = next(lang for lang in english_plugin["languages"] if lang["locale"] == "en")["nav_translations"]
    for page, title in _nav_pages(config["nav"]).items():
        if page == "index.md":
            continue  # the home page's heading is the site's name
        # A heading may say more than its short navigation title, never something else.
        assert title in (DOCS / page).read_text(encoding="utf-8").splitlines()[0], page
        english = (DOCS / page.replace(".md", ".en.md")).read_text(encoding="utf-8").splitlines()[0]
        assert translations[title].lower() in english.lower(), page
