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
  A workbook's bytes (.xlsx) are read the same way (``sheet``: which one; the answer names the
  one read and all of them, ``sheet`` and ``sheets``); reading one needs openpyxl, which the
  worker loads first (only then).
- ``batch_workbook`` ``{csv, sheet, date, ...}``: the same batch's results as an .xlsx, as
  base64 under ``xlsx`` (needs openpyxl).
- ``readiness_workbook`` ``{answers | code, special_deductions, special_bonus, lang, date, guide}``:
  the readiness plan as an .xlsx, as base64 under ``xlsx`` (needs openpyxl).
- ``grade`` ``{score, special_deductions, special_bonus}``: a total score to a level.

`form_layout` gives the page's template the same field names and labels at build time.
Profiles are built-in names or text sent along: this side never reads a file.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from calculator.assessment import Assessment, assess, decide, grade_total
from calculator.charts import Bar, ReadinessRow, breakdown, readiness_chart, score_on_scale
from calculator.errors import InputError, InputErrors, Message
from calculator.formats import header
from calculator.levels import LevelScale, load_scale
from calculator.numbers import format_distance, format_nearest, format_number
from calculator.profiles import (
    DEFAULT_PROFILE,
    MAX_PROFILE_BYTES,
    Profile,
    Unit,
    load_profile,
    parse_profile_text,
    profile_names,
)
from calculator.rules import load_rules
from calculator.textdata import load_structured, too_deep
from calculator.words import Value, points, word

# The readiness check and the batch (with the csv module) are imported where they are used, not
# here: the first answer, a form's, needs neither, and their import is a large share of the
# package's on the cold path (README "What loads"). The page asks for the readiness check right
# after its first answer.
if TYPE_CHECKING:
    from calculator import readiness
    from calculator.batch import BatchResult

Handler = Callable[[dict[str, Any]], dict[str, Any]]
LANGS = ("zh", "en")


@dataclass(frozen=True)
class Mode:
    """One way of filling in the form: its field value and its label."""

    id: str
    label: Message


QUICK = Mode("quick", word("mode.quick"))
GROUPS = Mode("groups", word("mode.groups"))
INDICATORS = Mode("indicators", word("mode.indicators"))
BATCH = Mode("batch", word("mode.batch"))
READINESS = Mode("readiness", word("mode.readiness"))
MODES = (QUICK, GROUPS, INDICATORS, BATCH, READINESS)  # the first is the default
NA_SUFFIX = "_na"  # `ID_na` is the "not applicable" checkbox of part ID
CUSTOM = "custom"  # the profile choice that opens a file
NOT_APPLICABLE = word("form.not_applicable")
OPEN_PROFILE_FIRST = word("form.open_profile_first")
OPEN_PROFILE_AGAIN = word("form.open_profile_again")
CACHED_PROFILES = 8  # custom profiles kept by content; the page uses the one opened last
NO_SPECIAL_ITEMS = word("form.no_special_items")
BEFORE_SPECIAL = word("arithmetic.before_special")
DEDUCTED = word("arithmetic.deducted")
ADDED = word("arithmetic.added")
YES, NO = word("yes"), word("no")


SHOWN_ROWS = 200  # a batch's table shows this many rows (and errors); the download holds them all
STALL_SECONDS = 30  # start-up with no progress this long is a failure the page reports
ANSWER_SECONDS = 20  # a form or profile request unanswered this long: the engine has stopped
BATCH_ANSWER_SECONDS = 180  # the same for a batch (100,000 rows take about 16 s of Python)


def _megabytes(size: int) -> str:
    return f"{size // 1_000_000:,}"


def page_limits(lang: str) -> dict[str, Any]:
    """The limits the page checks before it sends anything, with the messages it shows for them.

    Python checks them again (and everything else); the page checks the sizes first so that an
    oversized file is never read into memory or sent to the worker at all.
    """
    from calculator.batch import MAX_BATCH_BYTES, MAX_BATCH_ROWS

    mb, rows, kb = _megabytes(MAX_BATCH_BYTES), f"{MAX_BATCH_ROWS:,}", f"{MAX_PROFILE_BYTES // 1000:,}"
    messages = {
        "batch_limits": word("limits.batch_limits", rows=rows, mb=mb, shown=SHOWN_ROWS),
        "batch_too_large": word("limits.batch_too_large", mb=mb, rows=rows),
        "batch_working": word("limits.batch_working"),
        "workbook_failed": word("limits.workbook_failed"),
        "workbook_loading": word("limits.workbook_loading"),
        "batch_shown": word("limits.batch_shown", shown=SHOWN_ROWS),  # {total}: the page's script
        "profile_too_large": word("limits.profile_too_large", kb=kb),
        "stalled": word("limits.stalled", seconds=STALL_SECONDS),
        "wasm_type": word("limits.wasm_type"),
        "stopped": word("limits.stopped"),
        "glue": word("limits.glue"),
        "no_answer": word("limits.no_answer"),
    }
    return {
        "batch_bytes": MAX_BATCH_BYTES,
        "batch_rows": MAX_BATCH_ROWS,
        "profile_bytes": MAX_PROFILE_BYTES,
        "shown_rows": SHOWN_ROWS,
        "stall_seconds": STALL_SECONDS,
        "answer_seconds": ANSWER_SECONDS,
        "batch_answer_seconds": BATCH_ANSWER_SECONDS,
        "messages": {name: in_lang(message, lang) for name, message in messages.items()},
    }


def in_lang(message: Message | None, lang: str) -> str:
    """A message in the page's language."""
    return "" if message is None else (message.en if lang == "en" else message.zh)


def field_label(unit: Unit, lang: str) -> str:
    """The label of a part's field: its name and its points."""
    return in_lang(word("form.field_label", name=unit.name, points=format_number(unit.points)), lang)


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
        "limits": page_limits(lang),
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
        "readiness": readiness_layout(lang),
        "formats": {kind: header(kind) for kind in ("self-assessment", "readiness-answers")},
    }


# --- the readiness check (calculator/readiness.py): its questions, words and result view ------

READINESS_FILE = "readiness_file"  # the import control's error field
READINESS_WORDS = {
    key: word(f"readiness.{key}")
    for key in (
        "legend",
        "intro",
        "progress",
        "evidence",
        "sources",
        "assumptions",
        "keep",
        "keep_hint",
        "clear_answers",
        "cleared",
        "export",
        "import",
        "imported",
        "print_plan",
        "plan_workbook",
        "plan",
        "gaps",
        "no_gaps",
        "unanswered",
        "disclaimer",
        "empty",
        "produce",
    )
}


def _capital(label: str) -> str:
    """A choice's label as a control shows it ("yes" → "Yes"; Chinese is unchanged)."""
    return label[:1].upper() + label[1:]


def readiness_layout(lang: str) -> dict[str, Any]:
    """The readiness questions and words for the page's template, in one language."""
    from calculator import readiness

    model = readiness.load_model()
    return {
        "id": READINESS.id,
        "item_count": len(model.items),
        "answers": [
            {"code": code, "label": _capital(in_lang(readiness.ANSWER_NAMES[code], lang))} for code in readiness.ANSWERS
        ],
        "groups": [
            {
                "id": group.id,
                "name": in_lang(group.name, lang),
                "points": format_number(group.points),
                "item_count": sum(len(indicator.items) for indicator in group.indicators),
                "indicators": [
                    {
                        "id": indicator.id,
                        "name": in_lang(indicator.name, lang),
                        "items": [
                            {
                                "id": item.id,
                                "question": in_lang(item.question, lang),
                                "evidence": in_lang(item.evidence, lang),
                                "sources": list(item.sources),
                            }
                            for item in indicator.items
                        ],
                    }
                    for indicator in group.indicators
                ],
            }
            for group in model.groups
        ],
        "assumptions": [in_lang(message, lang) for message in readiness.assumptions(model)],
        "words": {key: in_lang(message, lang) for key, message in READINESS_WORDS.items()},
        "import_field": READINESS_FILE,
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
        raise InputError(None, word("form.malformed"))
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


CONFIDENCE_WORDS = {level: word(f"confidence.{level}") for level in ("medium-high", "medium", "low-medium", "low")}


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
    parts: dict[str, Value] = {"sum": total, "before": BEFORE_SPECIAL, "deducted": DEDUCTED, "added": ADDED}
    if raw == result.score:
        return word("arithmetic.sum", **parts)
    top = format_number((scale or load_scale()).maximum)
    return word("arithmetic.clamped", **parts, top=top, score=format_number(result.score))


def recover_note(profile: Profile) -> Message | None:
    """What the ranking of where points are won back rests on: the profile's points, and how sure they are."""
    confidence = CONFIDENCE_WORDS.get(profile.confidence or "")
    if confidence is None:
        return None
    points = "/".join(format_number(unit.points) for unit in profile.units)
    return word("recover.note", profile=profile.name, points=points, confidence=confidence)


CLOSE_POINTS = 5  # a result this near the next level is "a few points" from it


def next_steps(
    qualified: bool,
    next_level: Message | None,
    points_to_next: Fraction | None,
    in_readiness: bool = False,
) -> list[dict[str, Any]]:
    """What to do after a result, worded for its gap: below the pass line, a few points from the
    next level, further off, or at the top. Each step names its target (`readiness`, `prepare`,
    `audit`, `keeping`, `checklist`: the page's template knows their addresses) and its words."""
    if not qualified:
        situation = "failing"
    elif next_level is None or points_to_next is None:
        situation = "top"
    else:
        situation = "close" if points_to_next <= CLOSE_POINTS else "far"
    steps: list[tuple[str, Message]] = []
    if not in_readiness:
        gap: dict[str, Value] = {}
        if situation in ("close", "far") and next_level is not None and points_to_next is not None:
            gap = {"next": next_level, "gap": points(format_distance(points_to_next))}
        steps.append(("readiness", word(f"next.readiness.{situation}", **gap)))
    guide = situation if situation in ("failing", "top") else "default"
    target = {"failing": "prepare", "top": "keeping"}.get(situation, "audit")
    steps.append((target, word(f"next.guide.{guide}")))
    steps.append(("checklist", word(f"next.checklist.{'top' if situation == 'top' else 'default'}")))
    return [{"target": target, "text": text.to_dict()} for target, text in steps]


def _inputs(mode: Mode, profile: Profile | None, state: dict[str, Any], lang: str) -> list[str]:
    """The inputs as the record prints them: one "name: value" line each, values as typed."""

    def line(name: Message | str, value: Message | str) -> str:
        return in_lang(word("record.line", name=name, value=value), lang)

    lines = [line(word("record.method"), mode.label)]
    if profile is None:
        label = in_lang(BEFORE_SPECIAL, lang)
        lines.append(line(f"{label[:1].upper()}{label[1:]}", str(state.get("score", "")).strip()))
    else:
        lines.append(line(word("record.profile"), profile.name))
        for unit in profile.units:
            value = NOT_APPLICABLE if state.get(unit.id + NA_SUFFIX) is True else str(state.get(unit.id, "")).strip()
            lines.append(line(field_label(unit, lang), value))
    if profile is None or profile.special_items:
        count = str(state.get("special_deductions") or "").strip() or "0"
        lines.append(line(word("record.special_deductions"), count))
        lines.append(line(word("record.special_bonus"), YES if state.get("special_bonus") is True else NO))
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
    following = result.next_level.name if result.next_level is not None else None
    shown["next_steps"] = next_steps(result.qualified, following, result.points_to_next)
    return {"result": shown, "inputs": _inputs(mode, profile, state, lang)}


def _form(data: dict[str, Any]) -> dict[str, Any]:
    state = _state(data)
    lang = _lang(data)
    mode = state.get("mode") or QUICK.id
    if mode not in (QUICK.id, GROUPS.id, INDICATORS.id):
        raise InputError("mode", word("form.unknown_mode"))
    deductions, bonus = state.get("special_deductions", ""), state.get("special_bonus", False)
    if mode == QUICK.id:
        if not str(state.get("score") or "").strip():
            return {"result": None, "prompt": word("form.enter_total").to_dict()}
        return _answer(grade_total(state["score"], deductions, bonus), QUICK, None, state, lang)
    if mode == GROUPS.id:
        profile = load_profile(DEFAULT_PROFILE)
    elif state.get("profile") == CUSTOM:
        profile = _custom(data)
    else:
        profile = load_profile(state.get("profile"))
    values, missing = _values(profile, state)
    if missing:
        separator = word("form.list_separator")
        names = Message(separator.zh.join(m.zh for m in missing), separator.en.join(m.en for m in missing))
        return {"result": None, "prompt": word("form.still_to_fill", names=names).to_dict()}
    used = GROUPS if mode == GROUPS.id else INDICATORS
    return _answer(assess(profile, values, deductions, bonus), used, profile, state, lang)


def _profile(data: dict[str, Any]) -> dict[str, Any]:
    sent = data.get("profile_text")
    if not isinstance(sent, str) or not sent.strip():
        raise InputError("profile_file", OPEN_PROFILE_FIRST)
    key, profile = _parse_custom(sent)
    return {"key": key, "profile": profile.to_dict(), "fields": _fields(profile, _lang(data))}


def _text(data: dict[str, Any], key: str, limit: int = 200) -> str:
    value = data.get(key)
    return value[:limit] if isinstance(value, str) else ""


def _batch_run(data: dict[str, Any]) -> tuple[BatchResult, Profile]:
    from calculator.batch import run_batch

    csv_text = data.get("csv")  # the file's bytes (sent beside the request), or text
    if not isinstance(csv_text, str | bytes):
        raise InputError("batch_file", word("batch.open_file_first"))
    profile = _custom(data) if _wants_custom(data) else load_profile(data.get("profile") or DEFAULT_PROFILE)
    return run_batch(csv_text, profile, _text(data, "sheet") or None), profile


def _batch(data: dict[str, Any]) -> dict[str, Any]:
    outcome, _ = _batch_run(data)
    answer = {**outcome.to_dict(), "csv": "\ufeff" + outcome.to_csv()}  # a BOM: spreadsheets then read UTF-8
    # The page's table lists the first rows only (the download holds them all): a smaller answer
    # to move and parse, and no table of 100,000 rows to build.
    answer["row_count"], answer["error_count"] = len(answer["rows"]), len(answer["errors"])
    answer["rows"], answer["errors"] = answer["rows"][:SHOWN_ROWS], answer["errors"][:SHOWN_ROWS]
    return answer


def _workbook_answer(content: bytes) -> dict[str, Any]:
    return {"xlsx": base64.b64encode(content).decode("ascii"), "bytes": len(content)}


def _batch_workbook(data: dict[str, Any]) -> dict[str, Any]:
    """The batch's results as an .xlsx (the page sends the file again: nothing is kept here)."""
    from calculator.batch import workbooks_module

    outcome, profile = _batch_run(data)
    content = workbooks_module().batch_workbook(outcome, profile, _text(data, "date", 40), outcome.sheet)
    return _workbook_answer(content)


def _readiness_workbook(data: dict[str, Any]) -> dict[str, Any]:
    """The readiness plan as an .xlsx: a row per gap, with owner and due date columns to fill in."""
    from calculator import readiness
    from calculator.batch import workbooks_module

    result = readiness.assess_document(_readiness_document(data))
    content = workbooks_module().readiness_workbook(
        result, _text(data, "date", 40), _text(data, "guide", 2000), _lang(data)
    )
    return _workbook_answer(content)


def _grade(data: dict[str, Any]) -> dict[str, Any]:
    return grade_total(
        data.get("score", ""), data.get("special_deductions", 0), data.get("special_bonus", False)
    ).to_dict()


def _readiness_document(data: dict[str, Any]) -> dict[str, Any]:
    """The `readiness FILE` shape out of a page request (which also names its language)."""
    from calculator import readiness

    return {key: value for key, value in data.items() if key in readiness.DOCUMENT_KEYS}


def about_points(gain: Fraction) -> Message:
    """A gain in whole points with the unit ("3 points"), or "less than 1 point": the estimate
    it adds to is itself several points wide, so decimals would claim a precision it lacks."""
    whole = format_nearest(gain, 0)
    return word("gap.under_one") if whole == "0" else points(whole)


def _gap_note(gap: readiness.Gap) -> Message:
    """What meeting a gap is worth, in brackets to follow its action."""
    from calculator import readiness

    kind = "partly" if gap.answer == readiness.PARTLY else "not_met" if gap.answer is not None else "unanswered"
    return word(f"gap.{kind}", gain=about_points(gap.gain))


def reaches(result: readiness.Readiness) -> Message | None:
    """How many of the plan's first items close the gap to the next level ("completing items 1–2
    reaches three stars"), from the exact gains (each adds exactly its gain, so they add up);
    None at the top, when a rule other than the score decides, or when all of them fall short."""
    from calculator import readiness

    point = result.verdicts[0]
    target = point.next_level
    if target is None or point.points_to_next is None:
        return None
    model = readiness.load_model()
    rules = load_rules()
    normalized = result.normalized.point
    for count, gap in enumerate(result.gaps, start=1):
        normalized += gap.gain
        verdict = decide(normalized, result.special_deductions, result.special_bonus, False, model.profile.scale, rules)
        if (
            verdict.level.min_score is not None
            and target.min_score is not None
            and verdict.level.min_score >= target.min_score
        ):
            items = (
                word("readiness.item_one", first=1) if count == 1 else word("readiness.item_range", first=1, last=count)
            )
            return word("readiness.reaches", items=items, level=target.name)
    return None


def _readiness_inputs(result: readiness.Readiness, lang: str) -> list[str]:
    """The readiness check's inputs as the record prints them: the method, the answers counted, the special items."""
    from calculator import readiness

    def line(name: Message | str, value: Message | str) -> str:
        return in_lang(word("record.line", name=name, value=value), lang)

    counts = {code: str(result.counts[code]) for code in readiness.ANSWERS}
    answered = sum(result.counts[code] for code in readiness.ANSWERS)
    total = answered + result.counts["unanswered"]
    summary = word("readiness.counts", answered=answered, total=total, **counts)
    return [
        line(word("record.method"), READINESS.label),
        line(word("readiness.answers_line"), summary),
        line(word("record.special_deductions"), str(result.special_deductions)),
        line(word("record.special_bonus"), YES if result.special_bonus else NO),
    ]


def readiness_view(result: readiness.Readiness, lang: str) -> dict[str, Any]:
    """A readiness result as the page shows it: the shared result's fields, charts, gaps with notes."""
    from calculator import readiness

    data = result.to_dict()
    rows: list[ReadinessRow] = []
    for group in result.groups:
        span = group.readiness
        rows.append(ReadinessRow(group.group.name, span.point, span.low, span.high, group=True))
        rows.extend(ReadinessRow(each.indicator.name, each.readiness) for each in group.indicators)
    model = readiness.load_model()
    charts = [
        score_on_scale(
            result.score.point, model.profile.scale, lang, span=(result.score.low, result.score.high)
        ).to_dict(),
        readiness_chart(rows, lang).to_dict(),
    ]
    questions = {item.id: item.question for item in model.items}
    given = {
        item.id: answer
        for group in result.groups
        for each in group.indicators
        for item, answer in zip(each.indicator.items, each.answers, strict=True)
        if answer is not None
    }
    return {
        **data,
        "detail": data["level_range"],
        "charts": charts,
        "gaps": [
            {**shown, "note": _gap_note(gap).to_dict()} for shown, gap in zip(data["gaps"], result.gaps, strict=True)
        ],
        "reaches": note.to_dict() if (note := reaches(result)) is not None else None,
        "next_steps": next_steps(
            data["qualified"],
            result.verdicts[0].next_level.name if result.verdicts[0].next_level else None,
            result.verdicts[0].points_to_next,
            in_readiness=True,
        ),
        "inputs": _readiness_inputs(result, lang),
        "unanswered_items": [
            {"id": item_id, "question": questions[item_id].to_dict()} for item_id in data["unanswered"]
        ],
        "document": {
            "answers": given,
            "special_deductions": result.special_deductions,
            "special_bonus": result.special_bonus,
        },
    }


def _readiness(data: dict[str, Any]) -> dict[str, Any]:
    """``{answers | code, special_deductions, special_bonus, lang}``: the readiness result, charts included."""
    from calculator import readiness

    result = readiness.assess_document(_readiness_document(data))
    return readiness_view(result, _lang(data))


def _readiness_file(data: dict[str, Any]) -> dict[str, Any]:
    """``{text}``: an opened answers file (the CLI's format), checked; its answers and special items."""
    from calculator import readiness

    what = word("readiness.answers_file")
    document = load_structured(str(data.get("text") or ""), READINESS_FILE, what)
    try:
        answers, deductions, bonus = readiness.read_document(readiness.load_model(), document)
    except InputErrors as error:
        raise InputErrors([InputError(READINESS_FILE, each.message) for each in error.errors]) from None
    except InputError as error:
        raise InputError(READINESS_FILE, error.message) from None
    given = {key: value for key, value in answers.items() if value is not None}
    return {"answers": given, "special_deductions": deductions, "special_bonus": bonus}


def _readiness_engine(action: str) -> Handler:
    def run(data: dict[str, Any]) -> dict[str, Any]:
        from calculator import readiness

        answer = readiness.handle({"action": action, "input": data})
        if not answer["ok"]:
            raise InputErrors([InputError(e["field"], Message(e["zh"], e["en"])) for e in answer["errors"]])
        result: dict[str, Any] = answer["result"]
        return result

    return run


ACTIONS: dict[str, Handler] = {
    "form": _form,
    "profile": _profile,
    "batch": _batch,
    "batch_workbook": _batch_workbook,
    "readiness_workbook": _readiness_workbook,
    "grade": _grade,
    "readiness": _readiness,
    "readiness_file": _readiness_file,
    "checklist": _readiness_engine("checklist"),
    "decode": _readiness_engine("decode"),
}
MALFORMED = word("request.malformed")


def _failure(error: InputError) -> dict[str, Any]:
    errors = error.errors if isinstance(error, InputErrors) else [error]
    return {"ok": False, "errors": [item.to_dict() for item in errors], **error.choices()}


def _request(request: str) -> tuple[Handler, dict[str, Any]]:
    """The action and its input, from the request text."""
    if too_deep(request):
        raise InputError(None, word("request.too_deep"))
    try:
        message = json.loads(request)
    except ValueError:  # not JSON, or an integer of thousands of digits
        raise InputError(None, MALFORMED) from None
    action = ACTIONS.get(str(message.get("action"))) if isinstance(message, dict) else None
    if action is None:
        raise InputError(None, word("request.unknown"))
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
        answer = _failure(InputError(None, word("request.failed", detail=detail)))
    return json.dumps(answer, ensure_ascii=False)
