"""What a reader of the built site sees, checked page by page (`make check`, `make test`).

    python -m scripts.tools.rendered_check SITE_DIR     one line per finding; exit 1 if any

Every built HTML page of both editions, the 404 pages included, is read as a reader gets it:
its visible text (everything but scripts, styles and templates; text in panels the calculator
shows later counts, since a reader sees it then) and its links. Six rules:

- **template syntax**: `{#`, `#}`, `{{`, `}}`, `{%`, `%}` in visible text is a template that
  was printed instead of run (the calculator page once showed two `{#- … #}` comments);
- **raw Markdown**: `**x`, `](`, `!!! ` or `{: .` in visible text is Markdown that was not
  converted;
- **links**: every link to this site resolves to a built file, and every `#anchor` to an id on
  that page (the calculator's own fragment, `#mode=readiness`, holds form values, not an id);
- **English mechanics** (English pages): no "1 points", no level name capitalised inside a
  sentence ("the result is Not qualified"), no Chinese list comma (、), one name per term (`TERMS`);
- **twins**: an English page has as many paragraphs, list items, headings, table rows and
  disclosures in its article as its Chinese twin (a sentence left out of one edition shows as a
  missing paragraph);
- **untranslated sentences**: an English page (under `en/`) with a run of Chinese, or a
  Chinese page with a run of English, that reads as a sentence. Quoted and bracketed terms
  (`《…》`, `“…”`, `(…)`, `（…）`), web addresses, code, and any element marked with the other language
  (`lang="zh"` / `lang="en"`, which also tells a screen reader how to read it) are exempt: that
  is how a page cites a title or names a term in the other language. A Chinese run counts from
  three Han characters (a language's own name in the switcher is shorter); an English run from
  four words in a row.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

TEMPLATE = re.compile(r"\{[#%{]|[#%}]\}")
MARKDOWN = re.compile(r"\*\*\S|\]\(|!!! |\{: \.")
HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CHINESE_RUN = re.compile(rf"[{HAN}][{HAN}，、；：。？！·\d]*[{HAN}]")
ENGLISH_RUN = re.compile(r"[A-Za-z][A-Za-z'’-]*(?:[ ,;:]+[A-Za-z][A-Za-z'’-]*){3,}")
# Bracketed or quoted stretches: a title, a term or a gloss in the other language.
QUOTED = re.compile(
    r"《[^》]*》|“[^”]*”|「[^」]*」|\([^)]*\)|（[^）]*）|\"[^\"]*\"|\S+://\S+|[a-z0-9-]+(?:\.[a-z0-9-]+)+/\S*"  # addresses
    rf"|[{HAN}]+[\[〔]\d{{4}}[\]〕]\d*号"  # an official document's number, 商建标函[2006]612号
)
EXTERNAL = re.compile(r"^([a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
HIDDEN_TEXT = {"script", "style", "template"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
CHINESE_MIN = 3  # Han characters in a run that reads as a sentence
# English mechanics (English pages only): a singular count with a plural noun, and a level's name
# capitalised inside a sentence ("the result is Not qualified"); the names come from the data.
# One English name for each term: the variant on the left is written as the one on the right.
TERMS = {
    r"\bnon-conformit": "nonconformity",
    r"\brules on certificates and marks\b": "the Measures on certificates and marks",
    # 达标级 … 五星级 are "grades" in English prose (the JSON field is `level`; "first-level
    # indicator" and "national level" are other words)
    r"\b(?:likely|estimated|certificate|star|which|same|higher|lower|next) levels?\b": "grade",
}
ONE_PLURAL = re.compile(r"\b1 (points|items|questions|rows|days|years|months|outlets|stars|hours)\b")
BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "details", "dt", "dd", "blockquote")
CALCULATOR = "calculator"  # the page whose fragment holds form values ("#score=93")


@dataclass(frozen=True)
class Finding:
    page: str  # the page's path in the site
    rule: str  # template, markdown, link, language
    detail: str

    def __str__(self) -> str:
        return f"{self.page}: {self.rule}: {self.detail}"


@dataclass
class Page:
    """A built page as a reader meets it: text runs (with the language they are marked in) and links."""

    texts: list[tuple[str, str, bool]] = field(default_factory=list)  # (text, lang, in code)
    links: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    lang: str = ""
    blocks: Counter[str] = field(default_factory=Counter)  # the article's blocks, by tag


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.stack: list[tuple[str, str, bool]] = []  # (tag, lang, hides text)

    def _lang(self) -> str:
        return self.stack[-1][1] if self.stack else self.page.lang

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.page.lang = values.get("lang", "")
        for name in ("id", "name") if tag == "a" else ("id",):
            if values.get(name):
                self.page.ids.add(values[name])
        if tag in ("a", "area") and "href" in values:
            self.page.links.append(values["href"])
        if tag in VOID:
            return
        if tag in BLOCKS and any(open_tag == "article" for open_tag, _, _ in self.stack):
            self.page.blocks[tag] += 1
        hides = tag in HIDDEN_TEXT or bool(self.stack and self.stack[-1][2])
        self.stack.append((tag, values.get("lang") or self._lang(), hides))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if not data.strip() or (self.stack and self.stack[-1][2]):
            return
        in_code = any(tag in ("code", "pre", "kbd", "samp") for tag, _, _ in self.stack)
        self.page.texts.append((data, self._lang(), in_code))


def read_page(html: str) -> Page:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.page


def _visible(page: Page) -> str:
    return " ".join(text for text, _, _ in page.texts)


def syntax_findings(name: str, page: Page) -> list[Finding]:
    """Template syntax and raw Markdown in the visible text."""
    found = []
    for text, _, in_code in page.texts:
        if in_code:
            continue
        for rule, pattern in (("template", TEMPLATE), ("markdown", MARKDOWN)):
            for match in pattern.finditer(text):
                start = max(0, match.start() - 30)
                found.append(Finding(name, rule, f"“{' '.join(text[start : match.end() + 30].split())}”"))
    return found


def language_findings(name: str, page: Page, english: bool) -> list[Finding]:
    """Sentences in the other language, outside quotes, brackets, code and marked elements."""
    found = []
    for text, lang, in_code in page.texts:
        marked = lang.lower().startswith("zh" if english else "en")
        if in_code or marked:
            continue
        plain = QUOTED.sub(" ", text)
        if english:
            runs = [run for run in CHINESE_RUN.findall(plain) if len(re.findall(f"[{HAN}]", run)) >= CHINESE_MIN]
        else:
            runs = [run for run in ENGLISH_RUN.findall(plain) if not re.search(f"[{HAN}]", run)]
        found += [Finding(name, "language", f"“{run[:60]}”") for run in runs]
    return found


def level_names() -> list[str]:
    """The English names of every level the calculator knows (its scale and the profiles')."""
    from calculator.levels import load_scale
    from calculator.profiles import load_profile, profile_names

    scales = [load_scale(), *(load_profile(name).scale for name in profile_names())]
    return sorted({level.name.en for scale in scales for level in (scale.not_qualified, *scale.levels)})


def english_findings(name: str, page: Page, levels: list[str]) -> list[Finding]:
    """English mechanics: "1 points", a capitalised level name mid-sentence, a Chinese list comma."""
    patterns = [(ONE_PLURAL, "a plural after 1")]
    if levels:
        names = "|".join(map(re.escape, levels))
        patterns.append((re.compile(rf"(?<=[a-z,;] )({names})\b"), "a level's name capitalised"))
    found = []
    for text, lang, in_code in page.texts:
        if in_code or lang.lower().startswith("zh"):
            continue
        plain = QUOTED.sub(" ", text)
        for pattern, what in patterns:
            found += [Finding(name, "english", f"{what}: “{match[0]}”") for match in pattern.finditer(plain)]
        for variant, term in TERMS.items():
            found += [
                Finding(name, "english", f"“{match[0]}”: the site writes “{term}”")
                for match in re.finditer(variant, plain, re.IGNORECASE)
            ]
        if "、" in plain:
            found.append(Finding(name, "english", f"a Chinese list comma: “{plain[plain.index('、') - 20 :][:50]}”"))
    return found


def _target(site: Path, url_path: str) -> Path:
    path = site / unquote(url_path).lstrip("/")
    return path / "index.html" if url_path.endswith("/") or path.is_dir() else path


def link_findings(site: Path, name: str, page: Page, pages: dict[Path, Page]) -> list[Finding]:
    """Links to this site that lead nowhere, or to an anchor the target page lacks."""
    found = []
    base = "/" + name
    for ref in page.links:
        if not ref or EXTERNAL.match(ref):
            continue
        parts = urlsplit(urljoin(base, ref))
        target = site / name if not urlsplit(ref).path else _target(site, parts.path)
        if not target.exists():
            found.append(Finding(name, "link", f"{ref} leads to no file ({parts.path})"))
            continue
        if not parts.fragment or target.suffix != ".html":
            continue
        if "=" in parts.fragment and target.parent.name == CALCULATOR:
            continue
        ids = pages[target].ids if target in pages else read_page(target.read_text(encoding="utf-8")).ids
        if unquote(parts.fragment) not in ids:
            found.append(Finding(name, "link", f"{ref}: no #{parts.fragment} on that page"))
    return found


def twin_findings(name: str, page: Page, twin: Page) -> list[Finding]:
    """An English page whose article differs in shape from its Chinese twin's."""
    return [
        Finding(name, "twin", f"<{tag}>: {twin.blocks[tag]} in the Chinese edition, {page.blocks[tag]} here")
        for tag in BLOCKS
        if page.blocks[tag] != twin.blocks[tag]
    ]


def check_site(site: Path) -> list[Finding]:
    """Every finding on every built page of `site`."""
    pages = {path: read_page(path.read_text(encoding="utf-8")) for path in sorted(site.rglob("*.html"))}
    found: list[Finding] = []
    levels = level_names()
    for path, page in pages.items():
        name = path.relative_to(site).as_posix()
        english = name.startswith("en/") or page.lang.lower().startswith("en")
        found += syntax_findings(name, page)
        found += language_findings(name, page, english)
        if english:
            found += english_findings(name, page, levels)
            twin = site / name.removeprefix("en/")
            if name.startswith("en/") and twin in pages:
                found += twin_findings(name, page, pages[twin])
        found += link_findings(site, name, page, pages)
    return found


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or not Path(args[0]).is_dir():
        print("usage: python -m scripts.tools.rendered_check SITE_DIR (a built site)", file=sys.stderr)
        return 2
    site = Path(args[0])
    findings = check_site(site)
    for finding in findings:
        print(finding)
    pages = len(list(site.rglob("*.html")))
    print(f"rendered check: {pages} pages, {len(findings)} finding(s)", file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
