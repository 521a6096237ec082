"""The site generator: Markdown pages are Jinja2 templates over the project's data.

Prose lives in `docs/*.md`; structured content lives as data (the `calculator`
package's own data files, and `scripts/content/*.yml`); shared fragments live in
`scripts/templates/`. A page pulls data in with `{{ ... }}` and `{% include %}`.

Everything here is a plain function. The MkDocs hook (`scripts/mkdocs_hooks.py`)
calls `render_page` for each page; `python -m scripts.generate OUT_DIR` renders the
whole `docs/` tree on its own, so a site builder that ignores MkDocs hooks can take
the rendered pages.

Jinja comments are `{## … ##}` so that Markdown's `{#anchor}` stays literal.
"""

from __future__ import annotations

import argparse
import posixpath
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import yaml

from calculator import load_scale
from calculator.grading import grade_on
from calculator.numbers import format_number

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
TEMPLATES = ROOT / "scripts" / "templates"
CONTENT = ROOT / "scripts" / "content"


@dataclass(frozen=True)
class Links:
    """Paths of the calculator's browser files, relative to the site root."""

    runtime: str = ""
    lock: str = ""
    worker: str = ""
    package: str = ""
    stdlib: str = ""

    @classmethod
    def of(cls, bundle: Any) -> Links:
        """The links of a `scripts.browser_bundle.Bundle`."""
        return cls(bundle.runtime_path, bundle.lock_path, bundle.worker_path, bundle.package_name, bundle.stdlib_path)


def page_url(src_path: str) -> str:
    """The site path of a page with directory URLs: `a/b.md` → `a/b/`, `a/index.md` → `a/`."""
    stem = src_path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        stem = stem.removesuffix("index")
        return stem
    return stem + "/"


def relative(target: str, from_url: str) -> str:
    """A link from page `from_url` (a site path such as `calculator/`) to site path `target`."""
    base = from_url if from_url.endswith("/") else posixpath.dirname(from_url) + "/"
    rel = posixpath.relpath(target or ".", base.rstrip("/") or ".")
    if target.endswith("/") and not rel.endswith("/"):
        rel += "/"
    return rel


def level_rows() -> list[dict[str, Any]]:
    """The grade scale as table rows, each graded by the calculator itself."""
    scale = load_scale()
    rows = []
    upper = [level.min_score for level in scale.levels[1:]] + [None]
    for level, below in zip(scale.levels, upper, strict=True):
        assert level.min_score is not None
        result = grade_on(scale, level.min_score)
        rows.append(
            {
                "code": level.code,
                "zh": level.name.zh,
                "en": level.name.en,
                "stars": level.stars,
                "min": format_number(level.min_score),
                "below": format_number(below) if below is not None else None,
                "graded_as": result.level.code,
            }
        )
    return rows


def threshold(code: str) -> str:
    """The inclusive lower bound of a level, for prose: `{{ threshold('five_star') }}`."""
    level = load_scale().by_code(code)
    if level.min_score is None:
        raise KeyError(f"{code} has no threshold")
    return format_number(level.min_score)


@cache
def load_content(folder: Path = CONTENT) -> dict[str, Any]:
    """Every `scripts/content/NAME.yml` as `content.NAME`."""
    data: dict[str, Any] = {}
    for path in sorted(folder.glob("*.yml")):
        data[path.stem] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def make_environment(templates: Path = TEMPLATES) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        undefined=jinja2.StrictUndefined,
        comment_start_string="{##",
        comment_end_string="##}",
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["rel"] = lambda target, page: relative(str(target), str(page))
    return env


def base_context(links: Links) -> dict[str, Any]:
    """What every page can use."""
    scale = load_scale()
    return {
        "levels": level_rows(),
        "failing_level": scale.not_qualified.to_dict(),
        "scale_max": format_number(scale.maximum),
        "threshold": threshold,
        "content": load_content(),
        "links": links,
    }


def render_page(
    markdown: str,
    src_path: str,
    links: Links,
    env: jinja2.Environment | None = None,
    extra: Mapping[str, Any] | None = None,
) -> str:
    """Render one page's Markdown through Jinja2 with the site's data."""
    environment = env or make_environment()
    context = base_context(links) | {"page_url": page_url(src_path)} | dict(extra or {})
    return environment.from_string(markdown).render(context)


def render_tree(source: Path, out: Path, links: Links) -> list[Path]:
    """Render every Markdown page of `source` into `out`; other files are copied."""
    env = make_environment()
    written = []
    for path in sorted(source.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(source)
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".md":
            target.write_text(render_page(path.read_text(encoding="utf-8"), rel.as_posix(), links, env), "utf-8")
        else:
            shutil.copyfile(path, target)
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Render docs/ through the generator into OUT (no MkDocs needed).")
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    from scripts.browser_bundle import BundleError, plan

    try:
        bundle = plan()
    except BundleError as error:
        print(f"generate: {error}", file=sys.stderr)
        return 1
    links = Links.of(bundle)
    written = render_tree(DOCS, args.out, links)
    print(f"generate: {len(written)} files into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
