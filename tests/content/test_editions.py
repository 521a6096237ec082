"""The English edition: every page has a twin in the other language, both editions carry the
right `<html lang>`, and the language switcher leads to the same page in the other language."""

from __future__ import annotations

import re
from pathlib import Path

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
