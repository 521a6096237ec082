"""What a company should be able to show for each second-level indicator, from `data/evidence.json`.

One list serves two readers: the preparation guide prints it (what to prepare, with sources),
and the readiness check asks it as questions (有 / 部分 / 没有 / 不适用). Item ids are stable: they
are keys of saved answers, shared links and the CLI's JSON.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from calculator.errors import Message
from calculator.profiles import CONFIDENCE

ITEM_ID = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")  # "<indicator>.<item>"
BASES = ("gbt27922", "sbt10401", "body_document", "practice")  # who describes this evidence


@dataclass(frozen=True)
class EvidenceItem:
    id: str
    indicator: str  # the gbt27922 profile's second-level indicator id
    question: Message  # a yes/no question a company answers about itself
    evidence: Message  # one line: what counts as evidence
    basis: str  # one of BASES: the standard, its predecessor, a body's document list, common practice
    sources: tuple[str, ...]  # ids in docs/_data/sources.yml
    confidence: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "question": self.question.to_dict(),
            "evidence": self.evidence.to_dict(),
            "basis": self.basis,
            "sources": list(self.sources),
            "confidence": self.confidence,
        }


@dataclass(frozen=True)
class Checklist:
    profile: str  # the profile whose indicators the items belong to
    items: tuple[EvidenceItem, ...]  # in the order the questions are asked

    def for_indicator(self, indicator: str) -> tuple[EvidenceItem, ...]:
        return tuple(item for item in self.items if item.indicator == indicator)

    def item(self, item_id: str) -> EvidenceItem | None:
        return next((item for item in self.items if item.id == item_id), None)


def _message(data: Any, where: str) -> Message:
    if not (isinstance(data, dict) and isinstance(data.get("zh"), str) and isinstance(data.get("en"), str)):
        raise ValueError(f"{where}: needs zh and en text")
    if not (data["zh"].strip() and data["en"].strip()):
        raise ValueError(f"{where}: the zh and en text must not be empty")
    return Message(data["zh"], data["en"])


def _confidence(value: Any, where: str) -> str:
    if value not in CONFIDENCE:
        raise ValueError(f"evidence.json: {where}: confidence must be one of {', '.join(CONFIDENCE)}")
    return str(value)


def parse_checklist(data: Any) -> Checklist:
    """The checklist from its JSON data; raises ValueError (a maintainer's mistake, not a visitor's)."""
    if not isinstance(data, dict) or not isinstance(data.get("indicators"), dict):
        raise ValueError("evidence.json: needs a `profile` and an `indicators` object")
    items: list[EvidenceItem] = []
    seen: set[str] = set()
    for indicator, entries in data["indicators"].items():
        if not isinstance(entries, list) or not entries:
            raise ValueError(f"evidence.json: {indicator} needs a list of items")
        for entry in entries:
            item_id = entry.get("id") if isinstance(entry, dict) else None
            if not isinstance(item_id, str) or not ITEM_ID.match(item_id) or not item_id.startswith(indicator + "."):
                raise ValueError(f"evidence.json: {indicator}: item id {item_id!r} must be '{indicator}.<name>'")
            if item_id in seen:
                raise ValueError(f"evidence.json: item id {item_id} appears twice")
            seen.add(item_id)
            if entry.get("basis") not in BASES:
                raise ValueError(f"evidence.json: {item_id}: basis must be one of {', '.join(BASES)}")
            sources = entry.get("sources")
            if not isinstance(sources, list) or not sources or not all(isinstance(s, str) for s in sources):
                raise ValueError(f"evidence.json: {item_id}: needs a list of source ids")
            items.append(
                EvidenceItem(
                    id=item_id,
                    indicator=indicator,
                    question=_message(entry.get("question"), item_id),
                    evidence=_message(entry.get("evidence"), item_id),
                    basis=entry["basis"],
                    sources=tuple(sources),
                    confidence=_confidence(entry.get("confidence", "low"), item_id),
                )
            )
    return Checklist(profile=str(data.get("profile", "gbt27922")), items=tuple(items))


@cache
def load_checklist() -> Checklist:
    text = resources.files("calculator").joinpath("data/evidence.json").read_text(encoding="utf-8")
    return parse_checklist(json.loads(text))
