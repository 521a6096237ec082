"""The site generator: Markdown pages are Jinja2 templates over the project's data.

Prose lives in `docs/*.md`; structured content lives as data (the `calculator`
package's own data files, and `docs/_data/*.yml`); shared fragments live in
`scripts/site/templates/`. A page pulls data in with `{{ ... }}` and `{% include %}`.

Everything here is a plain function. The MkDocs hook (`scripts/site/hooks.py`)
calls `render_page` for each page; `python -m scripts.site.generate OUT_DIR` renders the
whole `docs/` tree on its own, so a site builder that ignores MkDocs hooks can take
the rendered pages.

Jinja comments are `{## … ##}` so that Markdown's `{#anchor}` stays literal.
"""

from __future__ import annotations

import argparse
import posixpath
import shutil
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import yaml

from calculator import load_profile, load_scale, profile_names
from calculator.assessment import grade_total
from calculator.browser import form_layout
from calculator.numbers import format_number
from calculator.rules import load_rules
from scripts.site import prepare
from scripts.site.modules import imported

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
# The calculator's glue: loaded by assets/calculator/load.mjs only on a page with the widget.
GLUE = "assets/calculator/calculator.mjs"
TEMPLATES = ROOT / "scripts" / "site" / "templates"
CONTENT = ROOT / "docs" / "_data"


@dataclass(frozen=True)
class Links:
    """Paths of the calculator's browser files, relative to the site root."""

    runtime: str = ""
    lock: str = ""
    worker: str = ""
    package: str = ""
    stdlib: str = ""
    stdlib_rest: str = ""
    fetch_bytes: int = 0

    @classmethod
    def of(cls, bundle: Any) -> Links:
        """The links of a `scripts.pyodide.bundle.Bundle`."""
        return cls(
            bundle.runtime_path,
            bundle.lock_path,
            bundle.worker_path,
            bundle.package_name,
            bundle.stdlib_path,
            bundle.stdlib_rest_path,
            bundle.fetch_bytes,
        )


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
        result = grade_total(level.min_score, scale=scale)
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


def worked_example(
    applicable: int, obtained: int, special_deductions: int = 0, special_bonus: bool = False
) -> dict[str, Any]:
    """A worked example for prose, graded by the calculator: `{% set ex = worked_example(88, 77, 2) %}`.

    Pages show these numbers; they never compare a score with a threshold themselves.
    """
    scale = load_scale()
    converted = Fraction(obtained, applicable) * scale.maximum
    result = grade_total(converted, special_deductions, special_bonus)
    return {
        "applicable": applicable,
        "obtained": obtained,
        "special_deductions": special_deductions,
        "special_bonus": special_bonus,
        "converted": format_number(converted),
        "final": format_number(result.score),
        "deducted": format_number(converted - result.score) if not special_bonus else None,
        "level": {"code": result.level.code, "zh": result.level.name.zh, "en": result.level.name.en},
        "failed": result.level.code == scale.not_qualified.code,
    }


class Content(Mapping[str, Any]):
    """`docs/_data/NAME.yml` as `content.NAME`, each file read when a page first uses it.

    A broken file then fails the pages that use it, with its name, not every page.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.loaded: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self.loaded:
            path = self.folder / f"{name}.yml"
            if not path.is_file():
                raise KeyError(name)
            try:
                self.loaded[name] = yaml.safe_load(path.read_text(encoding="utf-8"))
            except yaml.YAMLError as error:
                raise ValueError(f"{path.relative_to(ROOT)}: {error}") from None
        return self.loaded[name]

    def __getattr__(self, name: str) -> Any:  # Jinja looks names up as attributes first
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(path.stem for path in self.folder.glob("*.yml")))

    def __len__(self) -> int:
        return len(list(self.folder.glob("*.yml")))


@cache
def load_content(folder: Path = CONTENT) -> Content:
    """The structured content (cached; `cache_clear()` re-reads edited files)."""
    return Content(folder)


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
    env.filters["fill"] = fill
    env.filters["plural"] = plural
    return env


def plural(count: object, noun: str) -> str:
    """An English count with its noun: "1 point", "2 points", "0.5 points" (English pages only)."""
    return f"{count} {noun}" if str(count) == "1" else f"{count} {noun}s"


def _plain(value: Fraction) -> int | float:
    """A data number for templates that compute with it (whole numbers stay ints)."""
    return int(value) if value.denominator == 1 else float(value)


def rules_context() -> dict[str, Any]:
    """The special-item rules and the calculator's assumptions, for prose and lists."""
    rules = load_rules()
    return {
        # the rule numbers as numbers, for templates that compute with them
        "numbers": {
            "deduction_points": _plain(rules.deduction_points),
            "fail_at_deductions": rules.fail_at_deductions,
            "bonus_points": _plain(rules.bonus_points),
            "bonus_max": rules.bonus_max,
        },
        "confidence": rules.confidence,
        "deduction_points": format_number(rules.deduction_points),
        "fail_at_deductions": rules.fail_at_deductions,
        "bonus_points": format_number(rules.bonus_points),
        "bonus_max": rules.bonus_max,
        "assumptions": [message.to_dict() for message in rules.assumptions],
        "sources": list(rules.sources),
    }


CHINESE_COUNTS = "零一两三四五六七八九十"  # 两个 (not 二个) before a measure word
ENGLISH_COUNTS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _series(items: list[str], lang: str) -> str:
    """Items joined as each language lists them: 甲、乙和丙; a, b and c."""
    if len(items) < 2:
        return "".join(items)
    return PUNCTUATION[lang]["list"].join(items[:-1]) + PUNCTUATION[lang]["last"] + items[-1]


def level_prose() -> dict[str, str]:
    """The grade scale as prose names it, from levels.json, in both languages: how many levels
    (`level_count_zh` 四, `level_count_en` four), their names in order (`level_names_*`), each with
    its threshold (`levels_from_*`), and the lowest passing level (`pass_level_*`, `pass_mark`).
    Adding, removing or renaming a level in the data changes every sentence that uses these."""
    levels = [(level, level.min_score) for level in load_scale().levels if level.min_score is not None]
    count = len(levels)
    shown = [format_number(mark) for _, mark in levels]
    values = {
        "level_count_zh": CHINESE_COUNTS[count] if count < len(CHINESE_COUNTS) else str(count),
        "level_count_en": ENGLISH_COUNTS[count] if count < len(ENGLISH_COUNTS) else str(count),
        "pass_mark": shown[0],
    }
    for lang in LANGUAGES:
        names = [level.name.zh if lang == "zh" else level.name.en.lower() for level, _ in levels]
        values[f"level_names_{lang}"] = _series(names, lang)
        values[f"pass_level_{lang}"] = names[0]
        values[f"levels_from_{lang}"] = _series(
            [f"{name}（{mark} 分起）" if lang == "zh" else f"{name} (from {mark})" for name, mark in zip(names, shown, strict=True)],
            lang,
        )
    return values


def placeholders() -> dict[str, str]:
    """The values a text in the content data may name as `{{ name }}`: each level's threshold
    (by its code), `scale_max`, the rule numbers, all as the pages print them, and the scale's
    names in prose (`level_prose`)."""
    scale = load_scale()
    rules = rules_context()
    values = {level.code: format_number(level.min_score) for level in scale.levels if level.min_score is not None}
    values["scale_max"] = format_number(scale.maximum)
    values |= {name: str(value) for name, value in rules["numbers"].items()}
    values |= level_prose()
    return values


_PLACEHOLDERS = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)


def fill(text: str) -> str:
    """A content text with its `{{ name }}` placeholders filled (an unknown name is an error).

    Content data and pages share one placeholder syntax: the data's texts are small templates
    that may name only the values of `placeholders()`.
    """
    if "{" not in text:
        return text
    return _PLACEHOLDERS.from_string(text).render(placeholders())


def base_context(links: Links) -> dict[str, Any]:
    """What every page can use."""
    scale = load_scale()
    profiles = {name: load_profile(name).to_dict() for name in profile_names()}
    return {
        "profiles": profiles,
        "calculator_form": form_layout,  # the calculator widget's fields, labels and mode names
        "rules": rules_context(),
        "levels": level_rows(),
        "failing_level": scale.not_qualified.to_dict(),
        "scale_max": format_number(scale.maximum),
        "threshold": threshold,
        "prose": placeholders(),  # the same values content data names as {{ name }}, for pages
        "worked_example": worked_example,
        "content": load_content(),
        "links": links,
        # the glue and its static imports, preloaded by the widget (site paths)
        "glue_modules": lambda: [GLUE, *imported(DOCS, [GLUE], dynamic=False)],
        # the preparation guide: fee ranges added up in Python, the evidence checklist by indicator
        "cost_plan": lambda: prepare.cost_plan(
            load_content()["prepare_costs"], load_content()["process"]["validity"]["years"]
        ),
        "evidence_groups": prepare.evidence_groups,
        "readiness_entry": readiness_entry,
    }


SECONDS_PER_QUESTION = 15  # a reader's pace through the readiness check, an estimate the page states


def readiness_entry() -> dict[str, int]:
    """How many questions the readiness check asks (the package's checklist) and about how long it takes."""
    from calculator.readiness import load_model

    count = len(load_model().items)
    return {"count": count, "minutes": max(1, round(count * SECONDS_PER_QUESTION / 60))}


LANGUAGES = ("zh", "en")
# Punctuation that differs between the editions (words live in docs/_data/ui.yml).
PUNCTUATION = {
    "zh": {"list": "、", "last": "和", "stop": "。", "colon": "：", "clause_open": "（"},
    "en": {"list": ", ", "last": " and ", "stop": ".", "colon": ": ", "clause_open": " (clause "},
}


def page_language(src_path: str) -> str:
    """The language of a source page: `page.en.md` is English, everything else Chinese."""
    stem = Path(src_path).name.rsplit(".", 1)[0]
    suffix = stem.rsplit(".", 1)[-1] if "." in stem else ""
    return suffix if suffix in LANGUAGES else "zh"


def render_page(
    markdown: str,
    src_path: str,
    links: Links,
    env: jinja2.Environment | None = None,
    extra: Mapping[str, Any] | None = None,
) -> str:
    """Render one page's Markdown through Jinja2 with the site's data."""
    environment = env or make_environment()
    context = base_context(links) | {
        "page_url": page_url(src_path),
        "lang": page_language(src_path),
        "punct": PUNCTUATION,
    }
    context |= dict(extra or {})
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
    from scripts.pyodide.bundle import BundleError, plan

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
