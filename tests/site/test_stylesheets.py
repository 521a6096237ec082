"""The joining of the site's own stylesheets (scripts/site/stylesheets.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from calculator.levels import load_scale, scale_from_data
from scripts.site import stylesheets
from scripts.site.stylesheets import combine, is_combined, versioned_path

ROOT = Path(__file__).resolve().parents[2]
SCALE_DATA: dict[str, Any] = json.loads((ROOT / "calculator" / "data" / "levels.json").read_text(encoding="utf-8"))


def test_sources_are_joined_in_order_each_named() -> None:
    css = combine([("a.css", "a { color: red; }\n\n"), ("b/c.css", "b { color: blue; }")])
    assert css == "/* a.css */\na { color: red; }\n\n/* b/c.css */\nb { color: blue; }\n\n"


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("a { color: red; }", "a { color: red; }", True),
        ("a { color: red; }", "a { color: blue; }", False),
    ],
)
def test_the_name_changes_exactly_when_the_content_does(first: str, second: str, same: bool) -> None:
    assert (versioned_path(first) == versioned_path(second)) is same
    assert is_combined(versioned_path(first))


@pytest.mark.parametrize(
    ("path", "combined"),
    [
        ("assets/stylesheets/site.0123abcd.css", True),
        ("assets/site.css", False),
        ("stylesheets/guide.css", False),
        ("assets/stylesheets/main.57a0d79d.min.css", False),
    ],
)
def test_only_the_joined_file_counts_as_joined(path: str, combined: bool) -> None:
    assert is_combined(path) is combined


def test_level_colours_come_from_the_levels_data() -> None:
    """Adding a level is a data edit: its band colour is in levels.json, not in a stylesheet."""
    scale = scale_from_data(
        {
            "scale_max": 100,
            "not_qualified": {"code": "nq", "zh": "不合格", "en": "Not qualified", "stars": 0, "colour": "#aa0000"},
            "levels": [
                {"code": "ok", "zh": "达标", "en": "OK", "min_score": 60, "stars": 0, "colour": "#00aa00"},
                {"code": "six_star", "zh": "六星", "en": "Six", "min_score": 99, "stars": 6},
            ],
        }
    )
    assert stylesheets.level_bands(scale) == ".gc-band--nq { fill: #aa0000; }\n.gc-band--ok { fill: #00aa00; }\n"
    shipped = stylesheets.level_bands(load_scale())
    assert all(f".gc-band--{level.code} {{" in shipped for level in (load_scale().not_qualified, *load_scale().levels))
    with pytest.raises(ValueError, match="colour"):
        scale_from_data({**SCALE_DATA, "not_qualified": {**SCALE_DATA["not_qualified"], "colour": "red;}"}})


def test_the_built_stylesheet_holds_the_band_colours(built_site: Path) -> None:
    (sheet,) = (built_site / "assets" / "stylesheets").glob("site.*.css")
    css = sheet.read_text(encoding="utf-8")
    assert stylesheets.level_bands(load_scale()) in css
    assert ".gc-band--" not in (ROOT / "docs" / "assets" / "calculator" / "calculator.css").read_text(encoding="utf-8")
