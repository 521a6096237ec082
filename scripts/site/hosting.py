"""The hosting contract: what a static host must do for the built site, written once.

The local server (`scripts/tools/serve.py`), the precompression step
(`scripts/site/precompress.py`), the service worker (`scripts/site/service_worker.py`) and the
nginx configuration in the README all follow these values; tests check that they agree.
"""

from __future__ import annotations

import re

# Paths whose name changes whenever their content does: the Pyodide runtime under its
# version, our wheel and standard library under their content hashes, Material's hashed
# bundles and our joined stylesheet. A host may cache them for good.
VERSIONED_PATTERN = r"assets/(pyodide/v[^/]+/|python/[^/]+/|javascripts/bundle\.[0-9a-f]+|stylesheets/\w+\.[0-9a-f]+)"
VERSIONED = re.compile("^" + VERSIONED_PATTERN)

# Files worth sending compressed (text, the wasm, and the stored zip archives).
COMPRESSIBLE = frozenset(
    {".html", ".js", ".mjs", ".css", ".json", ".wasm", ".svg", ".xml", ".txt", ".map", ".zip", ".whl", ".ico"}
)

# Types a host must send; module workers refuse `.mjs` under any other type, and
# `WebAssembly.compileStreaming` refuses a wasm that is not `application/wasm`.
MIME_TYPES = {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".json": "application/json",
    ".whl": "application/zip",
    ".zip": "application/zip",
    ".svg": "image/svg+xml",
    ".xml": "application/xml",
    ".webmanifest": "application/manifest+json",
}

ONE_YEAR = 365 * 24 * 3600
CACHE_VERSIONED = f"public, max-age={ONE_YEAR}, immutable"
CACHE_OTHER = "no-cache"  # revalidate: pages, sw.js (which must never be cached for long)


def is_versioned(site_path: str) -> bool:
    """Whether a site path (without a leading slash) may be cached for good."""
    return VERSIONED.match(site_path.lstrip("/")) is not None


def cache_control(site_path: str) -> str:
    return CACHE_VERSIONED if is_versioned(site_path) else CACHE_OTHER
