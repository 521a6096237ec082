"""The calculator's words live in calculator/data/words.json, so a wording change is a data edit
(issue 30: mode names and result sentences were 68 Message(...) literals in browser.py and result.py).

A Message written with literal text in code counts as a literal. browser.py and result.py have
none; every other module may not have more than it has today (the counts below only go down:
lower a count when you move a module's words to the data)."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from calculator.words import PLACEHOLDER, load_words, word

PACKAGE = Path(__file__).resolve().parents[2] / "calculator"
# Modules whose words still live in code, with how many literal Messages each holds today.
STILL_IN_CODE = {
    "assessment.py": 7,
    "batch.py": 6,
    "cli.py": 6,
    "csvfiles.py": 7,
    "documents.py": 4,
    "explain.py": 10,
    "formats.py": 2,
    "levels.py": 0,
    "numbers.py": 10,
    "parsing.py": 14,
    "profiles.py": 8,
    "readiness.py": 22,
    "readiness_cli.py": 2,
    "textdata.py": 5,
}


def literal_messages(source: str) -> int:
    """Calls of Message(...) with a string literal or an f-string among their arguments."""
    count = 0
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Message":
            texts = [
                arg
                for arg in node.args
                if isinstance(arg, ast.JoinedStr) or (isinstance(arg, ast.Constant) and isinstance(arg.value, str))
            ]
            count += bool(texts)
    return count


@pytest.mark.parametrize("path", sorted(PACKAGE.glob("*.py")), ids=lambda path: path.name)
def test_no_new_words_in_code(path: Path) -> None:
    found = literal_messages(path.read_text(encoding="utf-8"))
    allowed = STILL_IN_CODE.get(path.name, 0)
    assert found <= allowed, (
        f"{path.name} has {found} Message(...) literals (at most {allowed}): put the words in "
        "calculator/data/words.json and use calculator.words.word()"
    )
    assert found == allowed, (
        f"{path.name} has {found} literals now: lower STILL_IN_CODE to {found}, so it stays a ratchet"
    )


def test_the_check_sees_a_literal() -> None:
    assert literal_messages('Message("好", "good")') == 1
    assert literal_messages('Message(f"{n} 分", f"{n} points")') == 1
    assert literal_messages('Message(e["zh"], e["en"])') == 0
    assert literal_messages('word("form.enter_total")') == 0


def test_every_entry_is_used_and_every_used_key_exists() -> None:
    code = "\n".join(path.read_text(encoding="utf-8") for path in PACKAGE.glob("*.py"))
    used = set(re.findall(r'word\(\s*f?"([^"]+)"', code))
    keys = set(load_words())
    for key in used:
        if "{" in key:  # word(f"readiness.{key}") and the like: a family of entries
            prefix = key.split("{")[0]
            assert any(k.startswith(prefix) for k in keys), key
        else:
            assert key in keys, key
    families = {key.split("{")[0] for key in used if "{" in key}
    unused = sorted(k for k in keys if k not in used and not any(k.startswith(f) for f in families))
    assert unused == []


def test_both_languages_fill_the_same_values_and_unfilled_ones_stay() -> None:
    data = json.loads((PACKAGE / "data" / "words.json").read_text(encoding="utf-8"))
    for key, entry in data.items():
        if not key.startswith("$"):
            assert set(PLACEHOLDER.findall(entry["zh"])) == set(PLACEHOLDER.findall(entry["en"])), key
    shown = word("limits.batch_shown", shown=200)
    assert "{total}" in shown.zh and "200" in shown.en and "{shown}" not in shown.en
