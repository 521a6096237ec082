"""The static server behaves like a good static host: encodings, MIME types, caching."""

from __future__ import annotations

import gzip
import http.client
import socket
import struct
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import brotli
import pytest

from scripts.site import hosting
from scripts.tools import serve
from scripts.tools.http_check import decoded, fetch
from scripts.tools.serve import start

ROOT = Path(__file__).resolve().parents[2]

WASM = b"\0asm" + bytes(4000)
PAGE = b"<!doctype html><title>t</title>" + b"<p>text</p>" * 300


@pytest.fixture(scope="module")
def running_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    root = tmp_path_factory.mktemp("served")
    runtime = root / "assets" / "pyodide" / "v1.2.3"
    runtime.mkdir(parents=True)
    (runtime / "pyodide.asm.wasm").write_bytes(WASM)
    (runtime / "pyodide.asm.wasm.br").write_bytes(brotli.compress(WASM))
    (runtime / "pyodide.asm.wasm.gz").write_bytes(gzip.compress(WASM))
    (runtime / "pyodide.mjs").write_text("export const x = 1;\n" * 100)
    (root / "page").mkdir()
    (root / "page" / "index.html").write_bytes(PAGE)
    (root / "404.html").write_text("missing")
    running = start(root)
    yield running
    running.shutdown()


@pytest.fixture(scope="module")
def server(running_server: Any) -> int:
    port: int = running_server.server_address[1]
    return port


CASES = [
    # (path, Accept-Encoding, status, Content-Type, Content-Encoding, cache policy)
    ("/assets/pyodide/v1.2.3/pyodide.asm.wasm", "gzip, deflate, br", 200, "application/wasm", "br", "immutable"),
    ("/assets/pyodide/v1.2.3/pyodide.asm.wasm", "gzip", 200, "application/wasm", "gzip", "immutable"),
    ("/assets/pyodide/v1.2.3/pyodide.asm.wasm", "", 200, "application/wasm", None, "immutable"),
    ("/assets/pyodide/v1.2.3/pyodide.mjs", "br, gzip", 200, "text/javascript", "gzip", "immutable"),
    ("/page/", "br, gzip", 200, "text/html", "gzip", "no-cache"),
    ("/page/", "", 200, "text/html", None, "no-cache"),
    ("/nothing/here/", "", 404, "text/html", None, "no-cache"),
]


@pytest.mark.parametrize(("path", "accept", "status", "mime", "encoding", "cache"), CASES)
def test_server_answers_like_a_static_host(
    server: int, path: str, accept: str, status: int, mime: str, encoding: str | None, cache: str
) -> None:
    got_status, headers, body = fetch(server, path, accept)
    assert got_status == status
    assert headers["content-type"].startswith(mime)
    assert headers.get("content-encoding") == encoding
    assert cache in headers["cache-control"]
    if path.endswith(".wasm"):
        assert decoded(headers, body) == WASM
    if path == "/page/":
        assert decoded(headers, body) == PAGE


def test_directory_without_slash_redirects(server: int) -> None:
    status, headers, _ = fetch(server, "/page")
    assert status == 301
    assert headers["location"] == "/page/"


def test_built_site_ships_brotli_twins_of_the_runtime(built_site: Path) -> None:
    wasm = next(built_site.glob("assets/pyodide/v*/pyodide.asm.wasm"))
    twin = wasm.with_name(wasm.name + ".br")
    assert brotli.decompress(twin.read_bytes()) == wasm.read_bytes()
    assert twin.stat().st_size < wasm.stat().st_size * 0.35


def test_a_connection_the_browser_drops_is_not_reported_as_an_error(
    server: int, running_server: Any, capfd: pytest.CaptureFixture[str]
) -> None:
    before = running_server.closed_connections
    client = socket.create_connection(("127.0.0.1", server))
    client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close with a reset
    client.sendall(b"GET /page/ HTTP/1.1\r\n")
    client.close()
    deadline = time.monotonic() + 10
    while running_server.closed_connections == before:  # the server has finished with that connection
        assert time.monotonic() < deadline, "the server never finished the dropped connection"
        time.sleep(0.01)
    assert fetch(server, "/page/")[0] == 200  # still serving
    assert "Traceback" not in capfd.readouterr().err


@pytest.mark.parametrize("path", ["/page/", "/assets/pyodide/v1.2.3/pyodide.mjs", "/nothing/here/"])
def test_every_answer_carries_the_security_headers(server: int, path: str) -> None:
    _, headers, _ = fetch(server, path)
    assert headers["content-security-policy"] == hosting.content_security_policy(header=True)
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"


def test_a_pages_header_policy_allows_the_script_hashes_of_its_meta_tag(tmp_path: Path) -> None:
    page = "<script>go()</script><p>x</p>"
    policy = hosting.content_security_policy(hosting.inline_script_hashes(page), header=False)
    (tmp_path / "index.html").write_text(hosting.set_page_policy(f"<head><meta charset=utf-8></head>{page}", policy))
    running = start(tmp_path)
    try:
        _, headers, _ = fetch(running.server_address[1], "/")
    finally:
        running.shutdown()
    expected = hosting.content_security_policy(hosting.inline_script_hashes(page), header=True)
    assert headers["content-security-policy"] == expected
    assert "'sha256-" in expected


def test_a_busy_port_gives_one_line_and_exit_1(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<p>x</p>")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        for extra in ([], ["--check-port"]):
            completed = subprocess.run(
                [sys.executable, "-m", "scripts.tools.serve", "--dir", str(tmp_path), "--port", port, *extra],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=30,
                check=False,
            )
            assert completed.returncode == 1
            assert completed.stderr.count("\n") == 1
            assert f"port {port}" in completed.stderr
            assert "Traceback" not in completed.stderr


def test_a_free_port_passes_the_check() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert serve.port_free(port)


def test_the_server_records_every_answer_it_could_not_give(tmp_path: Path) -> None:
    """Tests in engines whose drivers report no request status (WebKit) read them from here."""
    from scripts.tools.serve import start

    (tmp_path / "index.html").write_text("<p>hi</p>", encoding="utf-8")
    server = start(tmp_path)
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
        for path in ("/", "/missing.js"):
            connection.request("GET", path)
            connection.getresponse().read()
        assert server.failures == ["/missing.js (HTTP 404)"]
    finally:
        server.shutdown()
