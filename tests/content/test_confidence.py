"""The confidence legend on the sources page is a rule, and this module enforces it.

- High needs a checked primary document (a law, an official record, a certification body's own rule).
- Medium-high: at least two independent, checked sources, none of them primary, or a catalogue
  record. Sources that share one text (the same `origin`) count once.
- Otherwise a source's kind caps the confidence: a single commercial or other secondary source
  (agent and "certification services" sites included) at most medium.
- An inference (`inference: true`; its text says so) is at most low, whatever its sources.
- One fact, one rating: entries that state the same fact (the same `fact` id) share their rating.
- A source whose page could not be checked (not found, no address) never counts towards independence.

It covers every entry with `confidence` and `sources` in docs/_data/*.yml and calculator/data/**/*.json.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

import pytest
import yaml
from content_helpers import DATA, DOCS, content_files, load, walk

ORDER = ["unverified", "unknown", "low", "low-medium", "medium", "medium-high", "high"]
CAP = {"primary": "high", "reference": "medium-high", "secondary": "medium"}
CHECKED = {"ok", "compromised", "document"}
INLINE_REFS = re.compile(r'm\.refs\(\{"sources": \[(?P<ids>[^\]]*)\], "confidence": "(?P<confidence>[a-z-]+)"\}\)')
AGENT_SITES = {"titc-levels", "ccats-levels", "hxccc-en", "crowncert-en"}


@cache
def sources() -> dict[str, dict[str, Any]]:
    return {s["id"]: s for s in load("sources")["sources"]}


@cache
def kinds() -> dict[str, str]:
    return {key: str(value["kind"]) for key, value in load("sources")["publisher_types"].items()}


def kind(source: dict[str, Any]) -> str:
    return kinds()[source["publisher"]]


def allowed(ids: list[str]) -> str:
    """The highest confidence the legend allows for content resting on these sources."""
    if "inference" in ids:
        return "low"
    known = sources()
    cited = [known[i] for i in ids if i in known]
    if not cited:
        return "unknown"
    if any(kind(s) == "primary" and s["status"] in CHECKED for s in cited):
        return "high"
    origins = {s.get("origin") or s["id"] for s in cited if s["status"] in CHECKED}
    if len(origins) >= 2:
        return "medium-high"
    return max((CAP[kind(s)] for s in cited), key=ORDER.index)


def rated_entries(where: str) -> list[tuple[str, str, list[str]]]:
    """(where, confidence, sources) for every entry that states both: in the guide's content
    (docs/_data/*.yml and `m.refs({...})` calls in the pages) or in the calculator's data."""
    trees: list[tuple[str, Any]] = []
    found = []
    if where == "guide":
        trees = [
            (p.name, yaml.safe_load(p.read_text(encoding="utf-8"))) for p in content_files() if p.name != "sources.yml"
        ]
        for page in sorted(DOCS.glob("*.md")):
            for match in INLINE_REFS.finditer(page.read_text(encoding="utf-8")):
                ids = re.findall(r'"([a-z0-9-]+)"', match["ids"])
                found.append((f"{page.name}: m.refs", match["confidence"], ids))
    else:
        trees = [
            (str(p.relative_to(DATA)), json.loads(p.read_text(encoding="utf-8"))) for p in sorted(DATA.rglob("*.json"))
        ]
    for name, tree in trees:
        for path, node in walk(tree):
            if (
                isinstance(node, dict)
                and isinstance(node.get("confidence"), str)
                and isinstance(node.get("sources"), list)
            ):
                ids = [str(i) for i in node["sources"]]
                found.append(
                    (f"{name}{path}", node["confidence"], ["inference", *ids] if node.get("inference") else ids)
                )
    return found


def over_the_legend(entries: list[tuple[str, str, list[str]]]) -> list[str]:
    return [
        f"{where}: {confidence} > {allowed(ids)} allowed by {ids}"
        for where, confidence, ids in entries
        if ORDER.index(confidence) > ORDER.index(allowed(ids))
    ]


def test_the_rule_itself() -> None:
    """The rule gives what the legend says for known cases (so a broken rule cannot pass everything)."""
    assert allowed(["titc-levels"]) == "medium", "an agent site alone is at most medium"
    assert allowed(["lieju-points", "vendor-11467"]) == "medium", "two copies of one text are one source"
    assert allowed(["estc-rule"]) == "high", "a body's own published rule is a primary document"
    assert allowed(["certmark-order"]) == "high"
    assert allowed(["chinesestandard-gbt37652"]) == "medium-high"
    assert allowed(["titc-levels", "sgs-process"]) == "high"
    assert allowed(["titc-levels", "gaiasts-en"]) == "medium-high", "two secondary sources are not a primary one"
    assert allowed(["inference", "sgs-process"]) == "low", "an inference is low whatever it rests on"
    assert allowed(["iso999-clauses", "baiyewang-manual"]) == "medium", "unchecked pages do not make two sources"
    assert allowed([]) == "unknown"


def test_agent_sites_count_as_commercial() -> None:
    known = sources()
    assert {i: kind(known[i]) for i in AGENT_SITES} == dict.fromkeys(AGENT_SITES, "secondary")


@pytest.mark.parametrize("source", sorted(sources()), ids=str)
def test_a_source_is_rated_within_its_kind(source: str) -> None:
    s = sources()[source]
    assert ORDER.index(s["confidence"]) <= ORDER.index(CAP[kind(s)]), (
        f"{source}: {s['confidence']} is above what a {s['publisher']} source can carry ({CAP[kind(s)]})"
    )


def test_every_rated_entry_of_the_guide_stays_within_the_legend() -> None:
    entries = rated_entries("guide")
    assert len(entries) > 100, "the check must see the guide's rated entries"
    assert any(where.endswith("m.refs") for where, _, _ in entries), "the check must see the pages' inline ratings"
    assert over_the_legend(entries) == []


def test_every_rated_entry_of_the_calculator_data_stays_within_the_legend() -> None:
    entries = rated_entries("calculator")
    assert len(entries) > 20, "the check must see the calculator's rated entries"
    assert over_the_legend(entries) == []


def test_an_entry_that_calls_itself_an_inference_is_marked_as_one() -> None:
    marked = []
    for path in content_files():
        for where, node in walk(yaml.safe_load(path.read_text(encoding="utf-8"))):
            if isinstance(node, dict) and "confidence" in node:
                says = any(word in str(node) for word in ("这是推断", "An inference", "an inference"))
                if says and not node.get("inference"):
                    marked.append(f"{path.name}{where}")
    assert marked == []


def test_one_fact_one_rating() -> None:
    """Issue 28: the same fail rule was 中 on one page and 中高 on another."""
    ratings: dict[str, set[str]] = {}
    for path in content_files():
        for _, node in walk(yaml.safe_load(path.read_text(encoding="utf-8"))):
            if isinstance(node, dict) and isinstance(node.get("fact"), str):
                ratings.setdefault(node["fact"], set()).add(str(node.get("confidence")))
    assert "fail-rule" in ratings and len(ratings) >= 1
    assert {fact: rated for fact, rated in ratings.items() if len(rated) > 1} == {}
