"""The one error type for bad input: a bilingual message that names the field."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Message:
    """A message in both languages of the site."""

    zh: str
    en: str

    def __str__(self) -> str:
        return f"{self.zh} / {self.en}"

    def to_dict(self) -> dict[str, str]:
        return {"zh": self.zh, "en": self.en}


class InputError(ValueError):
    """Bad input from a person: shown to them as it is, never as a traceback."""

    def __init__(self, field: str | None, message: Message) -> None:
        super().__init__(str(message))
        self.field = field
        self.message = message

    def to_dict(self) -> dict[str, str | None]:
        return {"field": self.field, "zh": self.message.zh, "en": self.message.en}

    def choices(self) -> dict[str, object]:
        """What a page's answer offers beside the message (none here; a workbook's sheets, say)."""
        return {}


class InputErrors(InputError):
    """Several bad fields at once, so a form can mark each of them."""

    def __init__(self, errors: list[InputError]) -> None:
        super().__init__(errors[0].field, join([e.message for e in errors]))
        self.errors = errors


def join(messages: list[Message]) -> Message:
    """Several messages as one, with exactly one punctuation mark between them and one at the end."""
    zh = "；".join(m.zh.rstrip("。；;. ") for m in messages)
    en = "; ".join(m.en.rstrip("。；;. ") for m in messages)
    return Message(zh + "。", en + ".")


SHOWN_LENGTH = 40  # characters of a person's text repeated inside a message


def shown_path(path: str, limit: int = 80) -> str:
    """A file path inside a message: a long one loses its beginning, never its file name."""
    if len(path) <= limit:
        return shown(path, limit)
    return "…" + shown(path[-limit:], limit)


def shown(value: object, limit: int = SHOWN_LENGTH) -> str:
    """A value as it may appear inside a message: short, on one line, with no hidden controls.

    The value is bounded before it is rendered (a YAML "billion laughs" structure or a
    5,000-digit integer never becomes a string here); control and format characters
    (bidi overrides, zero-width marks, tabs, line breaks) are shown as escapes, so a
    crafted value cannot reorder or hide the text around it.
    """
    if isinstance(value, bool) or value is None:
        text = str(value).lower() if value is not None else "null"
    elif isinstance(value, int):
        text = str(value) if -(10**30) < value < 10**30 else "(a very long number)"
    elif isinstance(value, str):
        text = value[: limit + 1]
    elif isinstance(value, (float, complex)):
        text = repr(value)
    elif isinstance(value, (list, tuple)):
        text = "[…]" if value else "[]"
    elif isinstance(value, dict):
        text = "{…}" if value else "{}"
    else:
        text = f"({type(value).__name__})"
    visible = "".join(_visible(char) for char in text)
    return visible if len(visible) <= limit else visible[:limit] + "…"


def _visible(char: str) -> str:
    if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
        return f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}"
    return char
