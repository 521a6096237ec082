"""The README's layout table names every module, script and helper, so a new maintainer finds
each file's job there (issue 30: the table left out eight files)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# What the table must name: the package's modules, the scripts, the browser glue, the site's own
# assets and the tests' helper modules (test files are covered by their folder's row).
NAMED = re.compile(
    r"(calculator/[^/]+\.py|scripts/.+\.(py|mjs)|docs/assets/calculator/[^/]+|docs/assets/[^/]+\.(js|css)"
    r"|tests/[^/]+/[^/]+\.py)$"
)


def test_every_file_is_named_in_the_layout_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Layout") : readme.index("\n## ", readme.index("## Layout") + 5)]
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    missing = []
    for path in tracked:
        name = path.rsplit("/", 1)[-1]
        if not NAMED.match(path) or name == "__init__.py" or (path.startswith("tests/") and name.startswith("test_")):
            continue
        if f"`{name}`" not in table and f"/{name}`" not in table:
            missing.append(path)
    assert missing == [], f"name these in README.md's Layout table: {missing}"
