"""Under `make dev`, an edit to any data file reaches the pages on the next rebuild.

MkDocs' live-reload server keeps one Python process and runs the hooks' `on_config` before each
rebuild. The test does the same in a fresh process whose `calculator` package is a temporary
copy: it reads the data through the page generator, edits every kind of data file, runs
`on_config` again, and reads the data again.
"""

from __future__ import annotations

from typing import Any

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROGRAM = r"""
import json, sys
from pathlib import Path
from mkdocs.config import load_config
import calculator
from calculator.evidence import load_checklist
from calculator.profiles import load_profile, profile_names
from calculator.rules import load_rules
from scripts.site import generate, hooks

assert Path(calculator.__file__).parent == Path(sys.argv[1]), calculator.__file__
config = load_config(str(Path(sys.argv[2]) / "mkdocs.yml"))

def seen():
    return {
        "five_star": generate.threshold("five_star"),
        "deduction": str(load_rules().deduction_points),
        "profiles": profile_names(),
        "profile_name": load_profile("gbt27922").to_dict()["name"],
        "checklist": repr(load_checklist())[:20000],
    }

hooks.on_config(config)
before = seen()
print(json.dumps({"before": before}), flush=True)
sys.stdin.readline()  # the test edits the data now
hooks.on_config(config)
print(json.dumps({"after": seen()}), flush=True)
"""


def edit_json(path: Path, change: object) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)  # type: ignore[operator]
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_every_data_file_edit_reaches_the_next_rebuild(tmp_path: Path) -> None:
    package = tmp_path / "calculator"
    shutil.copytree(ROOT / "calculator", package, ignore=shutil.ignore_patterns("__pycache__"))
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}", "NO_MKDOCS_2_WARNING": "1"}
    env.pop("SITE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-c", PROGRAM, str(package), str(ROOT)],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None and process.stdin is not None
        line = process.stdout.readline()
        assert line, process.stderr.read() if process.stderr else ""
        before = json.loads(line)["before"]

        def five_star_plus_one(data: dict[str, Any]) -> None:
            for level in data["levels"]:
                if level["code"] == "five_star":
                    level["min_score"] += 1

        edit_json(package / "data" / "levels.json", five_star_plus_one)
        edit_json(
            package / "data" / "rules.json",
            lambda data: data["special_deduction"].__setitem__("points_each", 2),
        )
        shutil.copy(package / "data" / "profiles" / "gbt27922.json", package / "data" / "profiles" / "zz-copy.json")
        edit_json(
            package / "data" / "profiles" / "gbt27922.json",
            lambda data: data["name"].__setitem__("en", "Edited"),
        )
        evidence = package / "data" / "evidence.json"
        evidence.write_text(evidence.read_text(encoding="utf-8").replace("。", "。 ", 1), encoding="utf-8")

        process.stdin.write("\n")
        process.stdin.flush()
        line = process.stdout.readline()
        assert line, process.stderr.read() if process.stderr else ""
        after = json.loads(line)["after"]
    finally:
        process.kill()
        process.wait()
    assert int(after["five_star"]) == int(before["five_star"]) + 1
    assert after["deduction"] == "2"
    assert after["profiles"] == [*before["profiles"], "zz-copy"]
    assert after["profile_name"]["en"] == "Edited" != before["profile_name"]["en"]
    assert after["checklist"] != before["checklist"]
