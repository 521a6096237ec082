"""The preparation guide's data: each of the guide's questions has sourced answers (or says plainly
that no source answers), the evidence checklist cites only defined sources, and the cost totals are
the sums of the data's ranges."""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

import pytest
from content_helpers import DATA, load, source_ids, walk

from scripts.site.prepare import cost_plan, evidence_groups

# The nine questions of the guide, and the lists of prepare.yml that answer them.
QUESTIONS = {
    "cost and time": ["costs", "time"],
    "choosing a body, spotting a mill": ["choose_body", "red_flags"],
    "verifying a certificate": ["verify"],
    "the audit": ["audit", "records"],
    "after-sales service manager": ["manager"],
    "scope planning": ["scope"],
    "keeping the certificate": ["keeping"],
    "marketing": ["marketing"],
}


def all_source_lists(tree: Any) -> list[tuple[str, list[str]]]:
    return [
        (f"{where}.{key}", node[key])
        for where, node in walk(tree)
        if isinstance(node, dict)
        for key in node
        if (key == "sources" or key.endswith("_sources")) and isinstance(node[key], list)
    ]


@pytest.mark.parametrize("question", QUESTIONS)
def test_every_question_has_sourced_answers(question: str) -> None:
    data = load("prepare")
    levels = load("sources")["confidence_levels"]
    for name in QUESTIONS[question]:
        entries = data[name]
        assert entries, f"{name} is empty"
        for i, entry in enumerate(entries):
            where = f"prepare.{name}[{i}]"
            assert entry["text"]["zh"].strip() and entry["text"]["en"].strip(), where
            assert entry["confidence"] in levels, where
            if entry.get("none"):
                assert entry["confidence"] == "unknown", f"{where}: a 'no source says' entry has unknown confidence"
            else:
                assert entry["sources"], f"{where} names no source"


def test_the_questions_no_source_answers_are_said_plainly() -> None:
    data = load("prepare")
    silent = [
        name for name in ("costs", "scope", "audit", "manager", "keeping") if not any(e.get("none") for e in data[name])
    ]
    assert silent == []


def test_every_source_id_of_the_guide_and_the_evidence_exists() -> None:
    known = source_ids()
    trees = [("prepare.yml", load("prepare")), ("prepare_costs.yml", load("prepare_costs"))]
    trees.append(("evidence.json", json.loads((DATA / "evidence.json").read_text(encoding="utf-8"))))
    missing = [
        (name, where, i) for name, tree in trees for where, ids in all_source_lists(tree) for i in ids if i not in known
    ]
    assert missing == []


def test_new_sources_are_appended_under_their_comment() -> None:
    text = (DATA.parents[1] / "docs" / "_data" / "sources.yml").read_text(encoding="utf-8")
    head, _, tail = text.partition("  # Preparation guide\n")
    assert tail, "the preparation guide's sources sit under their own comment"
    assert "- id: szldx-cost" in tail and "- id: szldx-cost" not in head


def test_a_compromised_host_is_cited_without_a_link() -> None:
    """The fee schedule's stored copy sits on a spam-injected host: recorded as compromised, so the
    sources page shows it as text (test_content_site checks that no page links such a host)."""
    entry = next(s for s in load("sources")["sources"] if s["id"] == "body-fee-schedule")
    assert entry["status"] == "compromised"
    assert entry["url"].startswith("http://www.lalapfe.cn/")


def test_evidence_groups_follow_the_profile_and_hold_every_item() -> None:
    groups = evidence_groups()
    assert [g["id"] for g in groups] == ["service_system", "commodity_service", "customer_service"]
    indicators = [ind for g in groups for ind in g["indicators"]]
    assert len(indicators) == 15
    assert all(ind["items"] for ind in indicators)
    listed = [item["id"] for ind in indicators for item in ind["items"]]
    data = json.loads((DATA / "evidence.json").read_text(encoding="utf-8"))
    assert sorted(listed) == sorted(e["id"] for entries in data["indicators"].values() for e in entries)


def money(text: str) -> Fraction:
    return Fraction(text.replace(",", ""))


def test_cost_totals_are_the_sums_of_the_ranges() -> None:
    costs = load("prepare_costs")
    years = load("process")["validity"]["years"]
    plan = cost_plan(costs, years)
    audit = costs["audit"]
    share = Fraction(audit["surveillance_share"])
    for end in ("min", "max"):
        once = sum(Fraction(f[end]) for f in costs["once"])
        yearly = sum(Fraction(f[end]) for f in costs["yearly"])
        first = Fraction(audit["day_rate"][end]) * Fraction(audit["initial_days"][end])
        later = yearly + first * share
        assert money(plan["first_year"][end]) == once + yearly + first
        assert money(plan["later_year"][end]) == later
        assert money(plan["cycle"][end]) == once + yearly + first + later * (years - 1)


def test_cost_plan_by_hand() -> None:
    costs: dict[str, Any] = {
        "once": [{"min": 100, "max": 200}],
        "yearly": [{"min": 10, "max": 10}],
        "audit": {
            "day_rate": {"min": 1000, "max": 2000},
            "initial_days": {"min": 2, "max": 3},
            "surveillance_share": "1/2",
            "surveillance_sources": ["x"],
        },
        "travel": {"min": 50, "sources": ["x"]},
        "stated_total": {"min": 1, "max": 2},
    }
    for key in ("day_rate", "initial_days"):
        costs["audit"][key] |= {"label": {"zh": "x", "en": "x"}, "sources": ["x"]}
    costs["once"][0] |= {"label": {"zh": "x", "en": "x"}, "sources": ["x"]}
    costs["yearly"][0] |= {"label": {"zh": "x", "en": "x"}, "sources": ["x"]}
    costs["travel"] |= {"label": {"zh": "x", "en": "x"}}
    plan = cost_plan(costs, 3)
    # first year: 100 + 10 + 2*1000 = 2,110 ... 200 + 10 + 3*2000 = 6,210
    assert plan["first_year"] == {"min": "2,110", "max": "6,210"}
    # later years: 10 + 1000 = 1,010 ... 10 + 3000 = 3,010; cycle: first + 2 later
    assert plan["later_year"] == {"min": "1,010", "max": "3,010"}
    assert plan["cycle"] == {"min": "4,130", "max": "12,230"}
    assert plan["travel_cycle_min"] == "150"
    with pytest.raises(ValueError, match="at least one year"):
        cost_plan(costs, 0)
