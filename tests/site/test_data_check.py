"""A fault in the data is named by file, entry and field, in one line, before any page renders
(issue 30: "faq.md: UndefinedError: 'dict object' has no attribute 'sources'")."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from mkdocs.exceptions import PluginError

from scripts.site import data_check, hooks
from scripts.tools import check_sources

ROOT = Path(__file__).resolve().parents[2]


def _replace(name: str, old: str, new: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        path = root / name
        text = path.read_text(encoding="utf-8")
        assert old in text, (name, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return change


FAULTS: list[tuple[str, Callable[[Path], None], str]] = [
    (
        "an entry without sources",
        _replace("docs/_data/faq.yml", "    sources: [crowncert-en, pnyh-frame, ccats-levels]\n", ""),
        'docs/_data/faq.yml: items[0] (id "mandatory"): sources: missing',
    ),
    (
        "an unknown source id",
        _replace("docs/_data/faq.yml", "sources: [crowncert-en, pnyh", "sources: [crowncert-enn, pnyh"),
        'docs/_data/faq.yml: items[0] (id "mandatory"): sources: unknown source id "crowncert-enn"',
    ),
    (
        "a trailing comma in levels.json",
        _replace("calculator/data/levels.json", "}\n  ]", "},\n  ]"),  # after the last level
        "calculator/data/levels.json: line 1",  # where the comma is, by this Python json module
    ),
    (
        "broken YAML",
        _replace("docs/_data/glossary.yml", "terms:", "terms: [\n"),
        "docs/_data/glossary.yml: line",
    ),
    (
        "a text without its English",
        _replace("docs/_data/faq.yml", ', en: "Is the certification mandatory?"}', "}"),
        'docs/_data/faq.yml: items[0].q: en: missing (every text has Chinese and English)',
    ),
    (
        "an English text cut at an unquoted comma",
        _replace("docs/_data/ui.yml", 'en: "Without it, you can judge', "en: Without it, you can judge"),
        "docs/_data/ui.yml: widget.noscript_text: you can judge the grade yourself from th: a text cut",
    ),
    (
        "one fact rated two ways",
        _replace("docs/_data/faq.yml", "    confidence: medium\n    fact: fail-rule", "    confidence: low\n    fact: fail-rule"),
        'docs/_data/faq.yml: items[5] (id "fail"): confidence: "low" differs between the entries of fact "fail-rule"',
    ),
    (
        "a source with an address that names no phrases and says not why",
        _replace("docs/_data/sources.yml", '    phrases: ["CNLPQP_ASSC_01", "正审第二阶段", "证书有效期为3年"]\n', ""),
        'docs/_data/sources.yml: sources[0] (id "sgs-process"): phrases: missing',
    ),
    (
        "an unknown confidence",
        _replace("docs/_data/faq.yml", "    confidence: medium-high\n", "    confidence: sure\n"),
        'docs/_data/faq.yml: items[0] (id "mandatory"): confidence: "sure" is not one of',
    ),
]


@pytest.fixture()
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The repository's data folders, copied, with data_check's paths pointing at the copies."""
    for folder in ("docs/_data", "calculator/data"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    monkeypatch.setattr(data_check, "ROOT", tmp_path)
    monkeypatch.setattr(data_check, "CONTENT", tmp_path / "docs" / "_data")
    monkeypatch.setattr(data_check, "DATA", tmp_path / "calculator" / "data")
    return tmp_path


def test_the_real_data_is_sound() -> None:
    assert [str(problem) for problem in data_check.findings()] == []


@pytest.mark.parametrize(("what", "change", "expected"), FAULTS, ids=[fault[0] for fault in FAULTS])
def test_each_fault_is_one_line_naming_file_entry_and_field(
    data_copy: Path, what: str, change: Callable[[Path], None], expected: str
) -> None:
    change(data_copy)
    lines = [str(problem) for problem in data_check.findings()]
    assert any(line.startswith(expected) for line in lines), lines
    assert all("\n" not in line for line in lines)


def test_the_build_stops_before_any_page_with_those_lines(data_copy: Path) -> None:
    FAULTS[0][1](data_copy)
    FAULTS[2][1](data_copy)
    config: dict[str, Any] = {}  # never reached: the check comes first
    with pytest.raises(PluginError) as raised:
        hooks.on_config(config)
    message = str(raised.value)
    assert "2 fault(s)" in message
    assert 'docs/_data/faq.yml: items[0] (id "mandatory"): sources: missing' in message
    assert "calculator/data/levels.json: line 1" in message and "not valid JSON" in message
    assert "UndefinedError" not in message and ".md" not in message


def test_the_command_says_sound_or_lists_the_faults(data_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert data_check.main([]) == 0
    FAULTS[1][1](data_copy)
    assert data_check.main([]) == 1
    assert 'unknown source id "crowncert-enn"' in capsys.readouterr().err


def test_the_build_says_in_one_line_when_sources_are_due_for_a_check(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(hooks, "_said_stale", False)
    monkeypatch.setattr(check_sources, "stale", lambda sources, today: ["old-a", "old-b"])
    with caplog.at_level("INFO", logger="mkdocs.hooks.publish"):
        hooks._check_data()
        hooks._check_data()  # the English edition's build: said once
    said = [record.getMessage() for record in caplog.records if "last checked" in record.getMessage()]
    assert said == ["2 source(s) last checked over 12 months ago: run make check-sources on a connected machine"]
