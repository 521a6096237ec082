"""Headless Chromium and a strict site build, for the tools, benchmarks and tests alike.

Debian's `chromium` package, driven by Playwright through `executable_path` (Playwright's own
browser download is not reachable here). The tests import these; tools never import tests.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


class ChromiumMissing(RuntimeError):
    """Debian's chromium is not installed."""


def chromium_path() -> str:
    found = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise ChromiumMissing("Debian's chromium is not installed: run `make test` (as root it installs it).")
    return found


def build_site(out: Path, site_url: str | None = None) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` of the repository into `out`.

    Material's instant navigation only takes over links listed in the sitemap, which is
    built from `site_url`: tests build with the URL they serve on. Without one (and whatever
    the environment says), the site is built without an address: no sitemap, no canonical links.
    """
    env = {key: value for key, value in os.environ.items() if key != "SITE_URL"}
    env["NO_MKDOCS_2_WARNING"] = "1"
    if site_url:
        env["SITE_URL"] = site_url
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
