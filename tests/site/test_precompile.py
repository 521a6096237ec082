"""scripts/pyodide/precompile_python.bytecode: what it leaves out of a module, and what it keeps."""

from __future__ import annotations

import importlib.util
import marshal
import types

import pytest

from scripts.pyodide.precompile_python import bytecode

SOURCE = b'''"""The module's docstring."""
import dataclasses


def documented():
    """Only a docstring: the body must still be valid."""


async def later():
    """An async function's docstring."""
    return 2


@dataclasses.dataclass
class Kept:
    """A class keeps its docstring."""

    value: int = 1

    def method(self):
        "A method's docstring."
        assert self.value > 0, "asserts stay"
        return "not a docstring"
'''


def _run(source: bytes) -> types.ModuleType:
    data = bytecode(source, "example.py")
    assert data[:4] == importlib.util.MAGIC_NUMBER
    assert data[4:8] == (1).to_bytes(4, "little"), "unchecked hash-based"
    module = types.ModuleType("example")
    exec(marshal.loads(data[16:]), module.__dict__)
    return module


def test_module_and_function_docstrings_are_left_out_and_class_docstrings_kept() -> None:
    module = _run(SOURCE)
    assert module.__doc__ is None
    assert module.documented.__doc__ is None and module.documented() is None
    assert module.later.__doc__ is None
    assert module.Kept.__doc__ == "A class keeps its docstring."
    assert module.Kept.method.__doc__ is None
    assert module.Kept().method() == "not a docstring"
    with pytest.raises(AssertionError, match="asserts stay"):
        module.Kept(value=0).method()


def test_a_string_that_is_not_first_is_kept() -> None:
    module = _run(b'x = 1\n"not a docstring"\ndef f():\n    y = 2\n    "neither"\n    return y\n')
    assert module.__doc__ is None and module.f.__doc__ is None and module.f() == 2
