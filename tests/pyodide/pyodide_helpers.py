"""Running Python inside the site's Pyodide set-up under Node.js, for the tests here."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from scripts.pyodide.bundle import Bundle, BundleError, in_pyodide_command

ROOT = Path(__file__).resolve().parents[2]
WHEELS = ROOT / ".cache" / "pyodide-test-wheels"


def in_pyodide(
    bundle: Bundle, program: Path, *args: str, wheels: tuple[Path, ...] = (), mounts: dict[Path, str] | None = None
) -> str:
    """Run `program` in the site's Pyodide set-up under Node; returns its output, failing on a non-zero exit."""
    try:
        command = in_pyodide_command(bundle, ROOT, wheels)
    except BundleError as error:
        pytest.fail(str(error))
    for host, guest in (mounts or {}).items():
        command += ["--mount", f"{host}:{guest}"]
    completed = subprocess.run(
        [*command, str(program), *args], capture_output=True, text=True, timeout=600, check=False
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output
    return output
