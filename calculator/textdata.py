"""Structured text from people: JSON always, YAML when PyYAML is importable.

The browser has no PyYAML, so there YAML gets a clear message saying that JSON works.
"""

from __future__ import annotations

import json
import re
from typing import Any

from calculator.errors import InputError, Message

MAX_DEPTH = 100  # real documents nest 5 deep; Pyodide's stack gives out (fatally) near 10,000
_STRINGS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")


def too_deep(text: str, limit: int = MAX_DEPTH) -> bool:
    """Whether JSON text nests deeper than `limit` (strings skipped): checked before parsing it."""
    brackets = _NOT_BRACKETS.sub("", _STRINGS.sub("", text))
    if len(brackets) <= limit:
        return False
    depth = 0
    for char in brackets:
        depth += 1 if char in "[{" else -1
        if depth > limit:
            return True
    return False


def load_structured(text: str, field: str, what: Message) -> Any:
    """JSON (or YAML) text as data; raises `InputError` naming `what` and the line of a JSON fault."""
    if too_deep(text):
        raise InputError(field, Message(f"{what.zh}嵌套过深。", f"{what.en} is nested too deeply."))
    try:
        return json.loads(text)
    except json.JSONDecodeError as json_error:
        line = json_error.lineno
    except RecursionError:  # absurdly deep nesting
        raise InputError(field, Message(f"{what.zh}嵌套过深。", f"{what.en} is nested too deeply.")) from None
    except ValueError:  # an integer of thousands of digits
        raise InputError(
            field, Message(f"{what.zh}里有位数过多的数字。", f"{what.en} has a number with too many digits.")
        ) from None
    try:
        import yaml
    except ImportError:
        raise InputError(
            field,
            Message(
                f"{what.zh}不是有效的 JSON（第 {line} 行）；YAML 需要安装 PyYAML，JSON 随时可用。",
                f"{what.en} is not valid JSON (line {line}); YAML needs PyYAML installed, JSON always works.",
            ),
        ) from None
    try:
        return yaml.safe_load(text)
    except (yaml.YAMLError, RecursionError, ValueError):  # ValueError: an integer of thousands of digits
        raise InputError(
            field,
            Message(
                f"{what.zh}既不是有效的 JSON（第 {line} 行有误），也不是有效的 YAML。",
                f"{what.en} is neither valid JSON (fault at line {line}) nor valid YAML.",
            ),
        ) from None
