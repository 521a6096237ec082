"""The hosting contract: what a static host must do for the built site, written once.

The local server (`scripts/tools/serve.py`), the precompression step
(`scripts/site/precompress.py`), the service worker (`scripts/site/service_worker.py`), the
pages' Content-Security-Policy (written by the hooks) and the nginx configuration
(`scripts/deploy/nginx.conf` and the README's copy, both generated here:
`python -m scripts.site.hosting SITE_DIR`, i.e. `make nginx-conf`) all follow these values;
tests check that they agree (`tests/e2e/test_nginx.py` runs real nginx with the file).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

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

# The other types a server needs for this site's files (the nginx block lists them all, so
# that it does not depend on the host's mime.types; a test checks every file of the site).
OTHER_TYPES = {
    ".html": "text/html",
    ".css": "text/css",
    ".map": "application/json",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".txt": "text/plain",
}

ONE_YEAR = 365 * 24 * 3600
CACHE_VERSIONED = f"public, max-age={ONE_YEAR}, immutable"
CACHE_OTHER = "no-cache"  # revalidate: pages, sw.js (which must never be cached for long)


def is_versioned(site_path: str) -> bool:
    """Whether a site path (without a leading slash) may be cached for good."""
    return VERSIONED.match(site_path.lstrip("/")) is not None


def cache_control(site_path: str) -> str:
    return CACHE_VERSIONED if is_versioned(site_path) else CACHE_OTHER


# Security headers every response carries. `no-referrer`: the page's URL never leaves it, not
# even to the same host's logs (the calculator's inputs live in the URL).
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

# The Content-Security-Policy. Pages carry it as `<meta http-equiv>` (for hosts that send no
# headers), with the hashes of their inline scripts computed at build time; hosts also send
# it as a header. Material's instant navigation runs the next page's inline scripts under the
# first page's policy, so every page lists the hashes of the whole site.
# - `'wasm-unsafe-eval'` and `worker-src blob:`: the module worker that runs Pyodide compiles
#   WebAssembly. Started from worker.mjs, it takes its policy from that file's response headers;
#   started (on a first visit) from the copy of its code the calculator page carries, a `blob:`
#   URL, it runs under the page's own policy, the meta tag's too.
# - `frame-ancestors` only in the header: browsers ignore it (with a console error) in a meta tag.
# - `img-src data:`: the theme draws its icons as `data:` SVG masks in its stylesheet.
CSP_HASH = re.compile(r"'sha256-[A-Za-z0-9+/=]+'")
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S)
_NOT_JAVASCRIPT = re.compile(r"""\btype=["']?(?!(text/javascript|module)["' >])""")
CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="(?P<policy>[^"]*)">\n?')


def inline_script_hashes(html: str) -> set[str]:
    """CSP source expressions (`'sha256-…'`) of the inline scripts a page runs (not JSON data)."""
    found = set()
    for match in _INLINE_SCRIPT.finditer(html):
        if _NOT_JAVASCRIPT.search(match["attrs"]):
            continue
        digest = hashlib.sha256(match["body"].encode("utf-8")).digest()
        found.add(f"'sha256-{base64.b64encode(digest).decode('ascii')}'")
    return found


def content_security_policy(hashes: Iterable[str] = (), *, header: bool) -> str:
    """The policy: `header=False` for the page's meta tag, `header=True` for a host's header."""
    scripts = ["'self'", *sorted(set(hashes)), "'wasm-unsafe-eval'"]
    directives = [
        ("default-src", "'self'"),
        ("script-src", " ".join(scripts)),
        ("img-src", "'self' data:"),
        ("worker-src", "'self' blob:"),
        ("object-src", "'none'"),
        ("base-uri", "'self'"),
    ]
    if header:
        directives.append(("frame-ancestors", "'none'"))
    return "; ".join(f"{name} {value}" for name, value in directives)


def policy_hashes(html: str) -> list[str]:
    """The script hashes of the policy a built page carries in its meta tag (none without one)."""
    match = CSP_META.search(html)
    return CSP_HASH.findall(match["policy"]) if match else []


def site_hashes(site: Path) -> set[str]:
    """Hashes of every inline script of every page of a built site."""
    found: set[str] = set()
    for page in sorted(site.rglob("*.html")):
        found |= inline_script_hashes(page.read_text(encoding="utf-8"))
    return found


REFERRER_META = '<meta name="referrer" content="{}">\n'.format(SECURITY_HEADERS["Referrer-Policy"])


def set_page_policy(html: str, policy: str) -> str:
    """The page with its policy meta tags (the CSP and the referrer policy, which a page can set
    itself on hosts without headers), first in `<head>` after the charset (replaced if there)."""
    tag = f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n' + REFERRER_META
    html = CSP_META.sub("", html).replace(REFERRER_META, "")
    charset = re.search(r"<meta charset=[^>]*>\n?", html)
    at = charset.end() if charset else html.index("<head>") + len("<head>")
    return html[:at] + tag + html[at:]


def apply_page_policy(site: Path) -> str:
    """Write the site's policy into every page of a built site; returns the policy."""
    policy = content_security_policy(site_hashes(site), header=False)
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        updated = set_page_policy(text, policy)
        if updated != text:
            page.write_text(updated, encoding="utf-8")
    return policy


# ---------------------------------------------------------------------------------------------
# nginx: the contract above as a server block. `scripts/deploy/nginx.conf` and the README's
# block are this function's output for the current build (`make nginx-conf` writes both; a test
# fails when they differ). Every location repeats every header: nginx drops inherited
# `add_header`s in a location that adds its own.

NGINX_ROOT = "/srv/shouhou/site"
NGINX_CONF = Path(__file__).resolve().parents[1] / "deploy" / "nginx.conf"
README_BEGIN = "<!-- nginx.conf: generated by `make nginx-conf` from scripts/site/hosting.py -->"
README_END = "<!-- end of nginx.conf -->"


def _headers(cache: str) -> list[str]:
    headers = {"Cache-Control": f'"{cache}"', "Content-Security-Policy": "$csp"}
    headers |= {name: f'"{value}"' for name, value in SECURITY_HEADERS.items()}
    return [f"add_header {name} {value} always;" for name, value in headers.items()]


def nginx_server(hashes: Iterable[str], root: str = NGINX_ROOT, listen: str = "80", prefix: str = "/") -> str:
    """An nginx `server` block (for the `http` context) that serves a built site at `root`.

    `prefix` is the site's path on its host (`/guide/` for https://example.org/guide/, from the
    build's `SITE_URL`): the files then live in `root` + prefix, and every location, the 404
    pages and the versioned paths carry it.
    """
    policy = content_security_policy(hashes, header=True)
    prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    types: dict[str, list[str]] = {}
    for suffix, mime in {**OTHER_TYPES, **MIME_TYPES}.items():
        types.setdefault(mime, []).append(suffix.lstrip("."))

    def block(match: str, cache: str) -> list[str]:
        return [f"location {match} {{", *("    " + line for line in _headers(cache)), "}"]

    lines = [
        "# Generated by `make nginx-conf` from scripts/site/hosting.py; do not edit by hand.",
        "# Goes in nginx's http block (e.g. /etc/nginx/conf.d/shouhou.conf). Needs Debian's",
        "# libnginx-mod-http-brotli-static for brotli_static (without it, drop that line).",
        "server {",
        f"    listen {listen};",
        f"    root {root};",
        "    server_tokens off;",
        "    absolute_redirect off;",
        "    charset utf-8;",
        "    # Every type the site needs (this block replaces the host's mime.types here).",
        "    types {",
        *(f"        {mime} {' '.join(sorted(suffixes))};" for mime, suffixes in types.items()),
        "    }",
        "    gzip_static on;",
        "    brotli_static on;",
        "    gzip_vary on;",
        f"    error_page 404 {prefix}404.html;",
        "    # The pages' policy (their inline scripts' hashes, from the build) plus what only a",
        "    # header can say; the Pyodide worker gets it from its own response.",
        f'    set $csp "{policy}";',
    ]
    for line in block(f"~ ^{prefix}{VERSIONED_PATTERN}", CACHE_VERSIONED):
        lines.append("    " + line)
    # The English edition answers a missing page with its own 404 page.
    for location, not_found in ((f"{prefix}en/", f"{prefix}en/404.html"), (prefix, None)):
        for line in block(location, CACHE_OTHER)[:-1]:
            lines.append("    " + line)
        if not_found:
            lines.append(f"        error_page 404 {not_found};")
        lines += ["        try_files $uri $uri/ =404;", "    }"]
    lines += ["}", ""]
    return "\n".join(lines)


def readme_block(server: str) -> str:
    return f"{README_BEGIN}\n\n```nginx\n{server}```\n\n{README_END}"


NGINX_PARENT = "/srv/shouhou/www"  # the root for a site under a path: its files in NGINX_PARENT + path


def site_prefix(site_url: str | None) -> str:
    """The site's path on its host, from its address: "/" or "/guide/"."""
    path = urlsplit(site_url or "/").path.strip("/")
    return f"/{path}/" if path else "/"


def write_nginx(site: Path, readme: Path, site_url: str | None = None) -> Path:
    """`make nginx-conf`: a server block for the built site at its address (its inline scripts'
    hashes, its path). At the root of a host it is the shipped file and the README's block;
    under a path, `scripts/deploy/nginx-PATH.conf`. Returns the file written."""
    prefix = site_prefix(site_url)
    if prefix != "/":
        target = NGINX_CONF.with_name(f"nginx-{prefix.strip('/').replace('/', '-')}.conf")
        target.write_text(nginx_server(site_hashes(site), NGINX_PARENT, prefix=prefix), encoding="utf-8")
        return target
    server = nginx_server(site_hashes(site))
    NGINX_CONF.parent.mkdir(parents=True, exist_ok=True)
    NGINX_CONF.write_text(server, encoding="utf-8")
    text = readme.read_text(encoding="utf-8")
    start, end = text.index(README_BEGIN), text.index(README_END) + len(README_END)
    readme.write_text(text[:start] + readme_block(server) + text[end:], encoding="utf-8")
    return NGINX_CONF


if __name__ == "__main__":
    import os
    import sys

    if len(sys.argv) != 2:
        sys.exit(
            "usage: [SITE_URL=…] python -m scripts.site.hosting SITE_DIR  (writes the nginx server block for that build)"
        )
    address = os.environ.get("SITE_URL")
    written = write_nginx(Path(sys.argv[1]), Path(__file__).resolve().parents[2] / "README.md", address)
    prefix = site_prefix(address)
    where = NGINX_ROOT if prefix == "/" else f"{NGINX_PARENT}{prefix}"
    print(f"nginx: wrote {written.relative_to(Path.cwd()) if written.is_relative_to(Path.cwd()) else written}")
    print(f"nginx: it serves the files of {sys.argv[1]} from {where} (change root there to your folder)")
