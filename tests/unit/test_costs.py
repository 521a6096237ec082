"""Certification cost ranges by company size (calculator/costs.py), checked by hand."""

from __future__ import annotations

from typing import Any

from calculator.costs import cost_plan

LABEL = {"zh": "x", "en": "x"}


def costs() -> dict[str, Any]:
    return {
        "once": [{"min": 100, "max": 200, "label": LABEL, "sources": ["s"]}],
        "yearly": [{"min": 10, "max": 10, "label": LABEL, "sources": ["s"]}],
        "audit": {
            "day_rate": {"min": 1000, "max": 2000, "label": LABEL, "sources": ["s"]},
            "initial_days": {"min": 2, "max": 3, "label": LABEL, "sources": ["s"]},
            "surveillance_share": "1/2",
            "surveillance_sources": ["s"],
        },
        "travel": {"min": 50, "label": LABEL, "sources": ["s"]},
        "stated_total": {"min": 1, "max": 2},
        "sizes": [
            {"id": "big", "label": LABEL, "for_whom": LABEL, "sources": ["s"], "days": {"min": 16, "max": 16}},
        ],
    }


def test_a_size_is_priced_with_the_same_fees_and_assumption() -> None:
    (big,) = cost_plan(costs(), 3)["sizes"]
    # first audit: 16 days × 1,000–2,000 = 16,000–32,000
    assert big["initial_audit"] == {"min": "16,000", "max": "32,000"}
    # first year: 100–200 + 10 + 16,000–32,000
    assert big["first_year"] == {"min": "16,110", "max": "32,210"}
    # each later year: 10 + half the first audit (8,000–16,000); three years: first + 2 later
    assert big["cycle"] == {"min": "32,130", "max": "64,230"}
    assert big["days"] == {"min": "16", "max": "16"}


def test_without_sizes_there_are_none() -> None:
    data = costs()
    del data["sizes"]
    assert cost_plan(data, 3)["sizes"] == []
