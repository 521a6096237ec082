"""Build-time rewrites of a page's content HTML that spare the theme work in the browser.

Material for MkDocs adjusts the content once the page has loaded. On the long pages
(`standard/`, `sources/`) two of its adjustments made the browser style and lay out the
whole article again, and Lighthouse's total blocking time there was about twice that of
the other pages. Both are done here, once, at build time:

- `wrap_tables`: Material takes every class-less `<table>` out of the page and puts it
  back inside its horizontal-scroll wrapper, after the first layout. The wrapper is
  written here instead, and the table gets the class `guide-table`, which Material's script
  leaves alone (it looks for `table:not([class])`); `docs/stylesheets/guide.css` gives
  such tables the look of the theme's data tables.
- `first_abbreviations_only`: Python-Markdown's `abbr` extension marks every occurrence
  of an abbreviation (41 times GB/T on one page), and Material mounts a tooltip on each.
  An abbreviation is explained where it first appears on the page; later occurrences are
  plain text (the glossary has every definition).
"""

from __future__ import annotations

import re

TABLE_CLASS = "guide-table"
_BARE_TABLE = re.compile(r"<table>(.*?)</table>", re.DOTALL)
_ABBR = re.compile(r'<abbr title="[^"]*">([^<]*)</abbr>')


def wrap_tables(html: str) -> str:
    """Every `<table>` without attributes, inside the theme's scroll wrapper and marked as done."""
    return _BARE_TABLE.sub(
        rf'<div class="md-typeset__scrollwrap"><div class="md-typeset__table"><table class="{TABLE_CLASS}">\1</table></div></div>',
        html,
    )


def first_abbreviations_only(html: str) -> str:
    """Keep the `<abbr>` of each abbreviation's first occurrence; later ones become its text."""
    seen: set[str] = set()

    def keep_first(match: re.Match[str]) -> str:
        text = match.group(1)
        if text in seen:
            return text
        seen.add(text)
        return match.group(0)

    return _ABBR.sub(keep_first, html)


def rewrite(html: str) -> str:
    """Both rewrites, as the MkDocs hook applies them to each page's content."""
    return first_abbreviations_only(wrap_tables(html))
