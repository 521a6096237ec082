"""Precompile the browser's Python inside the pinned Pyodide itself.

Run by `scripts/pyodide/bundle.py` through `scripts/pyodide/in_pyodide.mjs`, with the calculator
wheel installed and the runtime's own standard library:

    precompile_python.py WHEEL FALLBACK.py OUT_DIR

Pyodide's npm package ships its standard library as source, so every start in a browser
compiles about 190 modules before the first answer. Here the same CPython that the site
ships compiles them once, so the bytecode matches the browser's interpreter exactly.
Written into OUT_DIR:

- `python_stdlib.zip`: only the modules that Pyodide's start-up and the calculator
  import (what `sys.modules` holds after start-up, after importing every calculator
  module but the command line's and the on-demand ones, and after one request of each kind), as `.pyc`; FALLBACK.py as its
  `sitecustomize`; `stdlib-rest.txt`, the names of the modules left out;
- `python_stdlib_rest.zip`: every other module, precompiled, for the fallback finder;
- the wheel again, same name, with `__pycache__/*.cpython-314.pyc` beside its sources.

Archives store their entries uncompressed, so the site's brotli twin compresses across
files; entry dates come from the inputs, so the output is the same on every run.
"""

# Only modules that Pyodide's start-up has imported anyway: what this program imports
# itself must not look like something the calculator needs (hashlib waits in _record_line;
# Pyodide's own _pyodide._base imports ast).
import ast
import base64
import importlib
import importlib.util
import json
import marshal
import os
import sys
import zipfile

PACKAGE = "calculator"
# The command line's modules: never imported in the browser, so not traced, and bundle.py leaves
# them out of the site's wheels altogether.
COMMAND_LINE_MODULES = ("cli", "readiness_cli", "__main__")
COMMAND_LINE = tuple(f"{module}.py" for module in COMMAND_LINE_MODULES)
# Modules the site ships in a wheel of their own that the worker loads only on demand (bundle.py
# takes them out of the start-up wheel): start-up never has them, so they are not traced either.
ON_DEMAND_MODULES = ("workbooks",)
STDLIB = "python_stdlib.zip"
REST = "python_stdlib_rest.zip"
INDEX = "stdlib-rest.txt"
LEFT_WITHOUT_DOCSTRING = (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef)  # see bytecode()


def bytecode(source: bytes, filename: str) -> bytes:
    """A `.pyc` of `source`: unchecked hash-based (PEP 552), so no source is needed beside it.

    Smaller than Python's own, for the download: without the docstrings of modules and
    functions (as `python -OO` leaves them out; the standard library supports that, and
    asserts stay), and without column positions (`PYTHONNODEBUGRANGES`, checked in `main`;
    only a traceback's `^^^` marks need them). Class docstrings stay: `dataclasses` would
    otherwise compute one for each class at import.
    """
    tree = ast.parse(source, filename)
    for node in ast.walk(tree):
        if isinstance(node, LEFT_WITHOUT_DOCSTRING) and ast.get_docstring(node, clean=False) is not None:
            node.body = node.body[1:] or [ast.copy_location(ast.Pass(), node.body[0])]
    code = compile(tree, filename, "exec", dont_inherit=True)
    flags = (0b01).to_bytes(4, "little")
    return importlib.util.MAGIC_NUMBER + flags + importlib.util.source_hash(source) + marshal.dumps(code)


def without_column_positions() -> bool:
    """Whether this interpreter compiles without column positions (`PYTHONNODEBUGRANGES=1`)."""
    code = compile("x", "<check>", "eval", dont_inherit=True)
    return all(start is None for _, _, start, _ in code.co_positions())


def module_name(path: str) -> str | None:
    """`a/b/__init__.py` → `a.b`, `a/c.py` → `a.c`; None for other files."""
    if not path.endswith(".py"):
        return None
    parts = path[: -len(".py")].split("/")
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts) or None


def exercise_calculator() -> None:
    """Import every calculator module the browser may use and send one request of each kind."""
    package = importlib.import_module(PACKAGE)
    assert package.__file__ is not None
    for module in ON_DEMAND_MODULES:  # as at start-up in the browser: an import of it fails
        sys.modules[f"{PACKAGE}.{module}"] = None  # type: ignore[assignment]
    folder = os.path.dirname(package.__file__)
    left_out = ("__init__.py", *COMMAND_LINE, *(f"{module}.py" for module in ON_DEMAND_MODULES))
    for name in sorted(os.listdir(folder)):
        if name.endswith(".py") and name not in left_out:
            importlib.import_module(f"{PACKAGE}.{name[:-3]}")
    browser = importlib.import_module(f"{PACKAGE}.browser")
    requests = [{"action": action, "input": {}} for action in browser.ACTIONS]
    requests.append({"action": "grade", "input": {"score": "93"}})
    requests.append({"action": "form", "input": {"state": {"mode": "quick", "score": "93"}, "lang": "zh"}})
    for request in requests:
        browser.handle(json.dumps(request))


def used_stdlib_files(archive: str) -> set[str]:
    """Archive paths of the modules loaded so far from the standard library archive."""
    prefix = archive + "/"
    paths = (getattr(module, "__file__", None) or "" for module in list(sys.modules.values()))
    return {path[len(prefix) :] for path in paths if path.startswith(prefix)}


def split_stdlib(archive: str, keep: set[str], fallback: bytes, out: str) -> tuple[int, int]:
    """Write the kept and the remaining modules as two archives of `.pyc`; returns their module counts."""
    rest_names = []
    with (
        zipfile.ZipFile(archive) as stock,
        zipfile.ZipFile(os.path.join(out, STDLIB), "w", zipfile.ZIP_STORED) as kept,
        zipfile.ZipFile(os.path.join(out, REST), "w", zipfile.ZIP_STORED) as rest,
    ):
        for info in stock.infolist():
            if info.is_dir():
                continue
            name, data = info.filename, stock.read(info)
            if name.endswith(".py"):
                if name not in keep:
                    rest_names.append(module_name(name))
                data = bytecode(data, f"{archive}/{name}")
                name += "c"
            target = kept if info.filename in keep else rest
            target.writestr(zipfile.ZipInfo(name, date_time=info.date_time), data)
        first = stock.infolist()[0].date_time
        kept.writestr(zipfile.ZipInfo("sitecustomize.pyc", first), bytecode(fallback, f"{archive}/sitecustomize.py"))
        kept.writestr(zipfile.ZipInfo(INDEX, first), "\n".join(sorted(filter(None, rest_names))) + "\n")
    return len(keep), len(rest_names)


def _record_line(path: str, data: bytes) -> str:
    import hashlib  # not a start-up module: imported after the standard library is split

    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{path},sha256={digest},{len(data)}"


def add_bytecode(wheel: str, site_packages: str, out: str) -> str:
    """The wheel again, with each module's `__pycache__` bytecode beside it, listed in RECORD.

    Entries are stored: the site's brotli twin of the whole wheel is smaller than deflating
    each file (93 KB against 145 KB).
    """
    target = os.path.join(out, os.path.basename(wheel))
    with zipfile.ZipFile(wheel) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as copy:
        record = next(info for info in source.infolist() if info.filename.endswith(".dist-info/RECORD"))
        lines = source.read(record).decode("utf-8").splitlines()
        for info in source.infolist():
            if info is record:
                continue
            data = source.read(info)
            copy.writestr(info, data, compress_type=zipfile.ZIP_STORED)
            if info.filename.endswith(".py") and ".dist-info/" not in info.filename:
                cached = importlib.util.cache_from_source(info.filename)
                compiled = bytecode(data, f"{site_packages}/{info.filename}")
                copy.writestr(zipfile.ZipInfo(cached, date_time=info.date_time), compiled)
                lines.append(_record_line(cached, compiled))
        copy.writestr(record, "\n".join(lines) + "\n", compress_type=zipfile.ZIP_STORED)
    return target


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    wheel, fallback, out = argv
    if not without_column_positions():
        print("precompile_python.py: run it with PYTHONNODEBUGRANGES=1 (bundle.py does)", file=sys.stderr)
        return 2
    archive = next(path for path in sys.path if path.endswith(".zip"))
    exercise_calculator()
    keep = used_stdlib_files(archive)
    with open(fallback, "rb") as file:
        kept, rest = split_stdlib(archive, keep, file.read(), out)
    package_file = sys.modules[PACKAGE].__file__
    assert package_file is not None
    site_packages = os.path.dirname(os.path.dirname(package_file))
    add_bytecode(wheel, site_packages, out)
    print(f"precompiled {kept} standard-library modules for start-up and {rest} for the fallback, and the wheel")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
