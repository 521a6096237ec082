"""Inside Pyodide (run by test_workbook_stdlib.py): read and write workbooks as the calculator does,
then print the modules that came from the standard library's rest archive (there should be none:
the site's workbook wheels carry what openpyxl needs beyond the trimmed library)."""

import io
import json
import sys

import openpyxl

from calculator import workbooks
from calculator.batch import run_batch
from calculator.profiles import load_profile
from calculator.readiness import assess_document

book = openpyxl.Workbook()
sheet = book.active
sheet.append(["标题"])
sheet.merge_cells("A1:B1")
sheet.append(["id", "total"])
sheet.append(["a", 90])
out = io.BytesIO()
book.save(out)
result = run_batch(out.getvalue(), load_profile())
assert result.rows, result.errors
workbooks.batch_workbook(result, load_profile(), "2026-12-05")
workbooks.readiness_workbook(assess_document({"answers": {}}), "2026-12-05")
rest = sorted(
    name for name, module in list(sys.modules.items()) if "stdlib_rest" in (getattr(module, "__file__", None) or "")
)
print("FROM_REST " + json.dumps(rest))
