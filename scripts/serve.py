"""A small static server for the built site, with the MIME types Pyodide needs.

`python -m scripts.serve [--port 8000] [--dir site]` serves on 127.0.0.1 only.
Tests start it in a thread with `start(directory)`.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

MIME_TYPES = {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".json": "application/json",
    ".whl": "application/zip",
    ".zip": "application/zip",
}


class SiteHandler(SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {**SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}

    def log_message(self, format: str, *args: object) -> None:
        if self.server.verbose:  # type: ignore[attr-defined]
            super().log_message(format, *args)


def make_server(directory: Path, port: int = 0, verbose: bool = False) -> ThreadingHTTPServer:
    handler = functools.partial(SiteHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    server.verbose = verbose  # type: ignore[attr-defined]
    return server


def start(directory: Path, port: int = 0) -> ThreadingHTTPServer:
    """Serve `directory` in a background thread; returns the server (`server_address` has the port)."""
    server = make_server(directory, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the built site on 127.0.0.1.")
    parser.add_argument("--dir", type=Path, default=Path("site"))
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    if not (args.dir / "index.html").exists():
        print(f"serve: {args.dir}/index.html is missing; run `make build` first.", file=sys.stderr)
        return 1
    server = make_server(args.dir, args.port, verbose=True)
    print(f"Serving {args.dir} on http://127.0.0.1:{server.server_address[1]}/")
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
