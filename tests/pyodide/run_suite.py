"""Inside Pyodide (run by scripts/pyodide/in_pyodide.mjs): pytest on the site's own standard library.

    run_suite.py TESTS_DIR [PYTEST_ARGS...]

The runtime starts with the site's first standard-library archive, whose `sitecustomize`
fetches modules from the second archive when something imports them. pytest and
hypothesis need many of those, and may have them; the calculator must not: each import
that reaches the fallback is traced to the first code outside the standard library that
asked for it, and one that comes from the calculator fails the run (exit status 3). The
command line (`calculator.cli`, `calculator.__main__`) is exempt: the browser never
imports it, and the build leaves its needs (argparse, codecs for files) out.
"""

import os
import site
import sys
from types import FrameType

import sitecustomize  # the site's fallback finder, installed at start-up

CALCULATOR = os.path.join(site.getsitepackages()[0], "calculator") + os.sep
COMMAND_LINE = (CALCULATOR + "cli.py", CALCULATOR + "__main__.py")
STDLIB = "/lib/python"  # both archives' code says it comes from /lib/python314.zip
calculator_misses: list[str] = []


def who_asked(fullname: str) -> None:
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        filename = frame.f_code.co_filename
        if filename in COMMAND_LINE:
            return
        if filename.startswith(CALCULATOR):
            calculator_misses.append(f"{fullname} (from {filename}:{frame.f_lineno})")
            return
        if not filename.startswith((STDLIB, "<frozen ")):
            return  # the test tools' own import
        frame = frame.f_back


def main(argv: list[str]) -> int:
    if sitecustomize.finder is None:
        print("the site's standard library did not install its fallback finder", file=sys.stderr)
        return 4
    sitecustomize.on_miss = who_asked
    import pytest

    import calculator

    os.chdir("/tmp")
    print(f"Pyodide {sys.version.split()[0]} on {sys.platform}; calculator from {calculator.__file__}", flush=True)
    status = int(pytest.main(["-p", "no:cacheprovider", *argv]))
    if calculator_misses:
        print("the calculator imported modules that the site's standard library lacks:", file=sys.stderr)
        for line in calculator_misses:
            print(f"  {line}", file=sys.stderr)
        return status or 3
    return status


sys.exit(main(sys.argv[1:]))
