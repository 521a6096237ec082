"""The special-item rules and the calculator's stated assumptions, from `data/rules.json`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from importlib import resources

from calculator.errors import Message


@dataclass(frozen=True)
class Rules:
    deduction_points: Fraction  # taken off per special deduction item
    fail_at_deductions: int  # this many special deduction items fail the evaluation
    bonus_points: Fraction
    bonus_max: int
    assumptions: tuple[Message, ...]  # all of them, for the site's pages
    sources: tuple[str, ...]
    confidence: str
    scopes: tuple[tuple[str, ...] | None, ...] = ()  # per assumption: the profiles it concerns (None: all)
    about_special: tuple[bool, ...] = ()  # per assumption: whether it concerns the special items only

    def assumptions_for(self, profile_id: str | None, special_items: bool = True) -> tuple[Message, ...]:
        """The assumptions a result against this profile rests on (`None`: a total typed directly)."""
        scopes = self.scopes or (None,) * len(self.assumptions)
        special = self.about_special or (False,) * len(self.assumptions)
        return tuple(
            message
            for message, scope, about_special in zip(self.assumptions, scopes, special, strict=True)
            if (scope is None or profile_id in scope) and (special_items or not about_special)
        )


@cache
def load_rules() -> Rules:
    data = json.loads(resources.files("calculator").joinpath("data/rules.json").read_text(encoding="utf-8"))
    return Rules(
        deduction_points=Fraction(str(data["special_deduction"]["points_each"])),
        fail_at_deductions=int(data["special_deduction"]["fail_at_count"]),
        bonus_points=Fraction(str(data["special_bonus"]["points"])),
        bonus_max=int(data["special_bonus"]["max_count"]),
        assumptions=tuple(Message(item["zh"], item["en"]) for item in data["assumptions"]),
        sources=tuple(data["sources"]),
        confidence=str(data["confidence"]),
        scopes=tuple(tuple(item["profiles"]) if "profiles" in item else None for item in data["assumptions"]),
        about_special=tuple(bool(item.get("special_items", False)) for item in data["assumptions"]),
    )
