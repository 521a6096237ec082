"""One source of truth: a page or template never decides a grade itself (issue 15, point 3).

Scores are compared with thresholds only by the `calculator` package; pages get the results through
functions the generator exposes (`worked_example`, `threshold`, `levels`). A Jinja comparison in a
page or a guide template is a re-derived rule, so this test fails on any.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from content_helpers import DOCS, TEMPLATES

JINJA_TAG = re.compile(r"\{%-?(.*?)-?%\}|\{\{-?(.*?)-?\}\}", re.DOTALL)
COMPARISON = re.compile(r"(>=|<=|(?<![-=])>(?!=)|<(?!=))")
FILES = sorted(DOCS.glob("*.md")) + sorted(TEMPLATES.glob("*.j2"))


def comparisons(text: str) -> list[str]:
    found = []
    for match in JINJA_TAG.finditer(text):
        code = match.group(1) or match.group(2) or ""
        code = re.sub(r"\"[^\"]*\"|'[^']*'", '""', code)  # text in quotes may hold any character
        if COMPARISON.search(code):
            found.append(match.group(0).strip())
    return found


def test_the_check_sees_a_comparison() -> None:
    assert comparisons("{%- for level in levels if score >= level.min %}{% endfor %}")
    assert comparisons("{{ 'x' if a < b }}")
    assert not comparisons('{{ m.cite(["a"]) }} {% if ex.failed %}<b>x</b>{% endif %}')


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_no_page_or_template_compares_values_in_jinja(path: Path) -> None:
    assert comparisons(path.read_text(encoding="utf-8")) == [], (
        f"{path.name}: compare scores in the calculator package and expose the result to templates"
    )


def test_the_worked_example_is_graded_by_the_calculator() -> None:
    from calculator import load_scale
    from scripts.site.generate import worked_example

    scale = load_scale()
    passing = worked_example(88, 77, 2)
    assert (passing["converted"], passing["final"], passing["level"]["code"]) == ("87.5", "85.5", "three_star")
    assert not passing["failed"]
    failing = worked_example(88, 77, 5)
    assert failing["failed"] and failing["level"]["code"] == scale.not_qualified.code
