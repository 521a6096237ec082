"""One GET from a server on this machine, as a browser would ask, and its body decoded.

Shared by the checks of the local server (tests/site/test_serve.py) and of the shipped nginx
configuration (tests/e2e/test_nginx.py).
"""

from __future__ import annotations

import gzip
import http.client

import brotli


def fetch(port: int, path: str, accept: str = "", timeout: float = 30) -> tuple[int, dict[str, str], bytes]:
    """Status, headers (lower-case names) and raw body of `GET path` on 127.0.0.1:`port`."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    connection.request("GET", path, headers={"Accept-Encoding": accept} if accept else {})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, {key.lower(): value for key, value in response.getheaders()}, body


def decoded(headers: dict[str, str], body: bytes) -> bytes:
    """The body as it was before the server's `Content-Encoding` (br or gzip)."""
    encoding = headers.get("content-encoding")
    return brotli.decompress(body) if encoding == "br" else gzip.decompress(body) if encoding == "gzip" else body
