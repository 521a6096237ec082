"""The browser tests' polling predicates are functions: the pages' CSP forbids evaluating strings.

Playwright evaluates a bare expression such as "x === 1" with eval() while it polls, which the
site's Content-Security-Policy ('unsafe-eval' absent) refuses; the test then fails only when the
condition was not already true at the first check, that is, on a slow machine.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHECKED = (ROOT / "tests" / "e2e", ROOT / "scripts" / "bench")  # the browser tests and benchmarks
CALL = re.compile(r'wait_for_function\(\s*f?(?:"""(.*?)"""|"([^"]*)")', re.DOTALL)
FUNCTION = re.compile(r"^\s*(\(\s*[\w\s,]*\)|\w+)\s*=>")


def test_every_wait_for_function_predicate_is_a_function() -> None:
    bare = [
        f"{path.name}: {predicate}"
        for path in sorted(p for folder in CHECKED for p in folder.glob("*.py"))
        for triple, single in CALL.findall(path.read_text(encoding="utf-8"))
        if not FUNCTION.match(predicate := triple or single)
    ]
    assert bare == []


def test_module_level_predicates_of_the_benchmarks_are_functions() -> None:
    from scripts.bench.site import FIRST, READY

    assert FUNCTION.match(READY) and FUNCTION.match(FIRST)


def test_the_check_finds_a_bare_expression() -> None:
    assert CALL.findall('page.wait_for_function("window.ready === true")') == [("", "window.ready === true")]
    assert CALL.findall('page.wait_for_function("""() =>\n  1""")') == [("() =>\n  1", "")]
    assert not FUNCTION.match("window.ready === true")
    assert FUNCTION.match("() => window.ready") and FUNCTION.match("lang => lang")
