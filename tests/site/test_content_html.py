"""The build-time rewrites of a page's content HTML (scripts/site/content_html.py), case by case."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.site.content_html import first_abbreviations_only, wrap_tables

WRAP = '<div class="md-typeset__scrollwrap"><div class="md-typeset__table"><table class="guide-table">'

TABLES = [
    ("<p>x</p>", "<p>x</p>"),
    ("<table>\n<tr><td>1</td></tr>\n</table>", WRAP + "\n<tr><td>1</td></tr>\n</table></div></div>"),
    (
        "<table><tr><td>a</td></tr></table><p>b</p><table><tr><td>c</td></tr></table>",
        WRAP + "<tr><td>a</td></tr></table></div></div><p>b</p>" + WRAP + "<tr><td>c</td></tr></table></div></div>",
    ),
    (
        '<table class="highlighttable"><tr><td>1</td></tr></table>',
        '<table class="highlighttable"><tr><td>1</td></tr></table>',
    ),
    ("<pre><code>&lt;table&gt;</code></pre>", "<pre><code>&lt;table&gt;</code></pre>"),
]


@pytest.mark.parametrize(("html", "expected"), TABLES)
def test_wrap_tables(html: str, expected: str) -> None:
    assert wrap_tables(html) == expected


ABBREVIATIONS = [
    ("GB/T", "GB/T"),
    (
        '<abbr title="a">GB/T</abbr> 1 <abbr title="a">GB/T</abbr> 2 <abbr title="b">SB/T</abbr> <abbr title="a">GB/T</abbr>',
        '<abbr title="a">GB/T</abbr> 1 GB/T 2 <abbr title="b">SB/T</abbr> GB/T',
    ),
    (
        '<td><abbr title="a">SAC</abbr></td><td><abbr title="a">SAC</abbr></td>',
        '<td><abbr title="a">SAC</abbr></td><td>SAC</td>',
    ),
]


@pytest.mark.parametrize(("html", "expected"), ABBREVIATIONS)
def test_first_abbreviations_only(html: str, expected: str) -> None:
    assert first_abbreviations_only(html) == expected


def test_the_built_pages_carry_both_rewrites(built_site: Path) -> None:
    html = (built_site / "standard" / "index.html").read_text(encoding="utf-8")
    article = html[html.index("<article") : html.index("</article>")]
    assert "<table>" not in article
    assert article.count(WRAP) >= 5
    assert article.count(">GB/T</abbr>") == 1
