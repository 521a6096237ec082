"""The import graph of the site's own ES modules: what the service worker precaches and what
the calculator widget preloads."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.site.modules import imported

MODULES = {
    "a/load.mjs": 'const go = () => import("./main.mjs");\n',
    "a/main.mjs": 'import { x } from "./x.mjs";\nimport "../b/y.mjs";\nimport {\n  z,\n} from "./z.mjs";\n',
    "a/x.mjs": 'import { main } from "./main.mjs"; // a cycle\nexport const x = 1;\n',
    "b/y.mjs": 'import "https://example.org/far.mjs";\nimport { v } from "../v/runtime.mjs";\n',
    "a/z.mjs": "export const z = await import('./late.mjs');\n",
    "v/runtime.mjs": 'import "./never-read.mjs";\n',
}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    for name, text in MODULES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("starts", "dynamic", "expected"),
    [
        (["a/main.mjs"], False, ["a/x.mjs", "b/y.mjs", "a/z.mjs", "v/runtime.mjs"]),
        (["a/load.mjs"], False, []),  # the lazy import is not a static one
        (["a/load.mjs"], True, ["a/main.mjs", "a/x.mjs", "b/y.mjs", "a/z.mjs", "v/runtime.mjs", "a/late.mjs"]),
        (["index.html", "a/x.mjs"], True, ["a/main.mjs", "b/y.mjs", "a/z.mjs", "v/runtime.mjs", "a/late.mjs"]),
    ],
)
def test_the_graph_follows_relative_imports_once(
    root: Path, starts: list[str], dynamic: bool, expected: list[str]
) -> None:
    (root / "a" / "late.mjs").write_text("", encoding="utf-8")
    found = imported(root, starts, dynamic=dynamic, skip=lambda path: path.startswith("v/"))
    assert found == expected


def test_a_skipped_module_is_listed_but_not_read(root: Path) -> None:
    found = imported(root, ["b/y.mjs"], skip=lambda path: path.startswith("v/"))
    assert found == ["v/runtime.mjs"]  # its own import (never-read.mjs) is not followed
