"""The site's trimmed standard library and its fallback, inside Pyodide under Node.js."""

from __future__ import annotations

from pyodide_helpers import ROOT, in_pyodide

from scripts.pyodide.bundle import plan


def test_modules_left_out_of_the_first_archive_load_from_the_second_only_when_imported() -> None:
    output = in_pyodide(plan(ROOT), ROOT / "tests" / "pyodide" / "fallback_checks.py")
    assert "fallback ok" in output


def test_shipped_bytecode_has_no_column_positions_and_no_function_docstrings() -> None:
    output = in_pyodide(plan(ROOT), ROOT / "tests" / "pyodide" / "bytecode_checks.py")
    assert "bytecode ok" in output
