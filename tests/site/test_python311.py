"""The package installs and its command runs on Debian 12's python3 (3.11): only the site's build
tools (pyodide-build) need 3.12 or newer. Issue 30: "requires a different Python"."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from scripts.pyodide.bundle import build_wheel

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_wheel_installs_and_grades_on_python_3_11(tmp_path: Path) -> None:
    python = shutil.which("python3.11")
    if python is None:
        pytest.fail("python3.11 is not on PATH (Debian 12's python3, or pyenv's 3.11): install it to run this check")
    wheel = build_wheel(ROOT, tmp_path / "wheel")
    env_dir = tmp_path / "venv"
    subprocess.run([python, "-m", "venv", str(env_dir)], check=True)  # pip from ensurepip: no network
    env_python = env_dir / "bin" / "python"
    installed = subprocess.run(
        [env_python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert installed.returncode == 0, installed.stderr
    version = subprocess.run([env_python, "-c", "import sys; print(sys.version_info[:2])"], capture_output=True, text=True, check=True)
    assert version.stdout.strip() == "(3, 11)"
    graded = subprocess.run(
        [env_dir / "bin" / "gbt27922", "grade", "79.999", "--json"], capture_output=True, text=True, check=False, cwd=tmp_path
    )
    assert graded.returncode == 0, graded.stderr
    data = json.loads(graded.stdout)
    assert (data["level"], data["score"]) == ("compliant", "79.999")
    compiled = subprocess.run(
        [env_python, "-m", "compileall", "-q", str(ROOT / "calculator")], capture_output=True, text=True, check=False
    )
    assert compiled.returncode == 0, compiled.stdout  # no 3.12-only syntax in the package
