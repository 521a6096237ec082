"""Prose that names the grade scale takes it from calculator/data/levels.json (issue 30: adding a
level also needed prose in faq.yml and process.yml that named the four levels by hand)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from content_helpers import walk

from calculator.levels import scale_from_data
from scripts.site import generate

ROOT = Path(__file__).resolve().parents[2]
LEVELS = json.loads((ROOT / "calculator" / "data" / "levels.json").read_text(encoding="utf-8"))
# How a hand-written text would name the levels, in each language (a short form counts too).
NAMES = {
    "zh": [re.sub("级$", "", level["zh"]) for level in LEVELS["levels"]],
    "en": [level["en"].lower() for level in LEVELS["levels"]],
}


def names_in(text: str) -> int:
    """How many of the scale's level names one text spells out, in whichever language names more."""
    lowered = text.lower()
    return max(sum(name in lowered for name in names) for names in NAMES.values())


def hand_written_scales() -> list[str]:
    found = []
    for path in sorted((ROOT / "docs" / "_data").glob("*.yml")):
        if path.name == "sources.yml":  # what a cited page says, not our prose
            continue
        for where, text in walk(yaml.safe_load(path.read_text(encoding="utf-8"))):
            if isinstance(text, str) and names_in(text) >= 3:
                found.append(f"{path.name}{where}: {text[:80]}")
    for path in sorted((ROOT / "docs").glob("*.md")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if names_in(line) >= 3:
                found.append(f"{path.name}:{number}: {line[:80]}")
    return found


def test_no_text_lists_the_levels_by_hand() -> None:
    assert hand_written_scales() == [], "name the scale with {{ level_names_zh }} / {{ levels_from_en }} …"


@pytest.mark.parametrize(
    "text",
    ["只有达标级和三星、四星、五星级。", "Four: compliant, three-star, four-star and five-star."],
)
def test_the_check_sees_a_hand_written_list(text: str) -> None:
    assert names_in(text) >= 3


def test_the_prose_names_the_shipped_scale() -> None:
    prose = generate.level_prose()
    assert prose["level_count_zh"] == "四" and prose["level_count_en"] == "four"
    assert prose["level_names_zh"] == "达标级、三星级、四星级和五星级"
    assert (
        prose["levels_from_en"]
        == "compliant (from 70), three-star (from 80), four-star (from 90) and five-star (from 95)"
    )
    assert prose["pass_mark"] == "70" and prose["pass_level_en"] == "compliant"


def test_a_level_added_to_the_data_changes_the_prose(monkeypatch: pytest.MonkeyPatch) -> None:
    data = json.loads(json.dumps(LEVELS))
    data["levels"].insert(0, {"code": "basic", "zh": "基础级", "en": "Basic", "min_score": 60, "stars": 0})
    monkeypatch.setattr(generate, "load_scale", lambda: scale_from_data(data))
    prose = generate.level_prose()
    assert prose["level_count_zh"] == "五" and prose["level_count_en"] == "five"
    assert prose["levels_from_zh"].startswith("基础级（60 分起）、达标级（70 分起）")
    assert (prose["pass_mark"], prose["pass_level_zh"]) == ("60", "基础级")
    filled = generate._PLACEHOLDERS.from_string("{{ level_count_en | capitalize }}: {{ level_names_en }}.")
    assert filled.render(generate.placeholders()) == "Five: basic, compliant, three-star, four-star and five-star."
