"""Figures and lists of the preparation guide, computed in Python at build time.

`cost_plan` (calculator.costs) adds up the fee ranges of `docs/_data/prepare_costs.yml` (vendor
figures) into a first-year, a later-year and a whole-cycle range, overall and by company size, so
no page adds money up in Jinja.
`evidence_groups` arranges the evidence checklist (`calculator/data/evidence.json`) under the
gbt27922 profile's groups and indicators, for the guide and the printable checklist.
"""

from __future__ import annotations

from typing import Any

from calculator import load_profile
from calculator.costs import cost_plan
from calculator.evidence import load_checklist

__all__ = ["cost_plan", "evidence_groups"]


def evidence_groups(profile_name: str = "gbt27922") -> list[dict[str, Any]]:
    """The checklist's items under the profile's groups and indicators, in the profile's order."""
    checklist = load_checklist()
    profile = load_profile(profile_name).to_dict()
    groups = []
    for group in profile["groups"]:
        indicators = []
        for indicator in group["indicators"]:
            items = [item.to_dict() for item in checklist.for_indicator(indicator["id"])]
            indicators.append({"id": indicator["id"], "name": indicator["name"], "items": items})
        groups.append({"id": group["id"], "name": group["name"], "indicators": indicators})
    return groups
