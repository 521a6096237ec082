"""Is every cited page still what we cited? A maintainer's check (`make check-sources`), run on a
connected machine, never in CI.

    python -m scripts.tools.check_sources [--out DIR] [--write-checked] [--timeout S]

For each source in docs/_data/sources.yml with an address it fetches the page (a few at a time,
with a timeout, two retries and an honest user agent) and records: the HTTP status; the address
after redirects (another host is a finding); whether the source's `phrases` (short phrases from
its page that support our facts) still appear; signs of a hijacked page (gambling, adult or spam
words; a redirect to another host; a page no longer in Chinese or English); a digest of the body.
Sources without an address (books, standards, hosts cited without a link) are listed as "not
checked online". It writes a dated report, Markdown to read and JSON to diff, and changes no
data unless `--write-checked` is given: then the `checked:` month of every source that passed is
set to this month (a line edit: the file's layout and comments stay as they are).

Offline or against a dead host it prints one line per source and a summary and exits 1; it
never ends in a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import html
import json
import re
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "docs" / "_data" / "sources.yml"
USER_AGENT = "shouhou-renzheng-zhinan-source-check/1 (a maintainer re-checking the pages this guide cites)"
CONCURRENCY = 4
RETRIES = 2
MAX_BYTES = 3_000_000
# Words that do not belong on a certification page: injected gambling, adult or spam content.
SPAM_WORDS = (
    "博彩", "赌场", "娱乐城", "百家乐", "六合彩", "彩票", "老虎机", "色情", "成人视频", "av在线",
    "porn", "casino", "viagra", "jizz", "一区二区", "无码", "爆操",
)  # fmt: skip
HAN = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")
MARKUP = re.compile(r"<script\b.*?</script>|<style\b.*?</style>|<[^>]+>", re.S | re.I)
SPACE = re.compile(r"\s+")


def unspaced_text(page: str) -> str:
    """A page's visible text without markup, entities or any spacing, for looking up phrases:
    a phrase split by a tag, a line break or a space ("有效期为 3 年") is still found."""
    return SPACE.sub("", html.unescape(MARKUP.sub(" ", page)))


@dataclass
class Result:
    id: str
    url: str | None
    outcome: str  # passed, failed, not_checked
    status: int | None = None
    final_url: str | None = None
    phrases_missing: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    digest: str | None = None

    def line(self) -> str:
        if self.outcome == "not_checked":
            return f"{self.id}: not checked online (no address)"
        if self.outcome == "passed":
            return f"{self.id}: passed ({self.status})"
        return f"{self.id}: FAILED: {'; '.join(self.findings)}"


Fetch = Callable[[str, float], tuple[int, str, bytes, str]]  # url, timeout -> status, final url, body, charset


def fetch(url: str, timeout: float) -> tuple[int, str, bytes, str]:
    """GET with the project's user agent; HTTP errors come back as their status."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept-Language": "zh-CN,en;q=0.5"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            charset = response.headers.get_content_charset() or ""
            return response.status, response.geturl(), response.read(MAX_BYTES), charset
    except urllib.error.HTTPError as error:
        return error.code, error.geturl() or url, b"", ""


def decode(body: bytes, charset: str) -> str:
    """The page's text: its declared charset, or one named in the page, or GB18030 (which also reads GBK)."""
    declared = re.search(rb'charset=["\']?([A-Za-z0-9_-]+)', body[:4096])
    for name in (charset, declared[1].decode() if declared else "", "utf-8", "gb18030"):
        if not name:
            continue
        try:
            return body.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("utf-8", errors="replace")


def judge(source: dict[str, Any], status: int, final_url: str, text: str) -> list[str]:
    """What is wrong with a fetched page, as findings (none: it passed)."""
    url = str(source["url"])
    findings = []
    if status >= 400:
        findings.append(f"HTTP {status}")
    if (urlsplit(final_url).hostname or "") != (urlsplit(url).hostname or ""):
        findings.append(f"moved to another host: {final_url}")
    if status < 400:
        lowered = text.lower()
        spam = [word for word in SPAM_WORDS if word.lower() in lowered]
        if spam:
            findings.append(f"spam words: {', '.join(spam[:5])}")
        if not source.get("phrases"):
            findings.append("no phrases named: the page's wording is not checked")
        visible = unspaced_text(text)
        missing = [phrase for phrase in source.get("phrases") or [] if unspaced_text(phrase) not in visible]
        if missing:
            findings.append(f"phrases gone: {', '.join(missing)}")
        han, latin = len(HAN.findall(text)), len(LATIN.findall(text))
        if text.strip() and han == 0 and latin == 0:
            findings.append("no Chinese or English text left")
    return findings


def check_one(source: dict[str, Any], get: Fetch, timeout: float, retries: int = RETRIES) -> Result:
    url = source.get("url")
    if not url:
        return Result(str(source["id"]), None, "not_checked")
    last_error = ""
    for attempt in range(retries + 1):
        try:
            status, final_url, body, charset = get(str(url), timeout)
        except (OSError, ValueError) as error:  # refused, timed out, no route, a malformed address
            last_error = f"{type(error).__name__}: {error}"
            if attempt < retries:
                time.sleep(0.2 * (attempt + 1))
            continue
        text = decode(body, charset)
        findings = judge(source, status, final_url, text)
        missing = [f.split(": ", 1)[1] for f in findings if f.startswith("phrases gone")]
        return Result(
            str(source["id"]),
            str(url),
            "failed" if findings else "passed",
            status,
            final_url,
            missing[0].split(", ") if missing else [],
            findings,
            hashlib.sha256(body).hexdigest()[:16],
        )
    return Result(str(source["id"]), str(url), "failed", findings=[f"unreachable ({last_error})"])


def check_all(sources: Iterable[dict[str, Any]], get: Fetch = fetch, timeout: float = 20) -> list[Result]:
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        return list(pool.map(lambda source: check_one(source, get, timeout), sources))


def report(results: list[Result], today: dt.date) -> tuple[str, str]:
    """The Markdown report and the JSON one."""
    counts = {outcome: sum(r.outcome == outcome for r in results) for outcome in ("passed", "failed", "not_checked")}
    lines = [f"# Source check, {today.isoformat()}", "", f"passed {counts['passed']}, failed {counts['failed']}, "
             f"not checked online {counts['not_checked']}", ""]  # fmt: skip
    for outcome, title in (("failed", "Failed"), ("passed", "Passed"), ("not_checked", "Not checked online")):
        lines += [f"## {title}", ""]
        lines += [
            f"- `{r.id}` {r.url or ''}: {'; '.join(r.findings) or r.status or ''}"
            for r in results
            if r.outcome == outcome
        ]
        lines.append("")
    data = {"date": today.isoformat(), "counts": counts, "sources": [asdict(r) for r in results]}
    return "\n".join(lines), json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def write_checked(path: Path, passed: set[str], month: str) -> int:
    """Set `checked: YYYY-MM` of the passed sources, line by line; returns how many lines changed."""
    lines = path.read_text(encoding="utf-8").split("\n")
    current, changed = "", 0
    for index, line in enumerate(lines):
        found = re.match(r"\s*- id: (\S+)", line)
        if found:
            current = found[1]
        elif current in passed and re.match(r"\s+checked: \d{4}-\d{2}\s*$", line):
            updated = re.sub(r"\d{4}-\d{2}", month, line)
            changed += updated != line
            lines[index] = updated
    path.write_text("\n".join(lines), encoding="utf-8")
    return changed


def stale(sources: Iterable[dict[str, Any]], today: dt.date, months: int = 12) -> list[str]:
    """Ids of the sources whose `checked` month is more than `months` before today."""
    old = []
    for source in sources:
        found = re.fullmatch(r"(\d{4})-(\d{2})", str(source.get("checked", "")))
        if found and (today.year - int(found[1])) * 12 + today.month - int(found[2]) > months:
            old.append(str(source["id"]))
    return old


def main(argv: list[str] | None = None, get: Fetch = fetch, today: dt.date | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make check-sources", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / ".cache" / "source-checks", help="report folder")
    parser.add_argument("--sources", type=Path, default=SOURCES, help=argparse.SUPPRESS)
    parser.add_argument("--timeout", type=float, default=20, help="seconds per request (default 20)")
    parser.add_argument("--write-checked", action="store_true", help="set the checked month of passed sources")
    args = parser.parse_args(argv)
    day = today or dt.date.today()
    try:
        sources = yaml.safe_load(args.sources.read_text(encoding="utf-8"))["sources"]
    except (OSError, yaml.YAMLError, KeyError, TypeError) as error:
        print(f"check-sources: cannot read {args.sources}: {error}", file=sys.stderr)
        return 2
    results = check_all(sources, get, args.timeout)
    for result in results:
        print(result.line())
    markdown, data = report(results, day)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"sources-{day.isoformat()}.md").write_text(markdown, encoding="utf-8")
    (args.out / f"sources-{day.isoformat()}.json").write_text(data, encoding="utf-8")
    failed = [r for r in results if r.outcome == "failed"]
    passed = {r.id for r in results if r.outcome == "passed"}
    print(
        f"check-sources: {len(passed)} passed, {len(failed)} failed, "
        f"{sum(r.outcome == 'not_checked' for r in results)} not checked online; report in {args.out}"
    )
    if args.write_checked and passed:
        print(f"check-sources: {write_checked(args.sources, passed, day.strftime('%Y-%m'))} checked dates updated")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
