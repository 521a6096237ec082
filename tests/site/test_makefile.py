"""The maintainer's entry points: `make help` names every target, every phony name has a
recipe, and the project has one licence."""

from __future__ import annotations

import json
import re
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")


def phony() -> list[str]:
    match = re.search(r"^\.PHONY:(.*)$", MAKEFILE, re.M)
    assert match is not None
    return match[1].split()


def test_every_phony_name_is_a_target() -> None:
    targets = set(re.findall(r"^([A-Za-z][\w.-]*):", MAKEFILE, re.M))
    assert set(phony()) - targets == set()


def test_make_help_names_every_target_and_its_variables() -> None:
    completed = subprocess.run(["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True, check=True)
    words = set(re.findall(r"[\w-]+", completed.stdout))
    assert set(phony()) - {"help"} - words == set()
    for variable in ("PORT", "SITE_URL", "PYTEST_ARGS", "BENCH_ARGS", "BATCH_ARGS", "DEST"):
        assert variable in words


def test_one_licence_mit() -> None:
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["license"] == "MIT"
    assert json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["license"] == "MIT"
    assert json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))["packages"][""]["license"] == "MIT"


def test_deploy_checks_for_rsync_before_it_builds() -> None:
    """Issue 30: `make deploy` built the site, then failed with "rsync: command not found"."""
    recipe = MAKEFILE.split("\ndeploy:", 1)[1].split("\n\n", 1)[0]
    assert recipe.index("command -v rsync") < recipe.index("$(MAKE) build")
