"""Shared helpers of the content tests (not a test module)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "docs" / "_data"
TEMPLATES = ROOT / "scripts" / "site" / "templates"
DOCS = ROOT / "docs"
DATA = ROOT / "calculator" / "data"
SHARED = Path(__file__).resolve().parents[2].parent / "shared"

# Pages and templates owned by the guide (the calculator page and widget belong to the calculator).
OTHERS = {"calculator.md", "calculator_widget.html.j2", "sw.js.j2"}
SOURCE_KEYS = {"sources", "intro_sources", "numbers_sources"}


def load(name: str) -> Any:
    return yaml.safe_load((CONTENT / f"{name}.yml").read_text(encoding="utf-8"))


def content_files() -> list[Path]:
    return sorted(CONTENT.glob("*.yml"))


def source_ids() -> set[str]:
    return {s["id"] for s in load("sources")["sources"]}


def walk(node: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every (path, value) pair in a YAML/JSON tree, depth first."""
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk(value, f"{path}[{i}]")


def used_source_ids() -> list[tuple[str, str]]:
    """(where, id) for every source id referenced by the content data and the calculator's data."""
    found: list[tuple[str, str]] = []
    trees: list[tuple[str, Any]] = [(p.name, yaml.safe_load(p.read_text(encoding="utf-8"))) for p in content_files()]
    trees += [(p.name, json.loads(p.read_text(encoding="utf-8"))) for p in sorted(DATA.rglob("*.json"))]
    for name, tree in trees:
        if name == "sources.yml":
            continue
        for path, node in walk(tree):
            if isinstance(node, dict):
                for key in SOURCE_KEYS & node.keys():
                    assert isinstance(node[key], list), f"{name}{path}.{key} must be a list"
                    found += [(f"{name}{path}.{key}", str(i)) for i in node[key]]
    return found


def guide_files() -> list[Path]:
    """The guide's own Markdown pages, content data and templates."""
    pages = [p for p in sorted(DOCS.glob("*.md")) if p.name not in OTHERS]
    templates = [p for p in sorted(TEMPLATES.glob("*.j2")) if p.name not in OTHERS]
    return pages + content_files() + templates
