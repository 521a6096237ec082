"""The workbook wheels the site serves are enough: openpyxl, as the calculator uses it, imports no
module from the standard library's rest archive (which would cost the first workbook 1.8 MB)."""

from __future__ import annotations

import json
import re

from pyodide_helpers import ROOT, in_pyodide

from scripts.pyodide.bundle import ON_DEMAND, _wheel_project, plan


def test_openpyxl_needs_nothing_from_the_rest_archive_beside_the_workbook_wheels() -> None:
    bundle = plan(ROOT)
    wheels = tuple(
        path for site, path in bundle.files.items() if site.endswith(".whl") and _wheel_project(path) in ON_DEMAND
    )
    assert len(wheels) == len(ON_DEMAND)
    output = in_pyodide(bundle, ROOT / "tests" / "pyodide" / "workbook_probe.py", wheels=wheels)
    found = re.search(r"^FROM_REST (.*)$", output, re.MULTILINE)
    assert found, output
    assert json.loads(found.group(1)) == [], "add these to WORKBOOK_STDLIB in scripts/pyodide/bundle.py"
