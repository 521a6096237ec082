"""Download the pure-Python wheels that the in-Pyodide test run needs, pinned like `.venv`.

`python -m scripts.pyodide.test_wheels DEST` reads the names in
`tests/pyodide/requirements.txt`, takes each version from `requirements.lock` and asks
pip for `py3-none-any` wheels for CPython 3.14 (what Pyodide 314 runs). Already present
wheels are kept, so the step is idempotent and offline once done.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NAMES = ROOT / "tests" / "pyodide" / "requirements.txt"
LOCK = ROOT / "requirements.lock"


def _names(path: Path) -> list[str]:
    lines = (line.split("#")[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line]


def pinned(names: list[str], lock: Path = LOCK) -> list[str]:
    """`name==version` for each name, from the lock file; a name missing there is an error."""
    versions = {}
    for line in _names(lock):
        name, _, version = line.partition("==")
        versions[name.lower().replace("_", "-")] = version
    missing = [name for name in names if name.lower() not in versions]
    if missing:
        raise SystemExit(f"not pinned in requirements.lock: {', '.join(missing)}")
    return [f"{name}=={versions[name.lower()]}" for name in names]


def wheels_of(dest: Path, requirement: str) -> list[Path]:
    """The wheels in `dest` of `name==version`."""
    name, _, version = requirement.partition("==")
    stem = name.replace("-", "_").lower()
    return [path for path in dest.glob("*.whl") if path.name.lower().startswith(f"{stem}-{version}-")]


def download_command(requirements: list[str], dest: Path) -> list[str]:
    """pip downloading the `py3-none-any` wheels of `requirements` for CPython 3.14 (what Pyodide
    314 runs) into `dest`."""
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:"]
    command += ["--platform", "any", "--python-version", "3.14", "--implementation", "py", "-d", str(dest)]
    return command + requirements


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    dest = Path(args[0] if args else ROOT / ".cache" / "pyodide-test-wheels")
    dest.mkdir(parents=True, exist_ok=True)
    wanted = [req for req in pinned(_names(NAMES)) if not wheels_of(dest, req)]
    if wanted:
        subprocess.run(download_command(wanted, dest), check=True)
    print(f"pyodide test wheels: {len(list(dest.glob('*.whl')))} in {dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
