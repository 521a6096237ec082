"""The shipped nginx configuration, in real nginx (Debian's, with its brotli static module),
serving the built site: types, precompressed twins, caching, headers, the 404 page, and the
calculator in Chromium under the header and meta policies with zero violations."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from csp_helpers import CspWatch
from e2e_helpers import LOAD_TIMEOUT, READY

from scripts.site import hosting
from scripts.tools.chromium import build_site
from scripts.tools.http_check import decoded, fetch

ROOT = Path(__file__).resolve().parents[2]
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
REGENERATE = "run `make nginx-conf` (after `make build`) and commit scripts/deploy/nginx.conf and README.md"


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if not found or not BROTLI_MODULE.exists():
        pytest.fail("nginx is missing: `make test` installs Debian's nginx and libnginx-mod-http-brotli-static")
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_shipped_config_and_the_readme_block_are_hosting_py_s_output(built_site: Path) -> None:
    expected = hosting.nginx_server(hosting.site_hashes(built_site))
    assert hosting.NGINX_CONF.read_text(encoding="utf-8") == expected, REGENERATE
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert hosting.readme_block(expected) in readme, REGENERATE


@contextmanager
def run_nginx(server: str, prefix: Path) -> Iterator[None]:
    """Real nginx, one process as the test's user, serving `server` (a server block)."""
    binary = nginx_binary()
    temp = "\n".join(
        f"    {kind}_temp_path {prefix / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (prefix / "nginx.conf").write_text(
        f"load_module {BROTLI_MODULE};\n"
        "master_process off;\ndaemon off;\n"  # one process, as the test's user: it can read the temp site
        f"pid {prefix / 'nginx.pid'};\nerror_log {prefix / 'error.log'} warn;\n"
        f"events {{}}\nhttp {{\n    access_log off;\n{temp}\n{server}}}\n",
        encoding="utf-8",
    )
    port = int(server.split("listen 127.0.0.1:", 1)[1].split(";", 1)[0])
    command = [binary, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(prefix / "error.log")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr
    assert "[warn]" not in checked.stderr, checked.stderr
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:  # wait for nginx to listen (a positive signal), or for it to fail
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "nginx did not start listening"
                time.sleep(0.05)
        yield
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def nginx(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """The shipped config, pointed at the session's build."""
    port = free_port()
    server = hosting.NGINX_CONF.read_text(encoding="utf-8")
    for line, replacement in (
        ("listen 80;", f"listen 127.0.0.1:{port};"),
        (f"root {hosting.NGINX_ROOT};", f"root {built_site};"),
    ):
        assert server.count(line) == 1
        server = server.replace(line, replacement)
    with run_nginx(server, tmp_path_factory.mktemp("nginx")):
        yield port


def runtime_path(site: Path, name: str) -> str:
    return "/" + next(site.glob(f"assets/pyodide/v*/{name}")).relative_to(site).as_posix()


@pytest.mark.parametrize(
    ("name", "accept", "encoding"),
    [
        ("pyodide.asm.wasm", "gzip, deflate, br", "br"),
        ("pyodide.asm.wasm", "gzip", "gzip"),
        ("pyodide.asm.wasm", "", None),
    ],
)
def test_the_wasm_is_application_wasm_precompressed_and_cached_for_good(
    nginx: int, built_site: Path, name: str, accept: str, encoding: str | None
) -> None:
    path = runtime_path(built_site, name)
    status, headers, body = fetch(nginx, path, accept)
    assert status == 200
    assert headers["content-type"] == "application/wasm"
    assert headers.get("content-encoding") == encoding
    assert headers["cache-control"] == hosting.CACHE_VERSIONED
    assert "accept-encoding" in headers.get("vary", "").lower() or encoding is None
    assert decoded(headers, body) == (built_site / path.lstrip("/")).read_bytes()


def test_every_file_of_the_site_has_its_type_in_the_config(built_site: Path) -> None:
    server = hosting.NGINX_CONF.read_text(encoding="utf-8")
    listed = {
        suffix
        for line in server.split("types {")[1].split("}")[0].splitlines()
        for suffix in line.strip(" ;").split()[1:]
    }
    suffixes = {
        path.suffix.lstrip(".")
        for path in built_site.rglob("*.*")
        if path.is_file() and path.suffix not in (".br", ".gz")
    }
    assert suffixes - listed == set()


def test_module_scripts_are_javascript(nginx: int, built_site: Path) -> None:
    for path in (runtime_path(built_site, "pyodide.asm.mjs"), "/assets/calculator/worker.mjs"):
        status, headers, _ = fetch(nginx, path, "br, gzip")
        assert status == 200
        assert headers["content-type"].split(";")[0] == "text/javascript", path


@pytest.mark.parametrize("path", ["/", "/calculator/", "/en/faq/", "/sw.js"])
def test_pages_and_the_service_worker_revalidate_and_come_precompressed(
    nginx: int, built_site: Path, path: str
) -> None:
    status, headers, body = fetch(nginx, path, "gzip, br")
    assert status == 200
    assert headers["cache-control"] == "no-cache"
    assert headers["content-encoding"] == "br"
    file = built_site / (path.lstrip("/") + ("index.html" if path.endswith("/") else ""))
    assert decoded(headers, body) == file.read_bytes()


def test_every_answer_carries_the_policy_and_security_headers(nginx: int, built_site: Path) -> None:
    policy = hosting.content_security_policy(hosting.site_hashes(built_site), header=True)
    for path in ("/", "/assets/calculator/worker.mjs", runtime_path(built_site, "pyodide.asm.wasm"), "/nothing/here/"):
        _, headers, _ = fetch(nginx, path)
        assert headers["content-security-policy"] == policy, path
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"


def test_a_missing_page_is_the_sites_404_page(nginx: int, built_site: Path) -> None:
    status, headers, body = fetch(nginx, "/nothing/here/", "br")
    assert status == 404
    assert decoded(headers, body) == (built_site / "404.html").read_bytes()
    assert headers["cache-control"] == "no-cache"


def test_a_folder_without_its_slash_is_redirected_relatively(nginx: int) -> None:
    status, headers, _ = fetch(nginx, "/calculator")
    assert status == 301
    assert headers["location"] == "/calculator/"


@pytest.mark.browser
def test_the_calculator_reaches_ready_through_nginx_with_no_policy_violation(browser: Any, nginx: int) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        watch = CspWatch(page)
        page.goto(f"http://127.0.0.1:{nginx}/calculator/")
        page.wait_for_selector(READY, timeout=LOAD_TIMEOUT)
        page.fill('input[name="score"]', "93")
        page.wait_for_selector('[data-result][data-score="93"][aria-busy="false"]', state="attached")
        page.goto(f"http://127.0.0.1:{nginx}/en/standard/")
        page.wait_for_selector(".md-content h1")
        assert watch.violations() == []
    finally:
        context.close()


# --- a site under a path (https://example.org/guide/): `make nginx-conf` with SITE_URL ---------


@pytest.fixture(scope="module")
def guide(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path]]:
    """A build for http://127.0.0.1:PORT/guide/, its files in ROOT/guide/, and nginx for it."""
    port = free_port()
    www = tmp_path_factory.mktemp("www")
    site = www / "guide"
    completed = build_site(site, f"http://127.0.0.1:{port}/guide/")
    assert completed.returncode == 0, completed.stderr
    server = hosting.nginx_server(hosting.site_hashes(site), str(www), f"127.0.0.1:{port}", prefix="/guide/")
    with run_nginx(server, tmp_path_factory.mktemp("nginx-guide")):
        yield port, site


def test_under_a_path_versioned_files_are_cached_for_good(guide: tuple[int, Path]) -> None:
    port, site = guide
    path = "/guide" + runtime_path(site, "pyodide.asm.wasm")
    status, headers, _ = fetch(port, path, "br")
    assert (status, headers["cache-control"], headers["content-encoding"]) == (200, hosting.CACHE_VERSIONED, "br")
    status, headers, _ = fetch(port, "/guide/calculator/", "br")
    assert (status, headers["cache-control"]) == (200, hosting.CACHE_OTHER)


@pytest.mark.parametrize(("path", "page"), [("/guide/nothing/here/", "404.html"), ("/guide/en/no/", "en/404.html")])
def test_under_a_path_a_missing_page_is_its_editions_404_page_with_every_header(
    guide: tuple[int, Path], path: str, page: str
) -> None:
    port, site = guide
    status, headers, body = fetch(port, path, "br")
    assert status == 404
    assert decoded(headers, body) == (site / page).read_bytes()
    policy = hosting.content_security_policy(hosting.site_hashes(site), header=True)
    assert headers["content-security-policy"] == policy
    assert headers["x-content-type-options"] == "nosniff"


@pytest.mark.browser
def test_under_a_path_the_calculator_and_the_404_page_run_with_no_policy_violation(
    browser: Any, guide: tuple[int, Path]
) -> None:
    port, _ = guide
    context = browser.new_context()
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        watch = CspWatch(page)
        page.goto(f"http://127.0.0.1:{port}/guide/calculator/")
        page.wait_for_selector(READY, timeout=LOAD_TIMEOUT)
        page.fill('input[name="score"]', "93")
        page.wait_for_selector('[data-result][data-score="93"][aria-busy="false"]', state="attached")
        page.goto(f"http://127.0.0.1:{port}/guide/deep/missing/page/")
        page.wait_for_selector(".md-content h1")
        page.wait_for_load_state("networkidle")
        assert watch.violations() == []
        assert errors == []  # "__md_get is not defined" when the 404 page's script was blocked
    finally:
        context.close()
