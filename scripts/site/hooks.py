"""MkDocs hooks: the thin bridge between `mkdocs build` and the plain generator functions.

- `on_startup`: note whether this is `mkdocs serve` (its reload script is inline, so the live
  server's pages carry no Content-Security-Policy).
- `on_config`: forget every cached reading of the data (so `mkdocs serve` shows edits), build the
  calculator wheel and its lockfile (cached), once per build. Without `SITE_URL` (the site's
  public address) it says so once, and leaves the sitemap out: a sitemap needs absolute URLs.
- `on_files`: add the Pyodide runtime, the wheel, the lockfile and the browser glue, and join
  the site's own stylesheets into one (`scripts/site/stylesheets.py`).
- `on_page_markdown`: render each page through the generator (Jinja2 over the data).
- `on_page_content`: do at build time what the theme's script would redo in the browser
  (`scripts/site/content_html.py`).
- `on_post_build`: put the Content-Security-Policy into every page (`scripts/site/hosting.py`,
  with the hashes of the site's inline scripts), write the calculator's service worker
  (`scripts/site/service_worker.py`), then brotli and gzip twins of compressible files
  (`scripts/site/precompress.py`); the twins are skipped when `PRECOMPRESS=0` (the live-reload
  server sets it).

Nothing here holds rules or content; see `scripts/site/generate.py` and `scripts/pyodide/bundle.py`.
"""

from __future__ import annotations

import datetime
import logging
import os
import re
import sys
import time
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # MkDocs loads hooks by path, not as part of a package
    sys.path.insert(0, str(ROOT))

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402
from mkdocs.structure.files import File, Files  # noqa: E402

import calculator  # noqa: E402
from calculator.caches import clear_data_caches  # noqa: E402
from calculator.levels import load_scale  # noqa: E402
from scripts.pyodide.bundle import RUNTIME_FILES, Bundle, BundleError, plan  # noqa: E402
from scripts.site import calculator_start, content_html, data_check, generate, hosting, service_worker, stylesheets  # noqa: E402
from scripts.site.precompress import precompress  # noqa: E402
from scripts.tools import atomic, check_sources  # noqa: E402

_bundle: Bundle | None = None
_stylesheets: list[str] = []  # `extra_css` as mkdocs.yml lists it
_serving = False  # `mkdocs serve`
_said_no_address = False
_said_stale = False
log = logging.getLogger("mkdocs.hooks.publish")


class _InstantSwitcherWarning(logging.Filter):
    """Drop mkdocs-static-i18n's blanket warning about `navigation.instant`.

    The plugin warns whenever instant navigation is on, because the switcher's links in the
    header are not swapped by instant navigation. Material itself resolves a switcher click to
    the same page in the other language (through the sitemap), which the e2e tests check, so
    the warning would only abort the strict build.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return "not compatible with theme.features = navigation.instant" not in record.getMessage()


logging.getLogger("mkdocs.plugins.mkdocs_static_i18n").addFilter(_InstantSwitcherWarning())
logging.getLogger("mkdocs.plugins.mkdocs_static_i18n.reconfigure").addFilter(_InstantSwitcherWarning())


def on_startup(command: str, dirty: bool) -> None:
    global _serving
    _serving = command == "serve"


def on_config(config: Any) -> Any:
    global _bundle, _stylesheets
    # `mkdocs serve` re-reads edited data: every loader of calculator/data/ and docs/_data/.
    clear_data_caches()
    generate.load_content.cache_clear()
    _check_data()
    _site_address(config)
    _footer(config)
    # The English edition's build may see the config after on_files replaced the list.
    sources = [str(path) for path in config["extra_css"] if not stylesheets.is_combined(str(path))]
    if sources:
        _stylesheets = sources
    try:
        _bundle = plan(ROOT)
    except BundleError as error:
        raise PluginError(str(error)) from None
    return config


def _check_data() -> None:
    """Faults in the data, named by file, entry and field, before any page can trip on them; and
    one line (not a failure) when sources are due for `make check-sources`."""
    global _said_stale
    problems = data_check.findings()
    if problems:
        lines = "\n".join(f"  {problem}" for problem in problems)
        raise PluginError(f"the site's data has {len(problems)} fault(s):\n{lines}")
    old = check_sources.stale(generate.load_content()["sources"]["sources"], datetime.date.today())
    if old and not _said_stale:
        _said_stale = True
        log.info(f"{len(old)} source(s) last checked over 12 months ago: run make check-sources on a connected machine")


def _footer(config: Any, lang: str = "zh") -> None:
    """The footer's words in a language, with the package's version (ui.yml: footer). Set for the
    Chinese edition here, and for each page by its own language (`on_page_context`)."""
    config["copyright"] = generate.load_content()["ui"]["footer"][lang].replace("{version}", calculator.__version__)


def on_page_context(context: Any, page: Any, config: Any, nav: Any) -> Any:
    _footer(config, generate.page_language(page.file.src_uri))
    return context


def _site_address(config: Any) -> None:
    """Without a public address, no page may name a host: no canonical links and no sitemap.

    MkDocs writes `<link rel="canonical">` only when `site_url` is set; its sitemap would list
    `None/…` URLs, so it is not built. Material's instant navigation asks every page for the
    sitemap and, without one, logs a failed request and leaves links to the browser anyway: it
    is turned off, so links are plain page loads with no failed request (the e2e tests check).
    """
    global _said_no_address
    if config.get("site_url"):
        return
    config["site_url"] = None
    config["theme"].static_templates.discard("sitemap.xml")
    features = config["theme"]["features"]
    features[:] = [name for name in features if not name.startswith("navigation.instant")]
    if not _said_no_address:
        _said_no_address = True
        log.info(
            "SITE_URL is not set: the site is built without canonical links or sitemap "
            "(set it to the public address, e.g. SITE_URL=https://example.org/guide/)."
        )


def on_files(files: Files, config: Any) -> Files:
    if not config.get("site_url"):  # not a template any more: the theme would copy it raw
        sitemap = files.get_file_from_path("sitemap.xml")
        if sitemap is not None:
            files.remove(sitemap)
    if _bundle is None:
        return files
    for site_path, source in _bundle.files.items():
        files.append(File.generated(config, site_path, abs_src_path=str(source)))
    _combine_stylesheets(files, config)
    return files


def _combine_stylesheets(files: Files, config: Any) -> None:
    """Publish `extra_css` as one versioned file, and link that instead of the sources."""
    if not _stylesheets:
        return
    parts = []
    for path in _stylesheets:
        source = files.get_file_from_path(path)
        if source is None:
            raise PluginError(f"extra_css names {path}, which is not a file of the site")
        parts.append((path, source.content_string))
        files.remove(source)
    parts.append(("calculator/data/levels.json", stylesheets.level_bands(load_scale())))  # the bands' colours
    css = stylesheets.combine(parts)
    target = stylesheets.versioned_path(css)
    # Written to a file: mkdocs-static-i18n expects every file of the site to have a source path.
    # Named by its content and written whole, so a build beside this one (`make dev` and `make
    # build`) never copies our bytes under its name; old versions are pruned once nobody can be
    # using them.
    written = ROOT / ".cache" / "stylesheets" / PurePosixPath(target).name
    atomic.write_text(written, css)
    _prune_old(written)
    files.append(File.generated(config, target, abs_src_path=str(written)))
    config["extra_css"] = [target]


STALE_CACHE_SECONDS = 3600  # a stylesheet copy older than any build in progress


def _prune_old(kept: Path) -> None:
    for other in kept.parent.glob("*.css"):
        if other != kept and time.time() - other.stat().st_mtime > STALE_CACHE_SECONDS:
            other.unlink(missing_ok=True)


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    if _bundle is None:
        return markdown
    links = generate.Links.of(_bundle)
    try:
        return generate.render_page(markdown, page.file.src_uri, links, extra={"page_url": page.url})
    except Exception as error:  # a template error names the page, not a Jinja traceback
        raise PluginError(f"{page.file.src_uri}: {type(error).__name__}: {error}") from None


def on_page_content(html: str, page: Any, config: Any, files: Files) -> str:
    return content_html.rewrite(html)


_PERMALINK_ZH, _PERMALINK_EN = "链接到本节", "Link to this section"
_ALTERNATE_LINK = re.compile(r'<link rel="alternate" href="[^"]*" hreflang="[^"]*">\n?')
_CANONICAL_LINK = re.compile(r'<link rel="canonical" href="(?P<url>[^"]*)">')
_THEME_BUNDLE = re.compile(r'(<script src="[^"]*assets/javascripts/bundle\.[0-9a-f]+\.min\.js")></script>')


def on_post_page(output: str, page: Any, config: Any) -> str:
    """Fixes to the theme's page, each a single tag.

    - Drop the `<link rel="alternate">` tags of the language switcher. mkdocs-static-i18n
      makes them point at the same page in the other language, but Material fetches
      `sitemap.xml` relative to each of them (expecting a language root), which gives a 404 on
      every page. The switcher's own links in the header stay, and lead to the same page.
    - Load Material's bundle with `defer`. It sits at the end of the body and runs after the
      page is parsed either way, but as a blocking script it held the first paint back until
      it had arrived and run; deferred, it still runs before our deferred
      and module scripts, in document order.
    - With `SITE_URL` set, `<meta property="og:url">` beside the canonical link (link previews).
    - On the calculator page, the script that starts its Python worker, first in the head
      (`scripts/site/calculator_start.py`).
    """
    output = _ALTERNATE_LINK.sub("", output)
    if generate.page_language(page.file.src_uri) == "en":  # mkdocs.yml's toc title is the Chinese edition's
        output = output.replace(f'title="{_PERMALINK_ZH}"', f'title="{_PERMALINK_EN}"')
    if page.canonical_url:  # the same address for link previews (only with SITE_URL set)
        output = _CANONICAL_LINK.sub(
            lambda match: f'{match[0]}\n    <meta property="og:url" content="{match["url"]}">', output, count=1
        )
    try:
        output = calculator_start.insert(output)
    except ValueError as error:
        raise PluginError(f"{page.file.src_uri}: {error}") from None
    return _defer_theme_bundle(output)


def _defer_theme_bundle(output: str) -> str:
    return _THEME_BUNDLE.sub(r"\1 defer></script>", output, count=1)


NOT_FOUND = "404.html"
_not_found_zh: str | None = None  # the Chinese edition's 404 page, rendered first
_SWITCHER_LINK = re.compile(r'<a href="[^"]*" hreflang="(zh|en)" class="md-select__link">')


def _edition_language(config: Any) -> str:
    return "en" if str(config["theme"]["language"]).startswith("en") else "zh"


def on_pre_template(template: Any, template_name: str, config: Any) -> Any:
    if template_name == NOT_FOUND:
        _footer(config, _edition_language(config))
    return template


def on_post_template(output: str, template_name: str, config: Any) -> str:
    """The 404 page is a static template, not a page: its theme bundle is deferred here, and each
    edition gets its own (`_not_found`)."""
    if template_name == NOT_FOUND:
        return _not_found(_defer_theme_bundle(output), config)
    return _defer_theme_bundle(output) if template_name.endswith(".html") else output


def _not_found(output: str, config: Any) -> str:
    """The root 404 page in Chinese, the English one at en/404.html.

    mkdocs-static-i18n builds the English edition into the same folder after the Chinese one, and
    its 404 page overwrote the Chinese one at the root. That page's language switch also led to
    whichever page was built last: each edition's home now. Neither names a page that is not there.
    """
    global _not_found_zh
    lang = _edition_language(config)
    base = urlsplit(config.get("site_url") or "/").path
    output = _ALTERNATE_LINK.sub("", output)
    output = _SWITCHER_LINK.sub(
        lambda match: match[0].replace(
            match[0].split('"')[1], base + ("en/" if match[1] == "en" else "")
        ),
        output,
    )
    words = generate.load_content()["ui"]["not_found"]
    home = base + ("en/" if lang == "en" else "")
    output = output.replace(
        "<h1>404 - Not found</h1>",
        f'<h1>{words["title"][lang]}</h1>\n<p>{words["text"][lang]}<a href="{home}">{words["home"][lang]}</a></p>',
    )
    if lang == "zh":
        _not_found_zh = output
        return output
    english = Path(config["site_dir"]) / "en" / NOT_FOUND
    english.parent.mkdir(parents=True, exist_ok=True)
    english.write_text(output, encoding="utf-8")
    return _not_found_zh if _not_found_zh is not None else output


CALCULATOR_PAGE = "calculator/index.html"
# The English calculator page. mkdocs-static-i18n builds the English edition in a second build
# into the same site folder; this hook runs again at its end, when both pages exist, and the
# worker then precaches what both need (the runtime is shared, so only the pages differ).
CALCULATOR_PAGES = (CALCULATOR_PAGE, "en/" + CALCULATOR_PAGE)


# After mkdocs-static-i18n's on_post_build (priority -100), which builds the English edition and
# then rewrites the shared search index: the worker and the compressed twins see the final site.
@event_priority(-110)
def on_post_build(config: Any) -> None:
    site = Path(config["site_dir"])
    if not _serving:  # before the service worker, which versions the pages by their bytes
        hosting.apply_page_policy(site)
    if _bundle is not None and (site / CALCULATOR_PAGE).exists():
        try:
            pages = [page for page in CALCULATOR_PAGES if (site / page).exists()]
            service_worker.write(site, pages, list(RUNTIME_FILES))
        except FileNotFoundError as error:
            raise PluginError(str(error)) from None
    if os.environ.get("PRECOMPRESS", "1") == "0":
        return
    precompress(site)
