"""The one error type for bad input: a bilingual message that names the field."""

from __future__ import annotations

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


class InputErrors(InputError):
    """Several bad fields at once, so a form can mark each of them."""

    def __init__(self, errors: list[InputError]) -> None:
        super().__init__(
            errors[0].field, Message("；".join(e.message.zh for e in errors), "; ".join(e.message.en for e in errors))
        )
        self.errors = errors
