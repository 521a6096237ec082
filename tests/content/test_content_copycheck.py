"""No sentence of the seed articles is copied into the guide (the project's copy check)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from content_helpers import ROOT, SHARED

TOOL = SHARED / "tools" / "copycheck.py"


def test_copycheck_reports_nothing_copied() -> None:
    if not TOOL.exists():
        pytest.skip(f"the copy check lives in the shared folder beside the repository ({TOOL}), absent here")
    done = subprocess.run(
        [sys.executable, str(TOOL), "docs", "scripts", "calculator"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "copycheck: 0 copied passage(s)" in done.stdout
