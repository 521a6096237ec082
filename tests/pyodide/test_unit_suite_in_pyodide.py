"""The package's unit suite again, inside real Pyodide (CPython 3.14 on WebAssembly) under Node.js.

The browser runs a different interpreter from the build (3.13); this is where a
difference would show. The run uses what the site ships: the wheel with its bytecode and
the trimmed, precompiled standard library, whose fallback the calculator must never need.
"""

from __future__ import annotations

import re

from pyodide_helpers import ROOT, WHEELS, in_pyodide

from scripts.pyodide.bundle import CODE_WHEEL, STDLIB_WHEEL, _wheel_project, plan
from scripts.pyodide.test_wheels import NAMES, _names, pinned


def test_test_wheels_match_the_lock() -> None:
    wanted = pinned(_names(NAMES))
    for requirement in wanted:
        name, _, version = requirement.partition("==")
        stem = name.replace("-", "_").lower()
        assert any(p.name.lower().startswith(f"{stem}-{version}-") for p in WHEELS.glob("*.whl")), (
            f"{requirement} missing from {WHEELS}: run `make test` (it downloads them)"
        )


def test_unit_suite_passes_inside_pyodide_on_the_sites_standard_library() -> None:
    bundle = plan(ROOT)
    # calculator/workbooks.py and what it needs of the standard library, as the page adds them for
    # a workbook (openpyxl itself is among the test wheels).
    workbook = tuple(
        path
        for site, path in bundle.files.items()
        if site.endswith(".whl") and _wheel_project(path) in (CODE_WHEEL, STDLIB_WHEEL)
    )
    assert len(workbook) == 2
    # The command line's modules are in no site wheel; the CLI's tests install them from the build.
    assert bundle.command_line_wheel is not None
    output = in_pyodide(
        bundle,
        ROOT / "tests" / "pyodide" / "run_suite.py",
        "/work/tests",
        "-q",
        wheels=(*sorted(WHEELS.glob("*.whl")), *workbook, bundle.command_line_wheel),
        mounts={ROOT / "tests" / "unit": "/work/tests"},
    )
    assert "on emscripten" in output
    assert "calculator from /lib/python3.14/site-packages/calculator/__init__.py" in output
    summary = re.search(r"(\d+) passed", output)
    assert summary, output
    assert int(summary.group(1)) > 0, output
    assert " failed" not in output, output
    assert " error" not in output, output
