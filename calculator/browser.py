"""The one entry point the browser worker calls: JSON request in, JSON answer out.

The worker moves text between the page and this function; every rule stays in Python.
Request: ``{"action": "grade", "input": {...}}``. Answer: ``{"ok": true, "result": {...}}``
or ``{"ok": false, "errors": [{"field", "zh", "en"}]}``. It never raises.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from calculator.errors import InputError, Message
from calculator.grading import grade

Handler = Callable[[dict[str, Any]], dict[str, Any]]


def _grade(data: dict[str, Any]) -> dict[str, Any]:
    return grade(data.get("score", "")).to_dict()


ACTIONS: dict[str, Handler] = {"grade": _grade}


def _failure(error: InputError) -> dict[str, Any]:
    return {"ok": False, "errors": [error.to_dict()]}


def handle(request: str) -> str:
    """Answer one request from the page; bad input becomes field errors, not exceptions."""
    try:
        message = json.loads(request)
        action = ACTIONS.get(str(message.get("action"))) if isinstance(message, dict) else None
        if action is None:
            raise InputError(None, Message("未知的请求。", "Unknown request."))
        data = message.get("input") or {}
        if not isinstance(data, dict):
            raise InputError(None, Message("请求格式不正确。", "The request is malformed."))
        answer: dict[str, Any] = {"ok": True, "result": action(data)}
    except InputError as error:
        answer = _failure(error)
    except json.JSONDecodeError:
        answer = _failure(InputError(None, Message("请求格式不正确。", "The request is malformed.")))
    return json.dumps(answer, ensure_ascii=False)
