"""The joining of the site's own stylesheets (scripts/site/stylesheets.py)."""

from __future__ import annotations

import pytest

from scripts.site.stylesheets import combine, is_combined, versioned_path


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
