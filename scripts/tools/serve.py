"""A static server for the built site that behaves like a good static host.

- MIME types Pyodide needs (`application/wasm`, `text/javascript` for `.mjs`).
- Precompressed twins (`x.br`, `x.gz` from `scripts/site/precompress.py`) sent with the
  matching `Content-Encoding` when the browser accepts it; otherwise gzip on the fly for
  compressible types, as typical hosts do.
- Long-lived `Cache-Control: immutable` on versioned paths (the runtime under
  `assets/pyodide/v<version>/`, content-hashed `assets/python/<hash>/` and Material's
  hashed bundles); `no-cache` (revalidate) for everything else.
- The security headers of `scripts/site/hosting.py` on every answer: the Content-Security-Policy
  (for a page, with the script hashes of its own meta tag), `nosniff`, `Referrer-Policy`.
- Optional shared bandwidth limit and per-request latency (`--mbps`, `--latency-ms`), for
  benchmarks: one token bucket for all connections, so worker downloads are throttled too.
  Benchmarks may also log every request's start and end (`requests`), offer fewer encodings
  (`encodings`: a host without brotli) and serve over TLS (`tls`: a certificate and key file;
  Chromium asks for brotli only from a secure origin).

`python -m scripts.tools.serve [--port 8000] [--dir site]` serves on 127.0.0.1 only; a port in
use ends it with a one-line message (exit 1).
Tests start it in a thread with `start(directory)`.
"""

from __future__ import annotations

import argparse
import contextlib
import email.utils
import errno
import functools
import gzip
import os
import ssl
import sys
import threading
import time
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import unquote, urlsplit

from scripts.site.hosting import (
    COMPRESSIBLE,
    MIME_TYPES,
    SECURITY_HEADERS,
    cache_control,
    content_security_policy,
    policy_hashes,
)

_COUNT_LOCK = threading.Lock()


@functools.lru_cache(maxsize=64)
def _gzipped(path: str, mtime_ns: int, data: bytes) -> bytes:
    """On-the-fly gzip, kept like a host's or CDN's cache keeps it (keyed by file and mtime)."""
    return gzip.compress(data, compresslevel=6, mtime=0)


class Throttle:
    """A token bucket shared by every connection, plus a fixed latency per request."""

    def __init__(self, mbps: float, latency_ms: float) -> None:
        self.rate = mbps * 1_000_000 / 8 if mbps > 0 else 0.0
        self.latency = latency_ms / 1000
        self.lock = threading.Lock()
        self.next_free = time.monotonic()

    def wait_latency(self) -> None:
        if self.latency:
            time.sleep(self.latency)

    def take(self, size: int) -> None:
        if not self.rate:
            return
        with self.lock:
            now = time.monotonic()
            start = max(now, self.next_free)
            self.next_free = start + size / self.rate
            delay = self.next_free - now
        time.sleep(delay)


class SiteHandler(SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real hosts do (every answer has a Content-Length)
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}  # noqa: RUF012  # the base class declares it so
    throttle: ClassVar[Throttle | None] = None
    verbose: ClassVar[bool] = False
    counter: ClassVar[list[int] | None] = None  # bytes sent, for benchmarks
    requests: ClassVar[list[tuple[float, float, str]] | None] = None  # (start, end, path), for benchmarks
    encodings: ClassVar[tuple[str, ...]] = ("br", "gzip")  # what this host offers
    security_headers: ClassVar[bool] = True  # this site's CSP and friends (off for other pages)
    chunk = 16 * 1024

    def log_message(self, format: str, *args: object) -> None:
        if self.verbose:
            super().log_message(format, *args)

    def send_response(self, code: int, message: str | None = None) -> None:
        if code >= 400:  # what a page asked for and did not get, for tests in any browser engine
            failures = getattr(self.server, "failures", None)
            if failures is not None:
                failures.append(f"{self.path} (HTTP {code})")
        super().send_response(code, message)

    def _file_for(self, url_path: str) -> Path | None:
        path = Path(self.translate_path(url_path))
        if path.is_dir():
            if not url_path.endswith("/"):
                return None
            path = path / "index.html"
        return path if path.is_file() else None

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def _serve(self, send_body: bool) -> None:
        started = time.monotonic()
        try:
            self._answer(send_body)
        finally:
            if self.requests is not None:
                with _COUNT_LOCK:
                    self.requests.append((started, time.monotonic(), self.path))

    def _answer(self, send_body: bool) -> None:
        if self.throttle:
            self.throttle.wait_latency()
        url_path = unquote(urlsplit(self.path).path)
        translated = Path(self.translate_path(url_path))
        if translated.is_dir() and not url_path.endswith("/"):
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", url_path + "/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        path = self._file_for(url_path)
        status = HTTPStatus.OK
        if path is None:
            status = HTTPStatus.NOT_FOUND
            path = Path(self.directory) / "404.html"
            english = Path(self.directory) / "en" / "404.html"  # the English edition's own
            if url_path.startswith("/en/") and english.is_file():
                path = english
            if not path.is_file():
                self.send_error(HTTPStatus.NOT_FOUND)
                return
        body, encoding = self._body(path)
        stat = path.stat()
        if status == HTTPStatus.OK and self._not_modified(stat.st_mtime):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self._cache_headers(url_path)
            self._security_headers(path)
            self.end_headers()
            return
        self.send_response(status)
        self.send_header("Content-Type", self.guess_type(str(path)))
        if encoding:
            self.send_header("Content-Encoding", encoding)
        if path.suffix in COMPRESSIBLE:
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", email.utils.formatdate(stat.st_mtime, usegmt=True))
        self._cache_headers(url_path if status == HTTPStatus.OK else "/404")
        self._security_headers(path)
        self.end_headers()
        if send_body:
            self._write(body)

    def _cache_headers(self, url_path: str) -> None:
        self.send_header("Cache-Control", cache_control(url_path))

    def _security_headers(self, path: Path) -> None:
        if not self.security_headers:
            return
        hashes: list[str] = []
        if path.suffix == ".html":  # the page's own policy, plus what only a header can say
            hashes = policy_hashes(path.read_text(encoding="utf-8", errors="replace"))
        self.send_header("Content-Security-Policy", content_security_policy(hashes, header=True))
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)

    def _not_modified(self, mtime: float) -> bool:
        since = self.headers.get("If-Modified-Since")
        if not since:
            return False
        with contextlib.suppress(TypeError, ValueError):
            return int(mtime) <= email.utils.parsedate_to_datetime(since).timestamp()
        return False

    def _body(self, path: Path) -> tuple[bytes, str | None]:
        asked = {part.split(";")[0].strip() for part in self.headers.get("Accept-Encoding", "").split(",")}
        accepted = asked & set(self.encodings)
        for encoding, suffix in (("br", ".br"), ("gzip", ".gz")):
            twin = path.with_name(path.name + suffix)
            if encoding in accepted and twin.is_file():
                return twin.read_bytes(), encoding
        data = path.read_bytes()
        if "gzip" in accepted and path.suffix in COMPRESSIBLE and len(data) > 1024:
            return _gzipped(str(path), path.stat().st_mtime_ns, data), "gzip"
        return data, None

    def _write(self, body: bytes) -> None:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            for start in range(0, len(body), self.chunk):
                piece = body[start : start + self.chunk]
                if self.throttle:
                    self.throttle.take(len(piece))
                self.wfile.write(piece)
                if self.counter is not None:
                    with _COUNT_LOCK:
                        self.counter[0] += len(piece)


class SiteServer(ThreadingHTTPServer):
    daemon_threads = True
    closed_connections = 0  # connections handled to their end, errors included (tests wait on it)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.failures: list[str] = []  # "path (HTTP status)" of every answer of 400 or more
        self.directory: Path | None = None  # the folder served (set by make_server)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            with _COUNT_LOCK:
                self.closed_connections += 1

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that drops a connection (a closed tab, a cancelled preload) is no error."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


def make_server(
    directory: Path,
    port: int = 0,
    verbose: bool = False,
    mbps: float = 0,
    latency_ms: float = 0,
    counter: list[int] | None = None,
    security_headers: bool = True,
    requests: list[tuple[float, float, str]] | None = None,
    encodings: tuple[str, ...] = ("br", "gzip"),
    tls: tuple[Path, Path] | None = None,
) -> SiteServer:
    handler_class = type(
        "BoundSiteHandler",
        (SiteHandler,),
        {
            "throttle": Throttle(mbps, latency_ms) if mbps or latency_ms else None,
            "verbose": verbose,
            "counter": counter,
            "security_headers": security_headers,
            "requests": requests,
            "encodings": encodings,
        },
    )
    handler = functools.partial(handler_class, directory=os.fspath(directory))
    server = SiteServer(("127.0.0.1", port), handler)
    server.directory = Path(directory)
    if tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*tls)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    return server


def start(
    directory: Path,
    port: int = 0,
    mbps: float = 0,
    latency_ms: float = 0,
    counter: list[int] | None = None,
    security_headers: bool = True,
    requests: list[tuple[float, float, str]] | None = None,
    encodings: tuple[str, ...] = ("br", "gzip"),
    tls: tuple[Path, Path] | None = None,
) -> SiteServer:
    """Serve `directory` in a background thread; the port is `server.server_address[1]`.

    `counter`, when given, is a one-item list that adds up the body bytes sent; `requests`, a list
    that gets (start, end, path) of every request (time.monotonic()).
    `security_headers=False` serves without this site's CSP (benchmarks serve other pages too).
    `encodings`: the precompressed or on-the-fly encodings offered; `tls`: (certificate, key) files.
    """
    server = make_server(
        directory,
        port,
        mbps=mbps,
        latency_ms=latency_ms,
        counter=counter,
        security_headers=security_headers,
        requests=requests,
        encodings=encodings,
        tls=tls,
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def port_problem(port: int) -> str | None:
    """Why 127.0.0.1:`port` cannot be listened on now (one line), or None when it can."""
    try:
        SiteServer(("127.0.0.1", port), SiteHandler, bind_and_activate=True).server_close()
    except OSError as error:
        return _cannot_listen(port, error)
    return None


def port_free(port: int) -> bool:
    """Whether 127.0.0.1:`port` can be listened on now."""
    return port_problem(port) is None


def _cannot_listen(port: int, error: OSError) -> str:
    if error.errno == errno.EADDRINUSE:
        return f"port {port} on 127.0.0.1 is in use (another server?); choose another: PORT={port + 1}"
    return f"cannot listen on 127.0.0.1:{port} ({error.strerror}); choose another port: PORT=8000"


def _port(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port (1-65535)")
    return int(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the built site on 127.0.0.1 like a static host.")
    parser.add_argument("--dir", type=Path, default=Path("site"))
    parser.add_argument("--port", type=_port, default=8000)
    parser.add_argument("--mbps", type=float, default=0, help="shared bandwidth limit in Mbit/s (0: none)")
    parser.add_argument("--latency-ms", type=float, default=0, help="added latency per request")
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument(
        "--check-port", action="store_true", help="only say whether the port is free (for `make dev`), exit 1 if not"
    )
    args = parser.parse_args(argv)
    if args.check_port:
        problem = port_problem(args.port)
        if problem:
            print(problem, file=sys.stderr)
        return 1 if problem else 0
    if not (args.dir / "index.html").exists():
        print(f"serve: {args.dir}/index.html is missing; run `make build` first.", file=sys.stderr)
        return 1
    try:
        server = make_server(args.dir, args.port, not args.quiet, args.mbps, args.latency_ms)
    except OSError as error:
        print(_cannot_listen(args.port, error), file=sys.stderr)
        return 1
    print(f"Serving {args.dir} on http://127.0.0.1:{server.server_address[1]}/", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
