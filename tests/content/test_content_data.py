"""The guide's structured content: sources exist, every entry is bilingual and sourced."""

from __future__ import annotations

import re
from typing import Any

import pytest
from content_helpers import CONTENT, content_files, guide_files, load, source_ids, used_source_ids, walk

from calculator.rules import load_rules
from scripts.site.data_check import ENTRY_LISTS  # the lists whose entries are facts, each with sources
from scripts.site.generate import fill, placeholders, rules_context

REQUIRED_SOURCES = {
    "sgs-process",
    "titc-levels",
    "ccats-levels",
    "lieju-points",
    "vendor-11467",
    "iso999-clauses",
    "swz007-clauses",
    "duofangda-scoring",
    "gaiasts-en",
    "hxccc-en",
    "crowncert-en",
    "cn-comm-sbt10401",
    "huluwa-sbt10401",
    "bzxz-sbt10401",
    "baiyewang-manual",
    "micalights-sbt10401",
}

STATUSES = {"ok", "compromised", "not_found", "no_address", "document"}


def entries(name: str, dotted: str) -> list[dict[str, Any]]:
    node: Any = load(name)
    for key in dotted.split("."):
        node = node[key]
    assert isinstance(node, list), f"{name}.{dotted} must be a list"
    assert node, f"{name}.{dotted} must not be empty"
    return node


def test_required_source_ids_are_defined() -> None:
    assert source_ids() >= REQUIRED_SOURCES, REQUIRED_SOURCES - source_ids()


def test_every_source_id_used_by_content_and_calculator_data_exists() -> None:
    known = source_ids()
    used = used_source_ids()
    assert any(where.startswith("levels.json") for where, _ in used), "the calculator's level data cites sources"
    missing = [(where, i) for where, i in used if i not in known]
    assert missing == []


def test_sources_are_complete_and_well_formed() -> None:
    data = load("sources")
    ids = [s["id"] for s in data["sources"]]
    assert len(ids) == len(set(ids)), "duplicate source ids"
    groups = {g["id"] for g in data["source_groups"]}
    for s in data["sources"]:
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", s["id"]), s["id"]
        assert s["publisher"] in data["publisher_types"], s["id"]
        assert s["confidence"] in data["confidence_levels"], s["id"]
        assert s["group"] in groups, s["id"]
        for field in ("title", "short", "supports"):
            for lang in ("zh", "en"):
                assert s[field][lang].strip(), (s["id"], field, lang)
        assert s["status"] in STATUSES, s["id"]
        assert re.fullmatch(r"20\d\d-\d\d", str(s["checked"])), f"{s['id']}: record when the stored copy was checked"
        url = s["url"]
        if s["status"] in ("ok", "compromised"):
            assert url and re.match(r"^https?://[^/\s]+/?", url), (
                f"{s['id']}: record the original address with its scheme"
            )
        if s["status"] in ("no_address", "document"):
            assert url is None, f"{s['id']}: {s['status']} has no address"
        for more in s.get("more_urls") or []:
            assert more["status"] in STATUSES, s["id"]


def test_every_source_is_cited_somewhere() -> None:
    used = {i for _, i in used_source_ids()}
    pages = " ".join(p.read_text(encoding="utf-8") for p in guide_files() if p.suffix != ".yml")
    used |= {i for i in source_ids() if f'"{i}"' in pages}
    unused = source_ids() - used
    assert unused == set(), f"sources listed but never cited: {sorted(unused)}"


@pytest.mark.parametrize("path", content_files(), ids=lambda p: p.name)
def test_every_text_is_bilingual(path: Any) -> None:
    import yaml

    tree = yaml.safe_load(path.read_text(encoding="utf-8"))
    for where, node in walk(tree):
        if isinstance(node, dict) and ({"zh", "en"} & node.keys()):
            assert {"zh", "en"} <= node.keys(), f"{path.name}{where} needs both zh and en"
            for lang in ("zh", "en"):
                assert isinstance(node[lang], str), f"{path.name}{where}.{lang} is not text"
                assert node[lang].strip(), f"{path.name}{where}.{lang} is empty"
            assert re.search(r"[\u4e00-\u9fff]", node["zh"]) or where.endswith("term") or node["zh"] == node["en"], (
                f"{path.name}{where}.zh has no Chinese"
            )


@pytest.mark.parametrize(("name", "dotted"), [(n, d) for n, ds in ENTRY_LISTS.items() for d in ds])
def test_every_structured_entry_names_its_sources(name: str, dotted: str) -> None:
    levels = load("sources")["confidence_levels"]
    for i, entry in enumerate(entries(name, dotted)):
        where = f"{name}.{dotted}[{i}]"
        assert "sources" in entry, f"{where} has no sources"
        if entry.get("confidence") != "unknown":
            assert entry["sources"], f"{where}: an empty source list is only allowed for unknown content"
        if "confidence" in entry:
            assert entry["confidence"] in levels, where
        texts = [v for _, v in walk(entry) if isinstance(v, dict) and "zh" in v]
        assert texts, f"{where} has no zh/en text"


def test_faq_has_at_least_twelve_distinct_questions() -> None:
    items = load("faq")["items"]
    assert len(items) >= 12
    assert len({i["id"] for i in items}) == len(items)
    assert len({i["q"]["zh"] for i in items}) == len(items)
    groups = {g["id"] for g in load("faq")["groups"]}
    assert {i["group"] for i in items} == groups, "every FAQ group has questions and every question a group"


def test_placeholders_name_known_values() -> None:
    from calculator import load_scale
    from scripts.site.generate import level_prose

    known = {level.code for level in load_scale().levels} | {"scale_max"} | set(rules_context()["numbers"])
    known |= set(level_prose())
    assert set(placeholders()) <= known
    import yaml

    for path in content_files():
        for where, node in walk(yaml.safe_load(path.read_text(encoding="utf-8"))):
            if not isinstance(node, str):
                continue
            assert "[[" not in node, f"{path.name}{where}: placeholders are written {{{{ name }}}}, as in pages"
            for name in re.findall(r"\{\{\s*([a-z_]+)\s*(?:\|[^}]*)?\}\}", node):
                assert name in placeholders(), f"{path.name}{where}: unknown placeholder {{{{ {name} }}}}"
            fill(node)  # no other template syntax in the data


def test_glossary_abbreviations_are_unique() -> None:
    abbrs = [t["abbr"] for t in load("glossary")["terms"] if t.get("abbr")]
    assert len(abbrs) == len(set(abbrs))
    ids = [t["id"] for t in load("glossary")["terms"]]
    assert len(ids) == len(set(ids))


def test_validity_and_rule_numbers_are_data() -> None:
    assert load("process")["validity"]["years"] == 3
    assert "numbers" not in load("rules")  # the rule numbers live once, in calculator/data/rules.json
    numbers = rules_context()["numbers"]
    assert numbers["fail_at_deductions"] == load_rules().fail_at_deductions
    assert numbers["deduction_points"] == load_rules().deduction_points
    assert (CONTENT / "sources.yml").exists()


def test_no_spam_host_is_named_or_cited() -> None:
    """Issue 28: a porn-domain name stood as a source title, cited for application documents."""
    from urllib.parse import urlsplit

    data = load("sources")
    spam = set(data["spam_hosts"])
    assert {"jizzjuzz.com", "jnzehua.com", "jxtzl.com.cn", "aywh2022.com"} <= spam
    for source in data["sources"]:
        addresses = [source.get("url")] + [more.get("url") for more in source.get("more_urls") or []]
        hosts = {urlsplit(url).hostname or "" for url in addresses if url}
        assert not {host.removeprefix("www.").removeprefix("m.") for host in hosts} & spam, source["id"]
        words = " ".join(str(source[field][lang]) for field in ("title", "short", "supports") for lang in ("zh", "en"))
        assert not [host for host in spam if host.split(".")[0] in words], source["id"]
    texts = " ".join(path.read_text(encoding="utf-8") for path in guide_files() if path.name != "sources.yml")
    assert not [host for host in spam if host.split(".")[0] in texts]
