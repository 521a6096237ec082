"""Everything the calculator needs in the browser, gathered at build time.

1. Build the `calculator` wheel (a pure-Python `py3-none-any` wheel, the real artefact).
2. Precompile in the pinned Pyodide itself, under Node (`scripts/pyodide/precompile_python.py`
   through `scripts/pyodide/in_pyodide.mjs`): the standard library split into what start-up and
   the calculator import and the rest (fetched only on demand by
   `scripts/pyodide/stdlib_fallback.py`), all as bytecode; and the wheel again with its
   bytecode. A cold start then compiles no Python source at all.
3. Register the site's wheel, with its sha256, in a site-local `pyodide-lock.json`
   through pyodide-build's `pyodide lockfile add-wheels`, together with the wheels that only
   workbooks need (`ON_DEMAND`): openpyxl and et_xmlfile, pinned by `requirements.lock` and
   downloaded from PyPI once into the cache; `calculator/workbooks.py`, taken out of the
   start-up wheel into a wheel of its own (`split_wheel`); and the standard-library modules
   those import that the trimmed library leaves out (`WORKBOOK_STDLIB`), taken precompiled
   from the rest archive, so that the first workbook does not fetch that whole archive. The
   worker loads these only when a workbook is opened or asked for, never at start, and the
   service worker does not precache them: a cold visit fetches no byte of them. The command
   line's modules leave the site's wheels altogether (`CLI_WHEEL`, for the in-Pyodide tests).
4. Name the Pyodide runtime files from `node_modules/pyodide` and where they go in the
   site: under a path that carries the Pyodide version.

`plan(root)` returns a mapping *site path → file on disk*; the MkDocs hook hands it to
MkDocs, and `python -m scripts.pyodide.bundle SITE_DIR` copies it on its own (for a site
generator that ignores MkDocs hooks). Every step is cached in `.cache/bundle` by a digest
of its inputs.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from scripts.pyodide.precompile_python import COMMAND_LINE_MODULES, ON_DEMAND_MODULES
from scripts.tools import atomic

ROOT = Path(__file__).resolve().parents[2]
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")
STDLIB = "python_stdlib.zip"
STDLIB_REST = "python_stdlib_rest.zip"
FALLBACK = "scripts/pyodide/stdlib_fallback.py"  # becomes the standard library's sitecustomize
PRECOMPILE_INPUTS = ("scripts/pyodide/in_pyodide.mjs", "scripts/pyodide/precompile_python.py", FALLBACK)
PACKAGE_DIR = "calculator"
SITE_WEB_DIR = "assets/calculator"  # the browser glue, docs/assets/calculator/ (MkDocs copies it)


FROM_PYPI = ("openpyxl", "et-xmlfile")  # pure-Python wheels that only workbooks need
CODE_WHEEL = "gc-workbooks"  # our own modules that only workbooks need, out of the start-up wheel
# The command line (cli.py, readiness_cli.py, __main__.py): never run in the browser, so not in
# the site at all; the in-Pyodide tests install this wheel beside the site's to run the CLI's tests.
CLI_WHEEL = "gc-command-line"
STDLIB_WHEEL = "gc-workbook-stdlib"  # the standard-library modules they need beyond the trimmed library
# What openpyxl and calculator/workbooks.py import (reading and writing, as the calculator uses
# them) that the trimmed standard library lacks, found by running them in the site's Pyodide; a
# module missed here still loads, through the fallback (tests/pyodide/test_workbook_stdlib.py
# keeps this list complete).
WORKBOOK_STDLIB = ("datetime", "mimetypes", "xml", "xml.etree", "xml.etree.ElementPath", "xml.etree.ElementTree")
ON_DEMAND = (*FROM_PYPI, CODE_WHEEL, STDLIB_WHEEL)  # wheels in the lockfile the worker loads only for workbooks


class BundleError(RuntimeError):
    """A build step failed; the message says which one and how to fix it."""


@dataclass(frozen=True)
class Bundle:
    """The browser files of one build, and where each goes in the site."""

    pyodide_version: str
    package_name: str
    runtime_path: str  # site path of the runtime folder, ending in "/"
    lock_path: str  # site path of the site-local lockfile
    stdlib_path: str  # site path of the standard library that start-up loads
    stdlib_rest_path: str  # site path of the rest, fetched only if something imports from it
    worker_path: str
    files: dict[str, Path]  # site path -> file on disk
    fetch_bytes: int  # bytes a start fetches (wasm, stdlib, lock, wheel), for the progress bar
    command_line_wheel: Path | None = None  # CLI_WHEEL: built, never shipped (see split_wheel)


def pyodide_version(root: Path = ROOT) -> str:
    """The version of the installed npm `pyodide`, which must equal the exact pin."""
    installed = root / "node_modules" / "pyodide" / "package.json"
    if not installed.exists():
        raise BundleError("node_modules/pyodide is missing: run `npm ci` (or `make build`).")
    version = str(json.loads(installed.read_text(encoding="utf-8"))["version"])
    pinned = json.loads((root / "package.json").read_text(encoding="utf-8"))["devDependencies"]["pyodide"]
    if version != pinned:
        raise BundleError(f"node_modules has pyodide {version} but package.json pins {pinned}: run `npm ci`.")
    return version


def source_digest(root: Path = ROOT) -> str:
    """A digest of everything that goes into the wheel."""
    digest = hashlib.sha256()
    paths = [root / "pyproject.toml"]
    paths += sorted(
        path for path in (root / PACKAGE_DIR).rglob("*") if path.is_file() and "__pycache__" not in path.parts
    )
    for path in paths:
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _run(command: list[str], what: str) -> None:
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        detail = (completed.stderr or completed.stdout).strip().splitlines()[-5:]
        raise BundleError(f"{what} failed ({' '.join(command[:4])} …):\n" + "\n".join(detail))


def build_wheel(root: Path, cache: Path) -> Path:
    """Build (or reuse) the wheel for the current sources."""
    out = cache / f"wheel-{source_digest(root)}"
    wheels = sorted(out.glob("*.whl"))
    if len(wheels) == 1:
        return wheels[0]
    scratch = atomic.scratch_dir(out)
    _run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(scratch), str(root)], "Wheel build"
    )
    wheels = sorted(scratch.glob("*.whl"))
    if len(wheels) != 1:
        raise BundleError(f"expected one wheel in {scratch}, found {len(wheels)}")
    shutil.rmtree(out, ignore_errors=True)  # a folder left without its wheel
    atomic.publish(scratch, out)
    return out / wheels[0].name


def _pyodide_cli() -> str:
    candidate = Path(sys.executable).with_name("pyodide")
    found = str(candidate) if candidate.exists() else shutil.which("pyodide")
    if not found:
        raise BundleError("the `pyodide` command (pyodide-build) is missing: run `make build` to set up .venv.")
    return found


def on_demand_wheels(cache: Path, root: Path = ROOT) -> list[Path]:
    """The `FROM_PYPI` wheels, pinned by requirements.lock, downloaded once (pure Python, for 3.14).

    Like every cache entry they are downloaded into a scratch folder and published whole
    (`scripts/tools/atomic.py`), in a folder named by the pins: a new pin downloads again.
    """
    from scripts.pyodide.test_wheels import LOCK, download_command, pinned, wheels_of

    wanted = pinned(list(FROM_PYPI), root / LOCK.relative_to(ROOT))
    out = cache / f"on-demand-{hashlib.sha256(' '.join(wanted).encode()).hexdigest()[:16]}"

    def found(folder: Path) -> list[Path]:
        return sorted(path for requirement in wanted for path in wheels_of(folder, requirement))

    def complete(wheels: list[Path]) -> bool:
        return len(wheels) == len(wanted) and all(path.name.endswith("-none-any.whl") for path in wheels)

    if complete(found(out)):
        return found(out)
    scratch = atomic.scratch_dir(out)
    _run(download_command(wanted, scratch), "Downloading the workbook wheels (pip download)")
    if not complete(found(scratch)):
        shutil.rmtree(scratch, ignore_errors=True)
        raise BundleError(f"expected one pure-Python wheel for each of {', '.join(wanted)} from pip download")
    shutil.rmtree(out, ignore_errors=True)  # a folder left incomplete
    atomic.publish(scratch, out)
    return found(out)


def stdlib_wheel(compiled: Precompiled, version: str, cache: Path) -> Path:
    """A wheel of the `WORKBOOK_STDLIB` modules' bytecode, from the precompiled rest archive.

    Sourceless `.pyc` files in site-packages import like any module; the trimmed library comes
    first on `sys.path`, so a module it holds is never shadowed (those are left out here).
    """
    name = STDLIB_WHEEL.replace("-", "_")
    stem = f"{name}-{version}"
    digest = hashlib.sha256(compiled.stdlib_rest.read_bytes() + repr(WORKBOOK_STDLIB).encode())
    out = cache / f"stdlib-wheel-{digest.hexdigest()[:16]}"
    target = out / f"{stem}-py3-none-any.whl"
    if target.exists():
        return target
    with zipfile.ZipFile(compiled.stdlib_rest) as rest:
        names = set(rest.namelist())
        files: dict[str, bytes] = {}
        for module in WORKBOOK_STDLIB:
            path = module.replace(".", "/")
            found = next((each for each in (f"{path}/__init__.pyc", f"{path}.pyc") if each in names), None)
            if found is not None:
                files[found] = rest.read(found)
    top_level = sorted({module.split(".")[0] for module in WORKBOOK_STDLIB})
    wheel = _wheel_files(STDLIB_WHEEL, version, files, top_level)
    atomic.write_bytes(target, _wheel_bytes(wheel, {}))  # whole or not at all, like every cache entry
    return target


def _urlsafe_digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def _wheel_bytes(files: dict[str, bytes], dates: dict[str, tuple[int, int, int, int, int, int]]) -> bytes:
    """A stored (uncompressed) zip of `files`, entries dated as given (the build stays reproducible)."""
    built = io.BytesIO()
    with zipfile.ZipFile(built, "w", zipfile.ZIP_STORED) as wheel:
        for path, data in files.items():
            wheel.writestr(zipfile.ZipInfo(path, date_time=dates.get(path, (2000, 1, 1, 0, 0, 0))), data)
    return built.getvalue()


def _module_files(modules: Iterable[str]) -> set[str]:
    return {f"{PACKAGE_DIR}/{module}.py" for module in modules} | {
        f"{PACKAGE_DIR}/__pycache__/{module}.cpython-314.pyc" for module in modules
    }


def _wheel_files(name: str, version: str, files: dict[str, bytes], top_level: list[str]) -> dict[str, bytes]:
    """`files` as the contents of a wheel of project `name`: its dist-info added, with a RECORD."""
    wheel = dict(files)
    dist = f"{name.replace('-', '_')}-{version}.dist-info"
    wheel[f"{dist}/METADATA"] = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode()
    wheel[f"{dist}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: scripts/pyodide/bundle.py\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    )
    wheel[f"{dist}/top_level.txt"] = "".join(f"{top}\n" for top in top_level).encode()
    lines = [f"{path},sha256={_urlsafe_digest(data)},{len(data)}" for path, data in wheel.items()]
    wheel[f"{dist}/RECORD"] = ("\n".join([*lines, f"{dist}/RECORD,,"]) + "\n").encode()
    return wheel


def split_wheel(wheel: Path, cache: Path) -> tuple[Path, Path, Path]:
    """The precompiled wheel as three: what start-up loads; `CODE_WHEEL` with the on-demand
    modules; `CLI_WHEEL` with the command line.

    `calculator/workbooks.py` (and its bytecode) is needed only when a workbook is read or
    written, so it leaves the wheel every cold start fetches and goes into a small wheel of its
    own that the lockfile lists beside openpyxl. The command line never runs in the browser: its
    wheel is not shipped (the in-Pyodide tests install it). Unpacked into the same site-packages,
    the parts add their files to the `calculator` package; each wheel's RECORD lists its own
    files. Cached by the precompiled wheel's digest, written whole (`scripts/tools/atomic.py`).
    """
    out = cache / f"split-{hashlib.sha256(wheel.read_bytes()).hexdigest()[:16]}"
    version = wheel.name.split("-")[1]
    names = {part: f"{part.replace('-', '_')}-{version}-py3-none-any.whl" for part in (CODE_WHEEL, CLI_WHEEL)}
    done = (out / wheel.name, out / names[CODE_WHEEL], out / names[CLI_WHEEL])
    if all(path.exists() for path in done):
        return done
    moved = {CODE_WHEEL: _module_files(ON_DEMAND_MODULES), CLI_WHEEL: _module_files(COMMAND_LINE_MODULES)}
    start: dict[str, bytes] = {}
    parts: dict[str, dict[str, bytes]] = {CODE_WHEEL: {}, CLI_WHEEL: {}}
    dates: dict[str, tuple[int, int, int, int, int, int]] = {}
    with zipfile.ZipFile(wheel) as source:
        for info in source.infolist():
            dates[info.filename] = info.date_time
            part = next((name for name, files in moved.items() if info.filename in files), None)
            (parts[part] if part else start)[info.filename] = source.read(info)
    for part, wanted in moved.items():
        if set(parts[part]) != wanted:
            raise BundleError(f"the precompiled wheel lacks {', '.join(sorted(wanted - set(parts[part])))}")
    every_moved = set().union(*moved.values())
    record = next(name for name in start if name.endswith(".dist-info/RECORD"))
    kept = [line for line in start[record].decode("utf-8").splitlines() if line.split(",")[0] not in every_moved]
    start[record] = ("\n".join(kept) + "\n").encode("utf-8")
    scratch = atomic.scratch_dir(out)
    (scratch / wheel.name).write_bytes(_wheel_bytes(start, dates))
    for part, contents in parts.items():
        (scratch / names[part]).write_bytes(_wheel_bytes(_wheel_files(part, version, contents, [PACKAGE_DIR]), dates))
    shutil.rmtree(out, ignore_errors=True)  # a folder left incomplete
    atomic.publish(scratch, out)
    return done


def register_wheel(wheel: Path, runtime: Path, cache: Path, extra: Iterable[Path] = ()) -> Path:
    """Write a lockfile holding the runtime's metadata, our wheel and the `extra` wheels (with sha256s).

    Only these packages are kept: the site serves no other package, so listing the 350
    others would only cost bytes.
    """
    extra = list(extra)
    digest = hashlib.sha256(wheel.read_bytes())
    for path in extra:
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    out = cache / f"lock-{digest.hexdigest()[:16]}"
    lock = out / "pyodide-lock.json"
    if lock.exists():
        return lock
    scratch = atomic.scratch_dir(out)
    full = scratch / "full-lock.json"
    staged = scratch / "wheels"  # all wheels in one folder: the lockfile names each by its file name there
    staged.mkdir()
    for path in (wheel, *extra):
        shutil.copyfile(path, staged / path.name)
    _run(
        [
            _pyodide_cli(),
            "lockfile",
            "add-wheels",
            "--input",
            str(runtime / "pyodide-lock.json"),
            "--output",
            str(full),
            "--base-path",
            str(staged),
            *(str(staged / path.name) for path in (wheel, *extra)),
        ],
        "pyodide lockfile add-wheels",
    )
    data = json.loads(full.read_text(encoding="utf-8"))
    names = {_wheel_project(path) for path in (wheel, *extra)}
    data["packages"] = {key: value for key, value in data["packages"].items() if key in names}
    if set(data["packages"]) != names:
        raise BundleError(f"pyodide lockfile add-wheels did not register {', '.join(sorted(names))}")
    (scratch / lock.name).write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    full.unlink()
    shutil.rmtree(staged)
    shutil.rmtree(out, ignore_errors=True)  # a folder left without its lockfile
    atomic.publish(scratch, out)
    return lock


@dataclass(frozen=True)
class Precompiled:
    wheel: Path  # the wheel with its bytecode
    stdlib: Path
    stdlib_rest: Path


def _node() -> str:
    found = shutil.which("node")
    if not found:
        raise BundleError("Node.js is missing: the build runs Pyodide under Node to precompile Python.")
    return found


def precompile(root: Path, wheel: Path, cache: Path, version: str) -> Precompiled:
    """Bytecode for the browser, made by the Pyodide the site ships (see the module docstring).

    Cached by the exact Pyodide version (it fixes the runtime's bytes) and the other inputs.
    """
    runtime = root / "node_modules" / "pyodide"
    digest = hashlib.sha256(version.encode())
    for path in (wheel, *(root / name for name in PRECOMPILE_INPUTS)):
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    out = cache / f"python-{digest.hexdigest()[:16]}"
    done = Precompiled(out / wheel.name, out / STDLIB, out / STDLIB_REST)
    if all(path.exists() for path in (done.wheel, done.stdlib, done.stdlib_rest)):
        return done
    partial = atomic.scratch_dir(out)
    _run(
        [
            _node(),
            str(root / "scripts" / "pyodide" / "in_pyodide.mjs"),
            "--runtime",
            str(runtime),
            "--env",
            "PYTHONNODEBUGRANGES=1",  # see precompile_python.bytecode
            "--wheel",
            str(wheel),
            "--mount",
            f"{wheel.parent}:/input",
            "--mount",
            f"{(root / FALLBACK).parent}:/fallback",
            "--mount",
            f"{partial}:/output",
            str(root / "scripts" / "pyodide" / "precompile_python.py"),
            f"/input/{wheel.name}",
            f"/fallback/{Path(FALLBACK).name}",
            "/output",
        ],
        "Precompiling Python in Pyodide",
    )
    shutil.rmtree(out, ignore_errors=True)  # a folder left incomplete
    atomic.publish(partial, out)
    return done


def _wheel_project(wheel: Path) -> str:
    return wheel.name.split("-")[0].replace("_", "-").lower()


def plan(root: Path = ROOT, cache: Path | None = None) -> Bundle:
    """Build what is needed and say where each file goes in the site.

    Another build in this checkout (`make dev` beside `make build`) waits here until this one has
    filled the cache, then finds it filled.
    """
    cache = cache or root / ".cache" / "bundle"
    version = pyodide_version(root)
    runtime = root / "node_modules" / "pyodide"
    with atomic.locked(cache):
        compiled = precompile(root, build_wheel(root, cache), cache, version)
        wheel, code_wheel, command_line_wheel = split_wheel(compiled.wheel, cache)
        extra = [*on_demand_wheels(cache, root), code_wheel, stdlib_wheel(compiled, version, cache)]
        lock = register_wheel(wheel, runtime, cache, extra)
    wheel_digest = hashlib.sha256(wheel.read_bytes()).hexdigest()[:12]
    stdlib_digest = hashlib.sha256(compiled.stdlib.read_bytes() + compiled.stdlib_rest.read_bytes()).hexdigest()[:12]
    runtime_path = f"assets/pyodide/v{version}/"
    python_path = f"assets/python/{wheel_digest}/"
    stdlib_dir = f"assets/python/stdlib-{stdlib_digest}/"
    files = {runtime_path + name: runtime / name for name in RUNTIME_FILES}
    files[stdlib_dir + STDLIB] = compiled.stdlib
    files[stdlib_dir + STDLIB_REST] = compiled.stdlib_rest
    files[python_path + wheel.name] = wheel
    files[python_path + "pyodide-lock.json"] = lock
    for path in extra:  # beside our wheel, where the lockfile's relative file names point
        files[python_path + path.name] = path
    return Bundle(
        pyodide_version=version,
        package_name=_wheel_project(wheel),
        runtime_path=runtime_path,
        lock_path=python_path + "pyodide-lock.json",
        stdlib_path=stdlib_dir + STDLIB,
        stdlib_rest_path=stdlib_dir + STDLIB_REST,
        fetch_bytes=sum(
            path.stat().st_size
            for site, path in files.items()
            if site.endswith((".wasm", ".zip", ".json", ".whl"))
            and not site.endswith(STDLIB_REST)
            and path not in extra
        ),
        worker_path=f"{SITE_WEB_DIR}/worker.mjs",
        files=files,
        command_line_wheel=command_line_wheel,
    )


def in_pyodide_command(bundle: Bundle, root: Path = ROOT, wheels: Iterable[Path] = ()) -> list[str]:
    """The command that runs a Python program (appended by the caller) in the site's own Pyodide
    set-up under Node: the shipped runtime, standard library (the rest mounted for the fallback)
    and wheel, after any extra `wheels`."""
    rest = bundle.files[bundle.stdlib_rest_path]
    site_wheel = next(
        path
        for site, path in bundle.files.items()
        if site.endswith(".whl") and _wheel_project(path) == bundle.package_name
    )
    command = [
        _node(),
        str(root / "scripts" / "pyodide" / "in_pyodide.mjs"),
        "--runtime",
        str(root / "node_modules" / "pyodide"),
    ]
    command += ["--stdlib", str(bundle.files[bundle.stdlib_path])]
    command += ["--env", f"GC_STDLIB_REST=/stdlib-rest/{rest.name}", "--mount", f"{rest.parent}:/stdlib-rest"]
    for wheel in [*wheels, site_wheel]:
        command += ["--wheel", str(wheel)]
    return command


def copy_into(bundle: Bundle, site: Path) -> Iterable[Path]:
    """Copy the bundle's files into a built site folder."""
    for site_path, source in bundle.files.items():
        target = site / site_path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        yield target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Copy the calculator's browser files into a built site.")
    parser.add_argument("site", type=Path, help="the built site folder")
    args = parser.parse_args(argv)
    try:
        copied = list(copy_into(plan(), args.site))
    except BundleError as error:
        print(f"browser bundle: {error}", file=sys.stderr)
        return 1
    print(f"browser bundle: {len(copied)} files into {args.site}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
