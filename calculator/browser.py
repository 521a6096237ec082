"""The browser's one entry point: the calculator form's layout, and JSON requests in, JSON answers out.

The page's worker moves text between the form and `handle`; every rule, field label,
mode name and message stays on this side. Request: ``{"action": ..., "input": {...}}``.
Answer: ``{"ok": true, "result": {...}}`` or ``{"ok": false, "errors": [{"field", "zh",
"en"}, ...]}`` (one per bad field). It never raises: an unexpected failure becomes an
error answer too.

Actions:

- ``form`` ``{state, lang, profile_key | profile_text}``: the form's values (text as typed,
  checkboxes as booleans) go straight to the rules; the answer is ``{"result": view}`` or,
  while parts are empty, ``{"result": null, "prompt": message}``.
- ``profile`` ``{profile_text, lang}``: an opened custom profile file, checked and kept by
  content; the answer names its ``key`` (send that instead of the text from then on) and
  the fields to show. A key this side no longer knows is an error of field ``profile_key``:
  send the text again.
- ``batch`` ``{csv, profile | profile_key | profile_text}``: a CSV of many assessments
  (built-in profile by name, the standard's by default), with the results as CSV too. The
  page sends the file's bytes beside the request (``handle``'s second argument), so Python
  detects the encoding (`calculator.csvfiles.decode_csv_bytes`); ``csv`` text works too.
- ``grade`` ``{score, special_deductions, special_bonus}``: a total score to a level.

`form_layout` gives the page's template the same field names and labels at build time.
Profiles are built-in names or text sent along: this side never reads a file.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from calculator.assessment import Assessment, assess, grade_total
from calculator.batch import run_batch
from calculator.charts import Bar, breakdown, score_on_scale
from calculator.errors import InputError, InputErrors, Message
from calculator.levels import LevelScale, load_scale
from calculator.numbers import format_number
from calculator.profiles import DEFAULT_PROFILE, Profile, Unit, load_profile, parse_profile_text, profile_names
from calculator.rules import load_rules
from calculator.textdata import too_deep

Handler = Callable[[dict[str, Any]], dict[str, Any]]
LANGS = ("zh", "en")


@dataclass(frozen=True)
class Mode:
    """One way of filling in the form: its field value and its label."""

    id: str
    label: Message


QUICK = Mode("quick", Message("快速：只填总分", "Quick: total score only"))
GROUPS = Mode("groups", Message("按三个一级指标", "By the three first-level indicators"))
INDICATORS = Mode("indicators", Message("按评分表逐项", "Item by item from a scoring table"))
BATCH = Mode(
    "batch", Message("批量（CSV 文件，每行一次独立估算）", "Batch (CSV file, one independent estimate per row)")
)
MODES = (QUICK, GROUPS, INDICATORS, BATCH)  # the first is the default
NA_SUFFIX = "_na"  # `ID_na` is the "not applicable" checkbox of part ID
CUSTOM = "custom"  # the profile choice that opens a file
NOT_APPLICABLE = Message("不适用", "Not applicable")
OPEN_PROFILE_FIRST = Message("请先打开一个评分表文件（JSON）。", "Open a scoring profile file (JSON) first.")
OPEN_PROFILE_AGAIN = Message("请重新打开评分表文件。", "Please open the scoring profile file again.")
CACHED_PROFILES = 8  # custom profiles kept by content; the page uses the one opened last
NO_SPECIAL_ITEMS = Message(
    "所选评分表没有特别扣分项和特别加分项（那是 GB/T 27922 的规则），因此这里不提供这两项。",
    "The chosen scoring table has no special deduction or bonus items (those are a GB/T 27922 rule), "
    "so they are not offered here.",
)
BEFORE_SPECIAL = Message("特别项之前的总分", "total before special items")
DEDUCTED = Message("特别扣分", "special deductions")
ADDED = Message("特别加分", "special bonus")
YES, NO = Message("是", "yes"), Message("否", "no")


def in_lang(message: Message | None, lang: str) -> str:
    """A message in the page's language."""
    return "" if message is None else (message.en if lang == "en" else message.zh)


def field_label(unit: Unit, lang: str) -> str:
    """The label of a part's field: its name and its points."""
    points = format_number(unit.points)
    return f"{unit.name.en} (max. {points})" if lang == "en" else f"{unit.name.zh}（满分 {points}）"


def _fields(profile: Profile, lang: str) -> list[dict[str, str]]:
    """A field per scored part; an indicator also gets a "not applicable" box (a first-level group never does)."""
    fields: list[dict[str, str]] = []
    for unit in profile.units:
        field = {"id": unit.id, "label": field_label(unit, lang)}
        if profile.scored_by != "groups":
            field |= {"na": unit.id + NA_SUFFIX, "na_label": in_lang(NOT_APPLICABLE, lang)}
        fields.append(field)
    return fields


def form_layout(lang: str) -> dict[str, Any]:
    """What the page's template writes, in one language: modes, every profile's fields, fixed words."""
    groups = load_profile(DEFAULT_PROFILE)
    builtin = [load_profile(name) for name in profile_names()]
    return {
        "modes": [{"id": mode.id, "label": in_lang(mode.label, lang), "default": mode is MODES[0]} for mode in MODES],
        "custom": CUSTOM,
        "not_applicable": in_lang(NOT_APPLICABLE, lang),
        "no_special_items": in_lang(NO_SPECIAL_ITEMS, lang),
        "groups": {"name": in_lang(groups.name, lang), "fields": _fields(groups, lang)},
        "profiles": [
            {
                "id": profile.id,
                "name": in_lang(profile.name, lang),
                "historical": profile.historical,
                "note": in_lang(profile.note, lang),
                "special_items": profile.special_items,
                "fields": _fields(profile, lang),
            }
            for profile in builtin
            if profile.scored_by == "indicators"
        ],
    }


# --- custom profiles, parsed once and kept by content ---------------------------------

_profiles: OrderedDict[str, Profile] = OrderedDict()


def _profile_key(content: str) -> str:
    return hashlib.sha256(content.encode("utf-8", "surrogatepass")).hexdigest()


def _parse_custom(content: str) -> tuple[str, Profile]:
    """The profile in an opened file, by its key; every problem with it is the file field's error."""
    key = _profile_key(content)
    if key in _profiles:
        _profiles.move_to_end(key)
        return key, _profiles[key]
    try:
        profile = parse_profile_text(content)
    except InputErrors as error:
        raise InputErrors([InputError("profile_file", each.message) for each in error.errors]) from None
    except InputError as error:
        raise InputError("profile_file", error.message) from None
    _profiles[key] = profile
    while len(_profiles) > CACHED_PROFILES:
        _profiles.popitem(last=False)
    return key, profile


def _custom(data: dict[str, Any]) -> Profile:
    """The custom profile a request names: by its text, or by the key an earlier answer gave."""
    sent = data.get("profile_text")
    if isinstance(sent, str) and sent.strip():
        return _parse_custom(sent)[1]
    key = data.get("profile_key")
    if isinstance(key, str) and key:
        if key not in _profiles:
            raise InputError("profile_key", OPEN_PROFILE_AGAIN)
        _profiles.move_to_end(key)
        return _profiles[key]
    raise InputError("profile_file", OPEN_PROFILE_FIRST)


def _wants_custom(data: dict[str, Any]) -> bool:
    return any(data.get(name) not in (None, "") for name in ("profile_key", "profile_text"))


# --- actions ---------------------------------------------------------------------------


def _lang(data: dict[str, Any]) -> str:
    return "en" if data.get("lang") == "en" else "zh"


def _state(data: dict[str, Any]) -> dict[str, Any]:
    """The form's values: an object of field names, whatever the page sent."""
    state = data.get("state")
    if state is None:
        return {}
    if not isinstance(state, dict):
        raise InputError(None, Message("表单数据格式不正确。", "The form data is malformed."))
    return state


def _values(profile: Profile, state: dict[str, Any]) -> tuple[dict[str, object], list[Message]]:
    """The scored parts' values; parts left empty are listed instead (not an error yet)."""
    values: dict[str, object] = {}
    missing: list[Message] = []
    for unit in profile.units:
        if state.get(unit.id + NA_SUFFIX) is True:
            values[unit.id] = "na"
        elif str(state.get(unit.id) or "").strip():
            values[unit.id] = state[unit.id]
        else:
            missing.append(unit.name)
    return values, missing


def view(result: Assessment, lang: str, scale: LevelScale | None = None) -> dict[str, Any]:
    """The result as the page shows it, charts included."""
    charts = [score_on_scale(result.score, scale or load_scale(), lang).to_dict()]
    bars = [Bar(part.name, part.earned, part.possible) for part in result.parts if part.earned is not None]
    if bars:
        charts.append(breakdown(bars, lang).to_dict())
    return {**result.to_dict(), "charts": charts}


CONFIDENCE_WORDS = {
    "medium-high": Message("中高", "medium-high"),
    "medium": Message("中等", "medium"),
    "low-medium": Message("中低", "low-to-medium"),
    "low": Message("低", "low"),
}


def arithmetic(result: Assessment, scale: LevelScale | None = None) -> Message | None:
    """The special items' arithmetic as a sum, such as "88 − 1 + 0 = 87" (none for a profile without them)."""
    if not result.special_items:
        return None
    rules = load_rules()
    minus = rules.deduction_points * result.special_deductions
    plus = rules.bonus_points if result.special_bonus else Fraction(0)
    raw = result.normalized - minus + plus
    total = (
        f"{format_number(result.normalized)} − {format_number(minus)} + {format_number(plus)} = {format_number(raw)}"
    )
    zh = f"计算：{total}（{BEFORE_SPECIAL.zh} − {DEDUCTED.zh} + {ADDED.zh}）"
    en = f"Calculation: {total} ({BEFORE_SPECIAL.en} − {DEDUCTED.en} + {ADDED.en})"
    if raw != result.score:
        top = format_number((scale or load_scale()).maximum)
        zh += f"，限定在 0–{top} 之间，计 {format_number(result.score)} 分"
        en += f", kept within 0–{top}: {format_number(result.score)}"
    return Message(zh + "。", en + ".")


def recover_note(profile: Profile) -> Message | None:
    """What the ranking of where points are won back rests on: the profile's points, and how sure they are."""
    word = CONFIDENCE_WORDS.get(profile.confidence or "")
    if word is None:
        return None
    points = "/".join(format_number(unit.points) for unit in profile.units)
    return Message(
        f"这个排序按“{profile.name.zh}”的分值 {points} 计算；这组分值只有{word.zh}可信度（见下方的假设），排序仅供参考。",
        f"This ranking uses the points {points} of “{profile.name.en}”, which have only {word.en} confidence "
        "(see the assumptions below); take it as a guide.",
    )


def _inputs(mode: Mode, profile: Profile | None, state: dict[str, Any], lang: str) -> list[str]:
    """The inputs as the record prints them: one "name: value" line each, values as typed."""
    colon = "：" if lang == "zh" else ": "
    lines = [f"{in_lang(Message('评估方式', 'Method'), lang)}{colon}{in_lang(mode.label, lang)}"]
    if profile is None:
        label = in_lang(BEFORE_SPECIAL, lang)
        lines.append(f"{label[:1].upper()}{label[1:]}{colon}{str(state.get('score', '')).strip()}")
    else:
        lines.append(f"{in_lang(Message('评分表', 'Scoring table'), lang)}{colon}{in_lang(profile.name, lang)}")
        for unit in profile.units:
            value = (
                in_lang(NOT_APPLICABLE, lang)
                if state.get(unit.id + NA_SUFFIX) is True
                else str(state.get(unit.id, "")).strip()
            )
            lines.append(f"{field_label(unit, lang)}{colon}{value}")
    if profile is None or profile.special_items:
        count = str(state.get("special_deductions") or "").strip() or "0"
        bonus = YES if state.get("special_bonus") is True else NO
        lines.append(f"{in_lang(Message('特别扣分项数量', 'Special deduction items'), lang)}{colon}{count}")
        lines.append(f"{in_lang(Message('特别加分项', 'Special bonus item'), lang)}{colon}{in_lang(bonus, lang)}")
    return lines


def _answer(
    result: Assessment, mode: Mode, profile: Profile | None, state: dict[str, Any], lang: str
) -> dict[str, Any]:
    """The form's answer: the view, its arithmetic and ranking note, and the inputs for the printed record."""
    scale = profile.scale if profile is not None else None
    shown = view(result, lang, scale)
    sum_text, note = arithmetic(result, scale), recover_note(profile) if profile is not None else None
    shown["arithmetic"] = sum_text.to_dict() if sum_text is not None else None
    shown["recover_note"] = note.to_dict() if note is not None and result.recover else None
    return {"result": shown, "inputs": _inputs(mode, profile, state, lang)}


def _form(data: dict[str, Any]) -> dict[str, Any]:
    state = _state(data)
    lang = _lang(data)
    mode = state.get("mode") or QUICK.id
    if mode not in (QUICK.id, GROUPS.id, INDICATORS.id):
        raise InputError("mode", Message("未知的评估方式。", "Unknown mode."))
    deductions, bonus = state.get("special_deductions", ""), state.get("special_bonus", False)
    if mode == QUICK.id:
        if not str(state.get("score") or "").strip():
            return {"result": None, "prompt": Message("请填写总分。", "Enter the total score.").to_dict()}
        return _answer(grade_total(state["score"], deductions, bonus), QUICK, None, state, lang)
    if mode == GROUPS.id:
        profile = load_profile(DEFAULT_PROFILE)
    elif state.get("profile") == CUSTOM:
        profile = _custom(data)
    else:
        profile = load_profile(state.get("profile"))
    values, missing = _values(profile, state)
    if missing:
        names = Message("、".join(m.zh for m in missing), ", ".join(m.en for m in missing))
        return {
            "result": None,
            "prompt": Message(f"还需填写：{names.zh}。", f"Still to fill in: {names.en}.").to_dict(),
        }
    used = GROUPS if mode == GROUPS.id else INDICATORS
    return _answer(assess(profile, values, deductions, bonus), used, profile, state, lang)


def _profile(data: dict[str, Any]) -> dict[str, Any]:
    sent = data.get("profile_text")
    if not isinstance(sent, str) or not sent.strip():
        raise InputError("profile_file", OPEN_PROFILE_FIRST)
    key, profile = _parse_custom(sent)
    return {"key": key, "profile": profile.to_dict(), "fields": _fields(profile, _lang(data))}


def _batch(data: dict[str, Any]) -> dict[str, Any]:
    csv_text = data.get("csv")  # the file's bytes (sent beside the request), or text
    if not isinstance(csv_text, str | bytes):
        raise InputError("batch_file", Message("请先打开一个 CSV 文件。", "Open a CSV file first."))
    profile = _custom(data) if _wants_custom(data) else load_profile(data.get("profile") or DEFAULT_PROFILE)
    outcome = run_batch(csv_text, profile)
    return {**outcome.to_dict(), "csv": "\ufeff" + outcome.to_csv()}  # a BOM: spreadsheets then read UTF-8


def _grade(data: dict[str, Any]) -> dict[str, Any]:
    return grade_total(
        data.get("score", ""), data.get("special_deductions", 0), data.get("special_bonus", False)
    ).to_dict()


ACTIONS: dict[str, Handler] = {"form": _form, "profile": _profile, "batch": _batch, "grade": _grade}
MALFORMED = Message("请求格式不正确。", "The request is malformed.")


def _failure(error: InputError) -> dict[str, Any]:
    errors = error.errors if isinstance(error, InputErrors) else [error]
    return {"ok": False, "errors": [item.to_dict() for item in errors]}


def _request(request: str) -> tuple[Handler, dict[str, Any]]:
    """The action and its input, from the request text."""
    if too_deep(request):
        raise InputError(None, Message("请求嵌套过深。", "The request is nested too deeply."))
    try:
        message = json.loads(request)
    except ValueError:  # not JSON, or an integer of thousands of digits
        raise InputError(None, MALFORMED) from None
    action = ACTIONS.get(str(message.get("action"))) if isinstance(message, dict) else None
    if action is None:
        raise InputError(None, Message("未知的请求。", "Unknown request."))
    data = message.get("input") or {}
    if not isinstance(data, dict):
        raise InputError(None, MALFORMED)
    return action, data


def _raw_bytes(sent: object) -> bytes:
    """Bytes the page sent beside the request: a JavaScript Uint8Array in Pyodide, or Python bytes."""
    if isinstance(sent, bytes | bytearray | memoryview):
        return bytes(sent)
    to_py = getattr(sent, "to_py", None)
    if callable(to_py):
        return bytes(to_py())
    raise InputError(None, MALFORMED)


def handle(request: str, data: object = None) -> str:
    """Answer one request from the page; bad input becomes field errors, not exceptions.

    `data`: a file's raw bytes sent beside the JSON request (a batch's CSV: Python decodes it,
    so UTF-8, UTF-16 with a byte-order mark and GB18030 are all read); it becomes the input's `csv`.
    """
    try:
        action, data_in = _request(request)
        if data is not None:
            data_in = {**data_in, "csv": _raw_bytes(data)}
        answer: dict[str, Any] = {"ok": True, "result": action(data_in)}
    except InputError as error:
        answer = _failure(error)
    except Exception as error:  # never leave the page hanging on an unexpected failure
        detail = f"{type(error).__name__}: {error}"
        answer = _failure(InputError(None, Message(f"计算出错：{detail}", f"The calculation failed: {detail}")))
    return json.dumps(answer, ensure_ascii=False)
