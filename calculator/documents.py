"""An assessment document: the JSON/YAML shape of `assess FILE` (the page's form skips it: calculator.browser).

    {"format": "gbt27922.assessment", "format_version": 2,  (optional: calculator.formats)
     "profile": "gbt27922",
     "groups": {"service_system": 36, "commodity_service": "30/31", "customer_service": 22},
     "special_deductions": 1, "special_bonus": false}

A first-level group cannot be "na" as a whole; when indicators inside it were ruled out, its
score is given out of the points that still apply ("30/31", or {"score": 30, "applicable": 31}).
Indicator-scored profiles take ``"indicators": {ID: "met" | "not_met" | "na" | number |
{"samples": n, "nonconforming": k}}`` instead of ``"groups"``.
A profile named inside a document is always a built-in one: only the CLI's `--profile`
option (or the page's opened file) brings a custom profile, passed as `profile`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from calculator.assessment import Assessment, assess
from calculator.errors import InputError, Message, shown
from calculator.formats import FORMAT_KEYS, check_header
from calculator.profiles import DEFAULT_PROFILE, Profile, load_profile

DOCUMENT_KEYS = {"profile", "groups", "indicators", "special_deductions", "special_bonus"}
FIELD = "file"


def profile_by_name(name: object) -> Profile:
    """Built-in profiles only, by name (the default when none is given)."""
    return load_profile(DEFAULT_PROFILE if name is None or name == "" else name)


def assess_document(
    data: Any, resolve: Callable[[object], Profile] = profile_by_name, profile: Profile | None = None
) -> Assessment:
    """Check the document's shape and assess it; `profile` (a custom one) wins over the document's name."""
    if not isinstance(data, dict):
        raise InputError(FIELD, Message("评估内容应为一个对象。", "The assessment must be an object."))
    wrong_format = check_header(data, "assessment", FIELD)
    if wrong_format is not None:
        raise wrong_format
    unknown = sorted(shown(key) for key in data if key not in DOCUMENT_KEYS and key not in FORMAT_KEYS)
    if unknown:
        raise InputError(
            FIELD,
            Message(
                f"评估内容有未知字段：{'、'.join(unknown)}（可用：{'、'.join(sorted(DOCUMENT_KEYS))}）。",
                f"The assessment has unknown keys: {', '.join(unknown)} (known: {', '.join(sorted(DOCUMENT_KEYS))}).",
            ),
        )
    chosen = profile or resolve(data.get("profile"))
    key = "groups" if chosen.scored_by == "groups" else "indicators"
    other = "indicators" if key == "groups" else "groups"
    if other in data:
        raise InputError(
            FIELD,
            Message(
                f"评分表“{chosen.name.zh}”按{'分组' if key == 'groups' else '指标'}计分，请使用 “{key}”，不要用 “{other}”。",
                f"The profile “{chosen.name.en}” is scored by {key}; use “{key}”, not “{other}”.",
            ),
        )
    values = data.get(key)
    if values is None:
        values = {}
    if not isinstance(values, dict):
        raise InputError(FIELD, Message(f"“{key}”应为一个对象。", f"“{key}” must be an object."))
    return assess(chosen, values, data.get("special_deductions", 0), data.get("special_bonus", False))
