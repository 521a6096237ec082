"""The words the calculator shows a reader, from `data/words.json`: a wording change is a data edit.

    word("form.enter_total")                     -> Message("请填写总分。", "Enter the total score.")
    word("form.still_to_fill", names=...)        -> the entry with {names} filled in, in both languages

A value passed as a `Message` is filled in language by language; any other value as its text in
both. A `{name}` the caller does not fill stays as it is, for the page's script to fill
(`{answered}/{total}`). The entries are checked when first read: each has a non-empty Chinese
and English text, and both name the same values.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

from calculator.errors import Message

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


@cache
def load_words() -> dict[str, Message]:
    """Every entry of `data/words.json`; raises ValueError naming the entry that is malformed."""
    data = json.loads(resources.files("calculator").joinpath("data/words.json").read_text(encoding="utf-8"))
    words: dict[str, Message] = {}
    for key, entry in data.items():
        if key.startswith("$"):
            continue
        if not (isinstance(entry, dict) and all(isinstance(entry.get(lang), str) for lang in ("zh", "en"))):
            raise ValueError(f"calculator/data/words.json: {key}: needs zh and en texts")
        zh, en = entry["zh"], entry["en"]
        if not zh.strip() or not en.strip():
            raise ValueError(f"calculator/data/words.json: {key}: an empty text")
        if set(PLACEHOLDER.findall(zh)) != set(PLACEHOLDER.findall(en)):
            raise ValueError(f"calculator/data/words.json: {key}: zh and en must name the same {{values}}")
        words[key] = Message(zh, en)
    return words


Value = Message | str | int


def word(key: str, **values: Value) -> Message:
    """The entry `key` with the given values filled in; KeyError for an entry the data lacks."""
    message = load_words()[key]
    if not values:
        return message

    def filled(text: str, lang: str) -> str:
        def value(match: re.Match[str]) -> str:
            name = match[1]
            if name not in values:
                return match[0]
            given = values[name]
            return (given.zh if lang == "zh" else given.en) if isinstance(given, Message) else str(given)

        return PLACEHOLDER.sub(value, text)

    return Message(filled(message.zh, "zh"), filled(message.en, "en"))


def points(shown: str) -> Message:
    """A number of points in words: "1 point", "2 points", "2 分" (a shown number, as format_number writes it)."""
    return word(f"unit.{'point' if shown == '1' else 'points'}", n=shown)
