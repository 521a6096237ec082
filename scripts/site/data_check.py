"""The site's data checked before any page renders, each fault named by file, entry and field.

Without this, a fault in the data surfaced as a template error blamed on the first page that
used it ("faq.md: UndefinedError: 'dict object' has no attribute 'sources'"). The build (the
MkDocs hook's `on_config`) and `make check` call `findings()`; each finding is one line:

    docs/_data/faq.yml: items[3] (id "cost"): sources: missing (every fact names its sources)

What is checked: every file parses (YAML in docs/_data/, JSON in calculator/data/, with line and
column); a text is a {zh, en} pair of non-empty strings, none cut short at an unquoted comma; every entry of the lists that hold the
pages' facts names its sources, each a known source id, and a known confidence. Rules about the
meaning of the data stay in the tests (tests/content/) and in the package's own loaders.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "docs" / "_data"
DATA = ROOT / "calculator" / "data"
SOURCE_KEYS = ("sources", "intro_sources", "numbers_sources")

# The lists whose entries are facts shown on the pages (file → dotted paths): each entry names
# its sources. An entry rated "unknown" may name none (it says what nobody has published).
ENTRY_LISTS = {
    "identity": ["rows"],
    "structure": ["chapters"],
    "requirements": ["clauses"],
    "rules": ["rules"],
    "unknowns": ["items"],
    "not_in_standard": ["items"],
    "related_standards": ["rows"],
    "process": ["steps"],
    "faq": ["items"],
    "glossary": ["terms"],
    "consumers": ["shows", "not_shows", "checks", "mark"],
    "enterprises": ["benefits", "takes", "checklist", "tenders.for", "tenders.against"],
    "background": ["items"],
}


@dataclass(frozen=True)
class Finding:
    file: str  # relative to the repository
    entry: str  # where in the file: "items[3] (id "cost")", or "" for the whole file
    field: str
    problem: str

    def __str__(self) -> str:
        where = ": ".join(part for part in (self.file, self.entry, self.field) if part)
        return f"{where}: {self.problem}"


def _name(path: Path) -> str:
    try:
        return path.relative_to(ROOT).as_posix()
    except ValueError:
        return path.as_posix()


def _parse_yaml(path: Path) -> tuple[Any, Finding | None]:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")), None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        at = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        return None, Finding(_name(path), at, "", f"not valid YAML: {problem}")
    except (OSError, UnicodeDecodeError) as error:
        return None, Finding(_name(path), "", "", f"cannot be read: {error}")


def _parse_json(path: Path) -> Finding | None:
    try:
        json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        return Finding(_name(path), f"line {error.lineno}, column {error.colno}", "", f"not valid JSON: {error.msg}")
    except (OSError, UnicodeDecodeError) as error:
        return Finding(_name(path), "", "", f"cannot be read: {error}")
    return None


def _walk(node: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{path}[{index}]")


def _entry_name(path: str, entry: Any) -> str:
    if isinstance(entry, dict) and isinstance(entry.get("id"), str):
        return f'{path} (id "{entry["id"]}")'
    return path


def _texts(file: str, tree: Any) -> Iterator[Finding]:
    for path, node in _walk(tree):
        if not (isinstance(node, dict) and {"zh", "en"} & node.keys()):
            continue
        for lang in ("zh", "en"):
            value = node.get(lang)
            if not isinstance(value, str) or not value.strip():
                problem = "missing" if lang not in node else "empty" if isinstance(value, str) else "not text"
                yield Finding(file, path, lang, f"{problem} (every text has Chinese and English)")


def _cut_texts(file: str, tree: Any) -> Iterator[Finding]:
    """A text cut at an unquoted comma: in `{en: Without it, you can judge …}` YAML reads
    "you can judge …" as one more key, with no value. Such a key has spaces and no value."""
    for path, node in _walk(tree):
        if isinstance(node, dict):
            for key, value in node.items():
                if value is None and isinstance(key, str) and " " in key.strip():
                    yield Finding(file, path, str(key)[:40], "a text cut at an unquoted comma (quote the whole text)")


def _list_at(tree: Any, dotted: str) -> Any:
    node = tree
    for key in dotted.split("."):
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def _entries(file: str, name: str, tree: Any, levels: set[str]) -> Iterator[Finding]:
    for dotted in ENTRY_LISTS.get(name, []):
        items = _list_at(tree, dotted)
        if not isinstance(items, list) or not items:
            yield Finding(file, dotted, "", "missing or empty (a list of entries)")
            continue
        for index, entry in enumerate(items):
            where = _entry_name(f"{dotted}[{index}]", entry)
            if not isinstance(entry, dict):
                yield Finding(file, where, "", "not an entry (a mapping with texts and sources)")
                continue
            confidence = entry.get("confidence")
            if "sources" not in entry:
                yield Finding(file, where, "sources", "missing (every fact names its sources)")
            elif not isinstance(entry["sources"], list):
                yield Finding(file, where, "sources", "not a list of source ids")
            elif not entry["sources"] and confidence != "unknown":
                yield Finding(file, where, "sources", "empty (only an entry rated unknown may cite none)")
            if confidence is not None and levels and confidence not in levels:
                yield Finding(file, where, "confidence", f'"{confidence}" is not one of {", ".join(sorted(levels))}')


def _phrases(file: str, tree: Any) -> Iterator[Finding]:
    """A source's `phrases` (looked for by `make check-sources`) are short, non-empty texts."""
    for index, source in enumerate(tree.get("sources") or [] if isinstance(tree, dict) else []):
        if not isinstance(source, dict):
            continue
        phrases = source.get("phrases")
        where = _entry_name(f"sources[{index}]", source)
        if phrases is None:
            note = source.get("phrases_note")
            if source.get("url") and not (isinstance(note, str) and note.strip()):
                yield Finding(file, where, "phrases", "missing: a source with an address names phrases from its page, or says why not in phrases_note")
            continue
        if not isinstance(phrases, list) or not all(isinstance(p, str) and 0 < len(p.strip()) <= 60 for p in phrases):
            yield Finding(file, where, "phrases", "a list of short texts from the page (up to 60 characters each)")
        elif not source.get("url"):
            yield Finding(file, where, "phrases", "a source without an address is not checked online")


def _source_ids(file: str, tree: Any, known: set[str]) -> Iterator[Finding]:
    for path, node in _walk(tree):
        if not isinstance(node, dict):
            continue
        for key in SOURCE_KEYS:
            if key in node and isinstance(node[key], list):
                for cited in node[key]:
                    if str(cited) not in known:
                        yield Finding(file, _entry_name(path, node), key, f'unknown source id "{cited}"')


def _one_rating_per_fact(trees: dict[str, tuple[str, Any]]) -> list[Finding]:
    """Entries that state the same fact (the same `fact` id) must carry the same confidence."""
    seen: dict[str, list[tuple[str, str, str]]] = {}
    for file, tree in trees.values():
        for path, node in _walk(tree):
            if isinstance(node, dict) and isinstance(node.get("fact"), str):
                seen.setdefault(node["fact"], []).append((file, _entry_name(path, node), str(node.get("confidence"))))
    found = []
    for fact, places in seen.items():
        if len({rating for _, _, rating in places}) > 1:
            for file, where, rating in places:
                found.append(Finding(file, where, "confidence", f'"{rating}" differs between the entries of fact "{fact}"'))
    return found


def findings(content: Path | None = None, data: Path | None = None) -> list[Finding]:
    """Every fault of the site's data (by default docs/_data/ and calculator/data/); [] when sound."""
    content = content or CONTENT
    data = data or DATA
    found: list[Finding] = []
    trees: dict[str, tuple[str, Any]] = {}
    for path in sorted(content.glob("*.yml")):
        tree, broken = _parse_yaml(path)
        if broken is not None:
            found.append(broken)
        else:
            trees[path.stem] = (_name(path), tree)
    for path in sorted(data.rglob("*.json")):
        broken = _parse_json(path)
        if broken is not None:
            found.append(broken)
    sources = trees.get("sources", ("", {}))[1] or {}
    known = {str(entry.get("id")) for entry in sources.get("sources", []) if isinstance(entry, dict)}
    levels = set(sources.get("confidence_levels") or {})
    for name, (file, tree) in trees.items():
        found += _texts(file, tree)
        found += _cut_texts(file, tree)
        found += _entries(file, name, tree, levels)
        if name != "sources" and known:
            found += _source_ids(file, tree, known)
        if name == "sources":
            found += _phrases(file, tree)
    found += _one_rating_per_fact(trees)
    if known:
        for path in sorted(data.rglob("*.json")):
            try:
                tree = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError):
                continue  # said above
            found += _source_ids(_name(path), tree, known)
    return found


def main(argv: list[str] | None = None) -> int:
    """`python -m scripts.site.data_check`: one line per fault, exit 1 when there is any."""
    problems = findings()
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"data check: {len(problems)} fault(s)", file=sys.stderr)
        return 1
    print("data check: docs/_data/ and calculator/data/ are sound")
    return 0


if __name__ == "__main__":
    sys.exit(main())
