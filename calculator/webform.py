"""What the calculator page shows: the form's values in, a view of the result out.

The page's glue sends the form as plain data (text as typed, checkboxes as booleans);
this module decides what the fields mean, runs the engine, and returns everything the
page writes: messages in the page's language, field errors, and the charts as SVG.
"""

from __future__ import annotations

from typing import Any

from calculator.assessment import Assessment, grade_total
from calculator.batch import run_batch
from calculator.charts import Bar, breakdown, score_on_scale
from calculator.documents import assess_document
from calculator.errors import InputError, InputErrors, Message
from calculator.levels import LevelScale, load_scale
from calculator.numbers import format_number
from calculator.profiles import DEFAULT_PROFILE, Profile, load_profile, parse_profile_text, profile_names

MODES = ("quick", "groups", "indicators", "batch")
NOT_APPLICABLE = Message("不适用", "Not applicable")
OPEN_PROFILE_FIRST = Message("请先打开一个评分表文件（JSON）。", "Open a scoring profile file (JSON) first.")


def _state(data: dict[str, Any]) -> dict[str, Any]:
    """The form's values: an object of field names, whatever the page sent."""
    state = data.get("state")
    if state is None:
        return {}
    if not isinstance(state, dict):
        raise InputError(None, Message("表单数据格式不正确。", "The form data is malformed."))
    return state


def _text(message: Message | None, lang: str) -> str:
    return "" if message is None else (message.en if lang == "en" else message.zh)


def _profile(state: dict[str, Any], profile_data: object, mode: str) -> Profile:
    if mode == "groups":
        return load_profile(DEFAULT_PROFILE)
    name = str(state.get("profile") or "")
    if name == "custom":
        return _custom_profile(profile_data)
    if name not in profile_names():
        raise InputError("profile", Message(f"没有名为“{name}”的评分表。", f"There is no profile “{name}”."))
    return load_profile(name)


def _custom_profile(text: object) -> Profile:
    """The opened profile file, checked; every problem with it is the file field's error."""
    if not isinstance(text, str) or not text.strip():
        raise InputError("profile_file", OPEN_PROFILE_FIRST)
    try:
        return parse_profile_text(text)
    except InputErrors as error:
        raise InputErrors([InputError("profile_file", each.message) for each in error.errors]) from None
    except InputError as error:
        raise InputError("profile_file", error.message) from None


def _values(profile: Profile, state: dict[str, Any]) -> tuple[dict[str, object], list[Message]]:
    """The scored parts' values; parts left empty are listed instead (not an error yet)."""
    values: dict[str, object] = {}
    missing: list[Message] = []
    for unit in profile.units:
        if state.get(f"{unit.id}_na") is True:
            values[unit.id] = "na"
        elif str(state.get(unit.id) or "").strip():
            values[unit.id] = state[unit.id]
        else:
            missing.append(unit.name)
    return values, missing


def view(result: Assessment, lang: str, scale: LevelScale | None = None) -> dict[str, Any]:
    """The result as the page shows it, charts included."""
    data = result.to_dict()
    charts = [score_on_scale(result.score, scale or load_scale(), lang).to_dict()]
    bars = [Bar(part.name, part.earned, part.possible) for part in result.parts if part.earned is not None]
    if bars:
        charts.append(breakdown(bars, lang).to_dict())
    return {**data, "charts": charts}


def evaluate(data: dict[str, Any]) -> dict[str, Any]:
    """One recomputation of the form: `{"state": {...}, "lang": "zh", "profile_data": str | None}`."""
    state = _state(data)
    lang = "en" if data.get("lang") == "en" else "zh"
    mode = str(state.get("mode") or "quick")
    if mode not in MODES or mode == "batch":
        raise InputError("mode", Message("未知的评估方式。", "Unknown mode."))
    special = {
        "special_deductions": state.get("special_deductions", ""),
        "special_bonus": state.get("special_bonus", False),
    }
    if mode == "quick":
        if not str(state.get("score") or "").strip():
            return {"result": None, "prompt": Message("请填写总分。", "Enter the total score.").to_dict()}
        result = grade_total(state["score"], special["special_deductions"], special["special_bonus"])
        return {"result": view(result, lang)}
    profile = _profile(state, data.get("profile_data"), mode)
    values, missing = _values(profile, state)
    if missing:
        names = Message("、".join(m.zh for m in missing), ", ".join(m.en for m in missing))
        return {
            "result": None,
            "prompt": Message(f"还需填写：{names.zh}。", f"Still to fill in: {names.en}.").to_dict(),
        }
    key = "groups" if profile.scored_by == "groups" else "indicators"
    result = assess_document({key: values, **special}, profile=profile)
    return {"result": view(result, lang, profile.scale)}


def profile_fields(data: dict[str, Any]) -> dict[str, Any]:
    """A custom profile file, checked, as the fields the page should show."""
    profile = _custom_profile(data.get("profile_data"))
    return {
        "profile": profile.to_dict(),
        "fields": [
            {
                "id": unit.id,
                "label": Message(
                    f"{unit.name.zh}（满分 {format_number(unit.points)}）",
                    f"{unit.name.en} (of {format_number(unit.points)})",
                ).to_dict(),
            }
            for unit in profile.units
        ],
        "not_applicable": NOT_APPLICABLE.to_dict(),
    }


def batch(data: dict[str, Any]) -> dict[str, Any]:
    """A CSV file from the page: `{"csv": text, "state": {...}}` (the groups profile unless a profile is chosen)."""
    state = _state(data)
    text = data.get("csv")
    if not isinstance(text, str):
        raise InputError("batch_file", Message("请先打开一个 CSV 文件。", "Open a CSV file first."))
    outcome = run_batch(text, load_profile(state.get("batch_profile") or DEFAULT_PROFILE))
    result = outcome.to_dict()
    result["errors"] = [{"zh": e["zh"], "en": e["en"]} for e in result["errors"]]
    result["csv"] = "\ufeff" + outcome.to_csv()  # a BOM so that spreadsheet programs read UTF-8
    return result
