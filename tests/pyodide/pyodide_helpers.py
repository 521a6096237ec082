"""Running Python inside the site's Pyodide set-up under Node.js, for the tests here."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from scripts.pyodide.bundle import Bundle

ROOT = Path(__file__).resolve().parents[2]
WHEELS = ROOT / ".cache" / "pyodide-test-wheels"


def in_pyodide(
    bundle: Bundle, program: Path, *args: str, wheels: tuple[Path, ...] = (), mounts: dict[Path, str] | None = None
) -> str:
    """Run `program` in the site's Pyodide set-up under Node; returns its output, failing on a non-zero exit."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is required to run Python inside Pyodide")
    rest = bundle.files[bundle.stdlib_rest_path]
    site_wheel = next(path for site, path in bundle.files.items() if site.endswith(".whl"))
    command = [
        node,
        str(ROOT / "scripts" / "pyodide" / "in_pyodide.mjs"),
        "--runtime",
        str(ROOT / "node_modules" / "pyodide"),
    ]
    command += ["--stdlib", str(bundle.files[bundle.stdlib_path])]
    command += ["--env", f"GC_STDLIB_REST=/stdlib-rest/{rest.name}", "--mount", f"{rest.parent}:/stdlib-rest"]
    for wheel in [*wheels, site_wheel]:
        command += ["--wheel", str(wheel)]
    for host, guest in (mounts or {}).items():
        command += ["--mount", f"{host}:{guest}"]
    completed = subprocess.run(
        [*command, str(program), *args], capture_output=True, text=True, timeout=600, check=False
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output
    return output
