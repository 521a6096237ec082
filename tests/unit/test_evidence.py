"""The evidence checklist as data: every second-level indicator of the gbt27922 profile has 2-5
items a company can answer yes or no, in both languages, and a maintainer's mistake in the file
is reported precisely."""

from __future__ import annotations

import copy
import json
from importlib import resources
from typing import Any

import pytest

from calculator import load_profile
from calculator.evidence import BASES, ITEM_ID, load_checklist, parse_checklist
from calculator.profiles import CONFIDENCE


def raw() -> dict[str, Any]:
    text = resources.files("calculator").joinpath("data/evidence.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def indicator_ids() -> list[str]:
    profile = load_profile("gbt27922").to_dict()
    return [indicator["id"] for group in profile["groups"] for indicator in group["indicators"]]


def test_every_indicator_of_the_profile_has_two_to_five_items() -> None:
    checklist = load_checklist()
    assert checklist.profile == "gbt27922"
    ids = indicator_ids()
    assert len(ids) == 15
    counts = {indicator: len(checklist.for_indicator(indicator)) for indicator in ids}
    assert all(2 <= n <= 5 for n in counts.values()), counts
    assert {item.indicator for item in checklist.items} == set(ids), "items for an indicator the profile lacks"


def test_items_are_bilingual_questions_with_a_basis_and_confidence() -> None:
    for item in load_checklist().items:
        assert ITEM_ID.match(item.id) and item.id.startswith(item.indicator + "."), item.id
        assert item.question.zh.endswith("？") and item.question.en.endswith("?"), item.id
        assert item.evidence.zh.strip() and item.evidence.en.strip(), item.id
        assert item.basis in BASES, item.id
        assert item.confidence in CONFIDENCE, item.id
        assert item.sources, item.id


def test_ids_are_unique_and_looked_up_by_id() -> None:
    checklist = load_checklist()
    ids = [item.id for item in checklist.items]
    assert len(ids) == len(set(ids))
    first = checklist.items[0]
    assert checklist.item(first.id) == first
    assert checklist.item("organisation.no_such_item") is None


def test_placeholders_are_gone() -> None:
    assert not [item.id for item in load_checklist().items if "placeholder" in item.id or "待补充" in item.question.zh]


def broken(change: str) -> dict[str, Any]:
    data = copy.deepcopy(raw())
    entry = data["indicators"]["organisation"][0]
    if change == "prefix":
        entry["id"] = "staffing.after_sales_department"
    elif change == "duplicate":
        data["indicators"]["organisation"].append(copy.deepcopy(entry))
    elif change == "basis":
        entry["basis"] = "hearsay"
    elif change == "sources":
        entry["sources"] = []
    elif change == "english":
        entry["question"] = {"zh": entry["question"]["zh"]}
    elif change == "empty":
        entry["evidence"] = {"zh": " ", "en": "x"}
    elif change == "confidence":
        entry["confidence"] = "certain"
    elif change == "no_items":
        data["indicators"]["organisation"] = []
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("prefix", "must be 'organisation.<name>'"),
        ("duplicate", "appears twice"),
        ("basis", "basis must be one of"),
        ("sources", "needs a list of source ids"),
        ("english", "needs zh and en text"),
        ("empty", "must not be empty"),
        ("confidence", "confidence must be one of"),
        ("no_items", "needs a list of items"),
    ],
)
def test_a_broken_file_names_the_fault(change: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_checklist(broken(change))


def test_the_unchanged_file_parses_to_the_loaded_checklist() -> None:
    assert parse_checklist(raw()) == load_checklist()


# The items as first published (2026-12). Shared readiness links store answers by position within
# each indicator, so these must stay, in this order, at the start of each indicator's list.
PUBLISHED_ITEMS = {
    "organisation": ["after_sales_department", "outlet_coverage", "outlet_management"],
    "staffing": ["qualified_staff", "service_managers", "staff_on_payroll"],
    "resources": ["dedicated_funds", "training_programme", "facilities_and_parts", "staff_incentives"],
    "rules": ["service_manual", "legal_requirements"],
    "supervision": ["supervisory_function", "review_records"],
    "improvement": ["corrective_actions", "goal_review", "product_service_changes"],
    "service_culture": ["published_commitment", "philosophy_and_goals", "culture_training"],
    "product_information": ["user_documentation", "service_terms_disclosed"],
    "technical_support": ["support_channels", "installation_training"],
    "delivery": ["delivery_procedure", "installation_records"],
    "repair": ["repair_records", "parts_and_prices", "repair_tools"],
    "quality_guarantee": ["warranty_policy", "returns_records"],
    "take_back": ["take_back_arrangement", "take_back_informed"],
    "customer_relations": ["customer_register", "satisfaction_survey"],
    "complaints": ["complaint_channels", "complaint_log", "complaint_analysis"],
}


def test_published_items_keep_their_place_so_old_links_still_mean_the_same_answers() -> None:
    checklist = load_checklist()
    for indicator, names in PUBLISHED_ITEMS.items():
        now = [item.id.split(".", 1)[1] for item in checklist.for_indicator(indicator)]
        assert now[: len(names)] == names, (
            f"{indicator}: published items were removed, renamed or reordered; add new ones at the end"
        )
