"""The maintainer's source check (scripts/tools/check_sources.py) against pages served on the
loopback interface only: pages that pass, move to another host, vanish, time out, change or are
hijacked, and a host that is not there at all."""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from scripts.tools import check_sources

PHRASE = "特别扣分项达到 5 项"
PAGES = {
    "/ok": f"<html lang='zh'><body>评价体系：{PHRASE}，不合格。</body></html>",
    "/split": "<html lang='zh'><body><p>评价体系：特别扣分项达到 <b>5</b>\n项，&#19981;合格。</p></body></html>",
    "/changed": "<html lang='zh'><body>评价体系：这一页已经改写。</body></html>",
    "/hijacked": f"<html><body>{PHRASE} 娱乐城 百家乐 在线</body></html>",
}


class Pages(BaseHTTPRequestHandler):
    other_host = ""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/slow":
            time.sleep(3)
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", self.other_host + "/ok")
            self.end_headers()
            return
        body = PAGES.get(self.path, "").encode("utf-8")
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class Quiet(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # the client that gave up on /slow closed the connection first: expected


def serve(host: str) -> ThreadingHTTPServer:
    server = Quiet((host, 0), Pages)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def hosts() -> Iterator[tuple[str, str]]:
    """Two hosts on the loopback interface: 127.0.0.1 and, as "another host", 127.0.0.2."""
    main, other = serve("127.0.0.1"), serve("127.0.0.2")
    first = f"http://127.0.0.1:{main.server_address[1]}"
    second = f"http://127.0.0.2:{other.server_address[1]}"
    Pages.other_host = second
    yield first, second
    main.shutdown()
    other.shutdown()


def source(id: str, url: str | None, phrases: list[str] | None = None) -> dict[str, Any]:
    return {"id": id, "url": url, "phrases": [PHRASE] if phrases is None else phrases, "checked": "2026-12"}


def test_a_page_that_still_says_it_passes(hosts: tuple[str, str]) -> None:
    result = check_sources.check_one(source("ok", hosts[0] + "/ok"), check_sources.fetch, 2)
    assert (result.outcome, result.status, result.findings) == ("passed", 200, [])
    assert result.digest


def test_a_page_moved_to_another_host_is_a_finding(hosts: tuple[str, str]) -> None:
    result = check_sources.check_one(source("moved", hosts[0] + "/moved"), check_sources.fetch, 2)
    assert result.outcome == "failed"
    assert result.findings == [f"moved to another host: {hosts[1]}/ok"]


def test_a_vanished_page_and_a_page_that_times_out_fail(hosts: tuple[str, str]) -> None:
    gone = check_sources.check_one(source("gone", hosts[0] + "/gone"), check_sources.fetch, 2)
    assert (gone.outcome, gone.findings) == ("failed", ["HTTP 404"])
    slow = check_sources.check_one(source("slow", hosts[0] + "/slow"), check_sources.fetch, 0.5, retries=0)
    assert slow.outcome == "failed" and slow.findings[0].startswith("unreachable (")


def test_a_page_whose_phrase_is_gone_fails_and_says_which(hosts: tuple[str, str]) -> None:
    result = check_sources.check_one(source("changed", hosts[0] + "/changed"), check_sources.fetch, 2)
    assert result.outcome == "failed"
    assert result.phrases_missing == [PHRASE]


def test_a_phrase_split_by_markup_spacing_or_an_entity_is_still_found(hosts: tuple[str, str]) -> None:
    result = check_sources.check_one(source("split", hosts[0] + "/split", [PHRASE, "，不合格"]), check_sources.fetch, 2)
    assert (result.outcome, result.findings) == ("passed", [])


def test_a_page_without_phrases_is_not_passed_unread(hosts: tuple[str, str]) -> None:
    result = check_sources.check_one(source("unread", hosts[0] + "/ok", []), check_sources.fetch, 2)
    assert result.outcome == "failed"
    assert result.findings == ["no phrases named: the page's wording is not checked"]


def test_a_hijacked_page_fails_on_its_spam_words(hosts: tuple[str, str]) -> None:
    result = check_sources.check_one(source("hijacked", hosts[0] + "/hijacked"), check_sources.fetch, 2)
    assert result.outcome == "failed"
    assert result.findings == ["spam words: 娱乐城, 百家乐"]


def test_offline_every_source_gets_a_line_a_summary_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as probe:  # a port with nothing listening: connection refused
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}"
    data = tmp_path / "sources.yml"
    data.write_text(
        json.dumps({"sources": [source("a", dead + "/a"), source("b", dead + "/b"), source("book", None)]}),
        encoding="utf-8",
    )
    code = check_sources.main(
        ["--sources", str(data), "--out", str(tmp_path / "out"), "--timeout", "1"], today=dt.date(2026, 12, 5)
    )
    out = capsys.readouterr().out
    assert code == 1
    assert "a: FAILED: unreachable (" in out and "b: FAILED: unreachable (" in out
    assert "book: not checked online (no address)" in out
    assert "0 passed, 2 failed, 1 not checked online" in out
    assert "Traceback" not in out
    report = json.loads((tmp_path / "out" / "sources-2026-12-05.json").read_text(encoding="utf-8"))
    assert report["counts"] == {"passed": 0, "failed": 2, "not_checked": 1}
    assert (tmp_path / "out" / "sources-2026-12-05.md").exists()


def test_write_checked_changes_only_the_passed_sources_month(hosts: tuple[str, str], tmp_path: Path) -> None:
    data = tmp_path / "sources.yml"
    data.write_text(
        "# a comment that stays\nsources:\n"
        f"  - id: fine\n    url: {hosts[0]}/ok\n    phrases: [{PHRASE}]\n    checked: 2025-01\n"
        f"  - id: broken\n    url: {hosts[0]}/gone\n    checked: 2025-01\n",
        encoding="utf-8",
    )
    code = check_sources.main(
        ["--sources", str(data), "--out", str(tmp_path / "out"), "--write-checked", "--timeout", "2"],
        today=dt.date(2026, 12, 5),
    )
    text = data.read_text(encoding="utf-8")
    assert code == 1  # one failed
    assert text.startswith("# a comment that stays\n")
    assert "  - id: fine\n" in text and text.count("checked: 2026-12") == 1 and text.count("checked: 2025-01") == 1


def test_stale_sources_are_those_checked_over_a_year_ago() -> None:
    sources = [{"id": "old", "checked": "2025-10"}, {"id": "new", "checked": "2026-11"}, {"id": "book"}]
    assert check_sources.stale(sources, dt.date(2026, 12, 5)) == ["old"]
