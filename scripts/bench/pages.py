"""The pages the site benchmark compares ours against, assembled from the same npm files.

- `baseline`: the stock npm Pyodide files of our pinned version, unchanged, loaded on the
  main thread with `loadPyodide()` defaults, then our wheel with `loadPackage`.
- `pyscript`: PyScript from npm (`@pyscript/core`, self-hosted, offline) running the same
  wheel (put on `sys.path`, as PyScript's `packages` would need micropip from a CDN).

Both expose the calculator page's DOM contract: `[data-calculator][data-state]`,
`input[name=score]`, `[data-result][data-level]`, and read `?score=` from the URL.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from scripts.pyodide.bundle import RUNTIME_FILES, STDLIB, build_wheel

ROOT = Path(__file__).resolve().parents[2]
STOCK = ROOT / "node_modules" / "pyodide"
BENCH_NODE = ROOT / ".cache" / "bench-node"
PYSCRIPT = BENCH_NODE / "node_modules" / "@pyscript" / "core" / "dist"

MARKUP = """<div data-calculator data-state="loading">
<label for="score">Score</label> <input id="score" name="score" inputmode="decimal">
<div data-result data-level="" data-score=""></div>
</div>"""

BASELINE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Baseline: stock Pyodide on the main thread</title></head>
<body>
{MARKUP}
<script type="module">
import {{ loadPyodide }} from "./pyodide/pyodide.mjs";
const root = document.querySelector("[data-calculator]");
const field = document.querySelector("input[name=score]");
const result = document.querySelector("[data-result]");
const pyodide = await loadPyodide();
await pyodide.loadPackage(new URL("./WHEEL", location.href).href);
const handle = pyodide.pyimport("calculator.browser").handle;
root.dataset.state = "ready";
const run = () => {{
  const answer = JSON.parse(handle(JSON.stringify({{ action: "grade", input: {{ score: field.value }} }})));
  result.dataset.level = answer.ok ? answer.result.level : "";
}};
const score = new URLSearchParams(location.search).get("score");
if (score) {{ field.value = score; run(); }}
field.addEventListener("input", run);
</script>
</body></html>
"""

PYSCRIPT_PAGE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>PyScript, self-hosted</title>
<link rel="stylesheet" href="./pyscript/core.css">
<script type="module" src="./pyscript/core.js"></script>
</head>
<body>
{MARKUP}
<script type="py" config='{{"interpreter": "../pyodide/pyodide.mjs", "files": {{"./WHEEL": "./calculator.whl"}}}}'>
import json
import sys

sys.path.insert(0, "./calculator.whl")
from calculator.browser import handle
from pyodide.ffi import create_proxy
from pyscript import document, window

root = document.querySelector("[data-calculator]")
field = document.querySelector("input[name=score]")
result = document.querySelector("[data-result]")


def run(event=None):
    answer = json.loads(handle(json.dumps({{"action": "grade", "input": {{"score": field.value}}}})))
    result.dataset.level = answer["result"]["level"] if answer["ok"] else ""


root.dataset.state = "ready"
score = window.URLSearchParams.new(window.location.search).get("score")
if score:
    field.value = score
    run()
field.addEventListener("input", create_proxy(run))
</script>
</body></html>
"""


def _stock_runtime(target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for name in (*RUNTIME_FILES, STDLIB, "pyodide-lock.json"):
        shutil.copyfile(STOCK / name, target / name)


def assemble(out: Path) -> dict[str, Path]:
    """Write the baseline and PyScript pages under `out`; returns page name → folder to serve."""
    wheel = build_wheel(ROOT, ROOT / ".cache" / "bundle")
    baseline = out / "baseline"
    _stock_runtime(baseline / "pyodide")
    shutil.copyfile(wheel, baseline / wheel.name)
    (baseline / "index.html").write_text(BASELINE.replace("WHEEL", wheel.name), encoding="utf-8")
    pages = {"baseline": baseline}
    if PYSCRIPT.is_dir():
        pyscript = out / "pyscript"
        _stock_runtime(pyscript / "pyodide")
        shutil.copytree(PYSCRIPT, pyscript / "app" / "pyscript", ignore=shutil.ignore_patterns("*.map"))
        shutil.copyfile(wheel, pyscript / "app" / wheel.name)
        (pyscript / "app" / "index.html").write_text(PYSCRIPT_PAGE.replace("WHEEL", wheel.name), encoding="utf-8")
        pages["pyscript"] = pyscript
    return pages
