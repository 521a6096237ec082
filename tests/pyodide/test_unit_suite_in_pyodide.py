"""The package's unit suite again, inside real Pyodide (CPython 3.14 on WebAssembly) under Node.js.

The browser runs a different interpreter from the build (3.13); this is where a
difference would show. The wheel under test is the one the site ships.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from scripts.browser_bundle import build_wheel
from scripts.pyodide_test_wheels import NAMES, _names, pinned

ROOT = Path(__file__).resolve().parents[2]
WHEELS = ROOT / ".cache" / "pyodide-test-wheels"


def test_test_wheels_match_the_lock() -> None:
    wanted = pinned(_names(NAMES))
    for requirement in wanted:
        name, _, version = requirement.partition("==")
        stem = name.replace("-", "_").lower()
        assert any(p.name.lower().startswith(f"{stem}-{version}-") for p in WHEELS.glob("*.whl")), (
            f"{requirement} missing from {WHEELS}: run `make test` (it downloads them)"
        )


def test_unit_suite_passes_inside_pyodide(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is required to run the suite inside Pyodide")
    wheel = build_wheel(ROOT, ROOT / ".cache" / "bundle")
    completed = subprocess.run(
        [
            node,
            str(ROOT / "tests" / "pyodide" / "run.mjs"),
            "--runtime",
            str(ROOT / "node_modules" / "pyodide"),
            "--wheels",
            str(WHEELS),
            "--package",
            str(wheel),
            "--tests",
            str(ROOT / "tests" / "unit"),
            "--",
            "-q",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output
    assert "on emscripten" in output
    summary = re.search(r"(\d+) passed", output)
    assert summary, output
    assert int(summary.group(1)) > 0, output
    assert " failed" not in output, output
    assert " error" not in output, output
