"""Inside Pyodide (run by scripts/pyodide/in_pyodide.mjs): the shipped bytecode is the small kind.

The site's standard library and wheel carry no column positions and no docstrings of modules or
functions (scripts/pyodide/precompile_python.bytecode), yet classes keep theirs and a traceback
still names the line. Prints "bytecode ok" when every check holds.
"""

import fractions
import json
import sys
import traceback
import types
from collections.abc import Iterator

import calculator.browser
import calculator.levels


def codes(code: types.CodeType) -> Iterator[types.CodeType]:
    yield code
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            yield from codes(constant)


checked = 0
for name, module in list(sys.modules.items()):
    spec = getattr(module, "__spec__", None)
    origin = spec.origin if spec else None
    get_code = getattr(getattr(module, "__loader__", None), "get_code", None)
    if not origin or get_code is None or not origin.endswith((".py", ".pyc")):
        continue
    if not (origin.startswith("/lib/python314.zip/") or "/site-packages/calculator/" in origin):
        continue
    code = get_code(name)
    for each in codes(code):
        positions = list(each.co_positions())
        assert all(start is None and end is None for _, _, start, end in positions), f"{name}: column positions"
    checked += 1
assert checked > 100, checked

for module in (json, fractions, calculator.browser, calculator.levels):
    assert module.__doc__ is None, f"{module.__name__}: module docstring"
assert fractions.Fraction.limit_denominator.__doc__ is None, "function docstring"
assert fractions.Fraction.__doc__, "a class keeps its docstring"

try:
    json.loads("{")
except ValueError:
    frames = traceback.extract_tb(sys.exc_info()[2])
    assert frames[-1].lineno and frames[-1].filename.endswith(".py"), frames[-1]
else:
    raise AssertionError("json.loads accepted a broken document")

print("bytecode ok")
