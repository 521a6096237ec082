"""What an assessment returns: the exact result and everything needed to explain it.

Scores stay exact (`Fraction`). `to_dict` writes every value exactly (calculator.formats) and,
under "display", the texts people read: two decimals, scores rounded down and distances rounded
up, so a shown score never reaches a line the exact one missed.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from calculator.errors import Message
from calculator.formats import document
from calculator.levels import Level
from calculator.numbers import exact_text, format_distance, format_number
from calculator.words import points, word


@dataclass(frozen=True)
class PartScore:
    """One scored part: what it could earn and what it earned (None when not applicable)."""

    id: str
    name: Message
    possible: Fraction  # the points that apply: the unit's points, or fewer when indicators inside were ruled out
    earned: Fraction | None
    full: Fraction | None = None  # the unit's points when `possible` is a reduced applicable maximum

    @property
    def lost(self) -> Fraction:
        return Fraction(0) if self.earned is None else self.possible - self.earned

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name.to_dict(),
            "possible": exact_text(self.possible),
            "earned": exact_text(self.earned) if self.earned is not None else None,
            "lost": exact_text(self.lost),
            "applicable": self.earned is not None,
            "full_points": exact_text(self.full) if self.full is not None else None,
            "display": {
                "possible": format_number(self.possible),
                "earned": format_number(self.earned) if self.earned is not None else None,
                "lost": format_number(self.lost, up=True),
                "full_points": format_number(self.full) if self.full is not None else None,
            },
        }


class _Worded:
    """Something explained by a bilingual `message`, read as `.zh` and `.en`."""

    message: Message

    @property
    def zh(self) -> str:
        return self.message.zh

    @property
    def en(self) -> str:
        return self.message.en


@dataclass(frozen=True)
class Reason(_Worded):
    """One step of the decision: which rule (a stable code) and what it did, in both languages."""

    rule: str
    message: Message

    def to_dict(self) -> dict[str, str]:
        return {"rule": self.rule, **self.message.to_dict()}


@dataclass(frozen=True)
class Recovery(_Worded):
    """Where points can be won back: a part's lost points and what they are worth on the final score."""

    part: PartScore
    gain: Fraction  # on the 0–maximum scale, before special items and clamping
    to_floor: Fraction | None  # points still missing to reach the profile's per-item floor
    message: Message

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.part.id,
            "name": self.part.name.to_dict(),
            "lost": exact_text(self.part.lost),
            "gain": exact_text(self.gain),
            "below_floor": self.to_floor is not None,
            "to_floor": exact_text(self.to_floor) if self.to_floor is not None else None,
            "display": {
                "lost": format_distance(self.part.lost),
                "gain": format_distance(self.gain),
                "to_floor": format_distance(self.to_floor) if self.to_floor is not None else None,
            },
            **self.message.to_dict(),
        }


@dataclass(frozen=True)
class Assessment:
    """A result and everything needed to explain it."""

    score: Fraction  # final, after special items, within 0–maximum
    normalized: Fraction
    level: Level
    next_level: Level | None
    points_to_next: Fraction | None
    special_deductions: int
    special_bonus: bool
    parts: tuple[PartScore, ...]
    reasons: tuple[Reason, ...]
    recover: tuple[Recovery, ...]
    assumptions: tuple[Message, ...]
    profile_id: str | None = None
    decided_by: str = "score"  # "score", "special_deductions" or "per_item_floor"
    cause: Message | None = None  # why not qualified, when it is not the score
    special_items: bool = True  # whether the profile has special items (SB/T 10401 has none)

    @property
    def qualified(self) -> bool:
        return self.level.min_score is not None

    def summary(self) -> Message:
        """One sentence per language: the score, the level and the way up (words: data/words.json)."""
        score = format_number(self.score)
        cause = word("result.cause", cause=self.cause) if self.cause is not None else ""
        gap: Message | str = ""
        if self.next_level is not None and self.points_to_next is not None:
            shown = format_distance(self.points_to_next)
            gap = word("result.gap", next=self.next_level.name, gap_points=points(shown))
        return word("result.summary", score_points=points(score), level=self.level.name, cause=cause, gap=gap)

    def detail(self) -> Message | None:
        """How the final score came from the normalized one, when they differ."""
        if self.score == self.normalized:
            return None
        normalized = format_number(self.normalized)
        return word(
            "result.detail",
            normalized_points=points(normalized),
            score=format_number(self.score),
        )

    def to_dict(self) -> dict[str, Any]:
        """A versioned JSON document: exact values (decimal text, or "a/b" when it does not end),
        and under "display" the same numbers to two decimals (scores rounded down, distances up)."""
        detail = self.detail()
        return document(
            "grade",
            {
                "profile": self.profile_id,
                "score": exact_text(self.score),
                "normalized_score": exact_text(self.normalized),
                "level": self.level.code,
                "level_name": self.level.name.to_dict(),
                "stars": self.level.stars,
                "qualified": self.qualified,
                "decided_by": self.decided_by,
                "next_level": self.next_level.code if self.next_level else None,
                "next_level_name": self.next_level.name.to_dict() if self.next_level else None,
                "points_to_next": exact_text(self.points_to_next) if self.points_to_next is not None else None,
                "special_deductions": self.special_deductions,
                "special_bonus": self.special_bonus,
                "summary": self.summary().to_dict(),
                "detail": detail.to_dict() if detail else None,
                "reasons": [reason.to_dict() for reason in self.reasons],
                "breakdown": [part.to_dict() for part in self.parts],
                "recover": [item.to_dict() for item in self.recover],
                "assumptions": [item.to_dict() for item in self.assumptions],
                "special_items": self.special_items,
                "display": {
                    "score": format_number(self.score),
                    "normalized_score": format_number(self.normalized),
                    "points_to_next": format_distance(self.points_to_next) if self.points_to_next is not None else None,
                },
            },
        )
