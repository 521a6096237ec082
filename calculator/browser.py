"""The one entry point the browser worker calls: JSON request in, JSON answer out.

The worker moves text between the page and this function; every rule stays in Python.
Request: ``{"action": ..., "input": {...}}``. Answer: ``{"ok": true, "result": {...}}``
or ``{"ok": false, "errors": [{"field", "zh", "en"}, ...]}`` (one per bad field). It
never raises: an unexpected failure becomes an error answer too.

Actions: ``grade`` ({score, special_deductions, special_bonus}), ``assess`` (the
``assess FILE`` shape, plus optional ``profile_data``), ``batch`` ({csv, profile} or
{csv, profile_data}), ``profiles``; and for the page: ``form``, ``batch_form``,
``profile_form`` (see `calculator.webform`). Profiles are built-in names or data sent
along: this side never reads a file.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from calculator import webform
from calculator.batch import run_batch
from calculator.documents import assess_document, profile_by_name
from calculator.errors import InputError, InputErrors, Message
from calculator.grading import grade
from calculator.profiles import Profile, load_profile, parse_profile, parse_profile_text, profile_names
from calculator.textdata import too_deep

Handler = Callable[[dict[str, Any]], dict[str, Any]]


def _grade(data: dict[str, Any]) -> dict[str, Any]:
    return grade(data.get("score", ""), data.get("special_deductions", 0), data.get("special_bonus", False)).to_dict()


def _custom(data: dict[str, Any]) -> Profile | None:
    """A custom profile sent along as `profile_data` (JSON text or an object), if any."""
    custom = data.get("profile_data")
    if custom is None or custom == "":
        return None
    if isinstance(custom, str):
        return parse_profile_text(custom)
    return parse_profile(custom)


def _assess(data: dict[str, Any]) -> dict[str, Any]:
    document = {key: value for key, value in data.items() if key != "profile_data"}
    return assess_document(document, profile_by_name, _custom(data)).to_dict()


def _batch(data: dict[str, Any]) -> dict[str, Any]:
    text = data.get("csv")
    if not isinstance(text, str):
        raise InputError("batch_file", Message("请提供 CSV 文本。", "Please provide the CSV text."))
    profile = _custom(data) or profile_by_name(data.get("profile"))
    outcome = run_batch(text, profile)
    return {**outcome.to_dict(), "csv": outcome.to_csv()}


def _profiles(_: dict[str, Any]) -> dict[str, Any]:
    return {"profiles": [load_profile(name).to_dict() for name in profile_names()]}


ACTIONS: dict[str, Handler] = {
    "grade": _grade,
    "assess": _assess,
    "batch": _batch,
    "profiles": _profiles,
    "form": webform.evaluate,
    "batch_form": webform.batch,
    "profile_form": webform.profile_fields,
}


def _failure(error: InputError) -> dict[str, Any]:
    errors = error.errors if isinstance(error, InputErrors) else [error]
    return {"ok": False, "errors": [item.to_dict() for item in errors]}


MALFORMED = Message("请求格式不正确。", "The request is malformed.")


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


def handle(request: str) -> str:
    """Answer one request from the page; bad input becomes field errors, not exceptions."""
    try:
        action, data = _request(request)
        answer: dict[str, Any] = {"ok": True, "result": action(data)}
    except InputError as error:
        answer = _failure(error)
    except Exception as error:  # never leave the page hanging on an unexpected failure
        detail = f"{type(error).__name__}: {error}"
        answer = _failure(InputError(None, Message(f"计算出错：{detail}", f"The calculation failed: {detail}")))
    return json.dumps(answer, ensure_ascii=False)
