"""Mechanical checks of the English edition's language (issue 17): no full-width punctuation in
English prose, glossary terms mid-sentence in lower case and written as the glossary writes them,
and one wording for each recurring term."""

from __future__ import annotations

import re
from functools import cache

import pytest
from content_helpers import DOCS, OTHERS, load

from scripts.site.generate import Links, render_page

ENGLISH_PAGES = sorted(p.name for p in DOCS.glob("*.en.md") if p.name.replace(".en", "") not in OTHERS)
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef《》“”]")
FULL_WIDTH = "：（），；。"
TERM_LINK = re.compile(r"\[([^\]]+)\]\(glossary\.md#([a-z0-9-]+) \"[^\"]*\"\)")
# one wording for each recurring term: (pattern, the wording the site uses)
VARIANTS = [
    (re.compile(r"\bre-certification\b", re.IGNORECASE), "recertification"),
    (re.compile(r"Evaluation system of after-sales", re.IGNORECASE), "Evaluation system for after-sales"),
    (re.compile(r"\bregistered (?:certification |implementation )?rules\b", re.IGNORECASE), "filed rules"),
    (re.compile(r"See:\S"), "See: followed by a space"),
    (re.compile(r"\bgrade calculator\b", re.IGNORECASE), "grade self-assessment calculator"),
]


@cache
def rendered(name: str) -> str:
    return render_page((DOCS / name).read_text(encoding="utf-8"), name, Links())


def prose(name: str) -> str:
    """The page without code spans, code blocks and Chinese text in `lang="zh"` spans."""
    text = re.sub(r"```.*?```", "", rendered(name), flags=re.DOTALL)
    text = re.sub(r'<span lang="zh">.*?</span>', "", text, flags=re.DOTALL)  # Chinese quoted in English pages
    return re.sub(r"`[^`]*`", "", text)


def test_the_checks_see_what_they_look_for() -> None:
    assert stray_full_width("Sources: a（b") == ["a（b"]
    assert stray_full_width("中文（说明）") == []
    assert mid_sentence_capitals('. [Special item](glossary.md#x "t") and [Surveillance audit](glossary.md#y "t")') == [
        "Surveillance audit"
    ]


def stray_full_width(text: str) -> list[str]:
    found = []
    for i, char in enumerate(text):
        if char in FULL_WIDTH:
            before, after = text[i - 1 : i], text[i + 1 : i + 2]
            if not (CJK.match(before) or CJK.match(after)):
                found.append(text[max(0, i - 1) : i + 2])
    return found


def mid_sentence_capitals(text: str) -> list[str]:
    found = []
    for match in TERM_LINK.finditer(text):
        shown = match[1]
        before = text[: match.start()].rstrip(" *")
        starts_sentence = (
            not before
            or before.endswith((".", "!", "?", ":", "\n", "|", "-", "(", ">"))
            or (before[-1].isdigit() and before.endswith("."))
        )
        first = shown.split()[0]
        acronym = sum(c.isupper() for c in first) > 1 or not first[:1].isalpha()
        proper = any(word[:1].isupper() for word in shown.split()[1:])
        if not starts_sentence and first[:1].isupper() and not acronym and not proper:
            found.append(shown)
    return found


@pytest.mark.parametrize("name", ENGLISH_PAGES)
def test_no_full_width_punctuation_in_english_prose(name: str) -> None:
    assert stray_full_width(prose(name)) == []


@pytest.mark.parametrize("name", ENGLISH_PAGES)
def test_glossary_terms_mid_sentence_start_lower_case(name: str) -> None:
    assert mid_sentence_capitals(prose(name)) == []


@pytest.mark.parametrize("name", ENGLISH_PAGES)
def test_glossary_links_use_the_glossary_term(name: str) -> None:
    terms = {t["id"]: t["term"]["en"] for t in load("glossary")["terms"]}
    wrong = []
    for shown, term_id in TERM_LINK.findall(prose(name)):
        head = re.split(r"[\s(-]", terms[term_id].lower())[0]
        if not shown.lower().startswith(head[: max(4, len(head) - 2)]):
            wrong.append(f"{shown!r} links to {term_id!r} ({terms[term_id]})")
    assert wrong == []


@pytest.mark.parametrize("name", ENGLISH_PAGES)
def test_one_wording_for_each_recurring_term(name: str) -> None:
    text = prose(name)
    found = [f"{m.group(0)!r} -> {wording}" for pattern, wording in VARIANTS for m in pattern.finditer(text)]
    assert found == []
