"""One source of truth: the guide never types the grade thresholds or the group points itself.

Thresholds come from calculator/data/levels.json ({{ threshold(...) }}, {{ levels }}, the grade
table include, [[code]] placeholders in the content data); first-level group points come from the
calculator's profiles. A number typed next to 分 or ≥ in the guide's sources is a copy that can
drift from the data.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from content_helpers import ROOT, guide_files

THRESHOLDS = "70|80|90|95"
GROUP_POINTS = "40|35|25"
PATTERNS = [
    re.compile(rf"(?<![\d.])({THRESHOLDS})\s*分"),
    re.compile(rf"[≥＞>]=?\s*({THRESHOLDS})(?![\d.])"),
    re.compile(rf"(?<![\d.])({THRESHOLDS})\s*(points?|pts)\b", re.IGNORECASE),
    re.compile(rf"(?<![\d.])({GROUP_POINTS})\s*分"),
    re.compile(rf"(?<![\d.])({GROUP_POINTS})\s*/\s*({GROUP_POINTS})"),
]
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{##.*?##\}", re.DOTALL)


def offending(text: str) -> list[str]:
    bare = JINJA.sub(" ", text)
    return [m.group(0) for pattern in PATTERNS for m in pattern.finditer(bare)]


@pytest.mark.parametrize("path", guide_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_threshold_or_group_points_typed_literally(path: Path) -> None:
    assert offending(path.read_text(encoding="utf-8")) == []


def test_the_check_catches_literals() -> None:
    assert offending("五星级要求 95 分以上") == ["95 分"]
    assert offending("得分≥90") == ["≥90"]
    assert offending("分值 40/35/25") == ["40/35"]
    assert offending("{{ threshold('five_star') }} 分，2025 年，10%") == []
