"""The built site: strict build, self-hosted runtime, the wheel registered with its hash."""

from __future__ import annotations

import base64
import hashlib
import json
from html import unescape
import re
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from scripts.pyodide.bundle import CODE_WHEEL, ON_DEMAND, RUNTIME_FILES, WORKBOOK_STDLIB, build_wheel, plan
from scripts.pyodide.precompile_python import COMMAND_LINE_MODULES, ON_DEMAND_MODULES

ROOT = Path(__file__).resolve().parents[2]


def test_mkdocs_build_strict_passes_without_warnings(site_build: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    _, completed = site_build
    assert completed.returncode == 0, completed.stderr
    assert "WARNING" not in completed.stderr, completed.stderr


def test_runtime_is_copied_under_a_path_that_carries_the_pinned_version(built_site: Path) -> None:
    pinned = json.loads((ROOT / "package.json").read_text())["devDependencies"]["pyodide"]
    assert re.fullmatch(r"314\.\d+\.\d+", pinned), "pin one exact 314.x version"
    runtime = built_site / "assets" / "pyodide" / f"v{pinned}"
    for name in RUNTIME_FILES:
        assert (runtime / name).read_bytes() == (ROOT / "node_modules" / "pyodide" / name).read_bytes()


def _pyc_headers(archive: zipfile.ZipFile) -> set[bytes]:
    return {archive.read(name)[:8] for name in archive.namelist() if name.endswith(".pyc")}


def test_stdlib_is_the_runtimes_own_precompiled_and_split_in_two(built_site: Path) -> None:
    (first,) = built_site.glob("assets/python/stdlib-*/python_stdlib.zip")
    with (
        zipfile.ZipFile(ROOT / "node_modules" / "pyodide" / "python_stdlib.zip") as stock,
        zipfile.ZipFile(first) as kept,
        zipfile.ZipFile(first.with_name("python_stdlib_rest.zip")) as rest,
    ):
        sources = {name for name in stock.namelist() if name.endswith(".py")}
        kept_names, rest_names = set(kept.namelist()), set(rest.namelist())
        assert not kept_names & rest_names
        assert not [name for name in kept_names | rest_names if name.endswith(".py")], "bytecode only"
        compiled = {name[:-1] for name in kept_names | rest_names if name.endswith(".pyc")}
        assert compiled == sources | {"sitecustomize.py"}, "every module of the runtime's library, once"
        for name in ("json/__init__.pyc", "fractions.pyc", "decimal.pyc", "_pyodide/_base.pyc", "sitecustomize.pyc"):
            assert name in kept_names
        for name in ("unittest/__init__.pyc", "xml/dom/minidom.pyc", "argparse.pyc", "encodings/gbk.pyc"):
            assert name in rest_names
        index = kept.read("stdlib-rest.txt").decode().split()
        assert len(index) == len([name for name in rest_names if name.endswith(".pyc")])
        assert {"unittest", "xml.dom.minidom", "encodings.gbk"} <= set(index)
        assert "json" not in index
        for archive in (kept, rest):
            assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_STORED}
        (header,) = _pyc_headers(kept) | _pyc_headers(rest)  # one interpreter's magic number
        assert header[4:8] == (1).to_bytes(4, "little"), "unchecked hash-based .pyc (PEP 552)"


def test_site_wheel_is_the_built_wheel_plus_bytecode_listed_in_its_record(built_site: Path) -> None:
    """The start-up wheel, gc-workbooks (the module that only workbooks need) and gc-command-line
    (the CLI, never shipped) together are the built wheel plus bytecode; each lists its own files,
    bytecode included, in its RECORD."""
    (wheel,) = built_site.glob("assets/python/*/gbt27922_calculator-*.whl")
    (later,) = wheel.parent.glob(f"{CODE_WHEEL.replace('-', '_')}-*.whl")
    command_line = plan(ROOT).command_line_wheel
    assert command_line is not None
    assert not list(built_site.rglob(command_line.name)), "the command line is not part of the site"
    source_wheel = build_wheel(ROOT, ROOT / ".cache" / "bundle")
    with (
        zipfile.ZipFile(wheel) as site,
        zipfile.ZipFile(later) as extra,
        zipfile.ZipFile(command_line) as cli,
        zipfile.ZipFile(source_wheel) as source,
    ):
        moved = {name for name in extra.namelist() if name.startswith("calculator/")}
        assert moved == {"calculator/workbooks.py", "calculator/__pycache__/workbooks.cpython-314.pyc"}
        left_out = {name for name in cli.namelist() if name.startswith("calculator/")}
        assert {name for name in left_out if name.endswith(".py")} == {
            f"calculator/{module}.py" for module in COMMAND_LINE_MODULES
        }
        assert not set(site.namelist()) & left_out
        names = set(site.namelist()) | moved | left_out
        cached = {name for name in names if "/__pycache__/" in name}
        assert names - cached == set(source.namelist())
        modules = [name for name in source.namelist() if name.startswith("calculator/") and name.endswith(".py")]
        assert modules
        assert all(name.count("/") == 1 for name in modules), "one flat package"
        assert cached == {f"calculator/__pycache__/{name[len('calculator/') : -3]}.cpython-314.pyc" for name in modules}
        for archive in (site, extra, cli):
            record_name = next(name for name in archive.namelist() if name.endswith(".dist-info/RECORD"))
            lines = archive.read(record_name).decode().splitlines()
            record = {line.split(",")[0]: line.split(",")[1] for line in lines}
            assert set(record) == set(archive.namelist())
            for name in cached & set(archive.namelist()):
                digest = base64.urlsafe_b64encode(hashlib.sha256(archive.read(name)).digest()).rstrip(b"=").decode()
                assert record[name] == f"sha256={digest}"
        with zipfile.ZipFile(next(built_site.glob("assets/python/stdlib-*/python_stdlib.zip"))) as stdlib:
            assert _pyc_headers(site) == _pyc_headers(stdlib), "compiled by the same interpreter as the library"
            assert _pyc_headers(extra) == _pyc_headers(stdlib)


def test_site_wheel_carries_every_module_as_it_is_now(built_site: Path) -> None:
    """The browser runs today's sources: no cached wheel of older ones (a removed webform.py once was)."""
    (wheel,) = built_site.glob("assets/python/*/gbt27922_calculator-*.whl")
    package = ROOT / "calculator"
    sources = {
        path.relative_to(ROOT).as_posix(): path.read_bytes()
        for path in package.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert "calculator/browser.py" in sources
    shipped: dict[str, bytes] = {}
    (workbooks,) = wheel.parent.glob(f"{CODE_WHEEL.replace('-', '_')}-*.whl")  # the rest, on demand
    command_line = plan(ROOT).command_line_wheel  # and the CLI, which the site does not ship
    assert command_line is not None
    for each in (wheel, workbooks, command_line):
        with zipfile.ZipFile(each) as site:
            shipped |= {name: site.read(name) for name in site.namelist() if name.startswith("calculator/")}
    assert {name: data for name, data in shipped.items() if "/__pycache__/" not in name} == sources


def test_no_workbook_code_on_the_cold_path(built_site: Path) -> None:
    """What a first answer fetches (our wheel, the trimmed standard library) holds nothing that only
    workbooks need: not calculator/workbooks.py, not openpyxl, not the modules they import."""
    (wheel,) = built_site.glob("assets/python/*/gbt27922_calculator-*.whl")
    with zipfile.ZipFile(wheel) as site:
        names = site.namelist()
    assert "calculator/browser.py" in names
    assert not [name for name in names if any(f"/{module}." in name for module in ON_DEMAND_MODULES)]
    assert not [name for name in names if "openpyxl" in name or "xmlfile" in name]
    with zipfile.ZipFile(next(built_site.glob("assets/python/stdlib-*/python_stdlib.zip"))) as stdlib:
        library = set(stdlib.namelist())
    modules = [module.replace(".", "/") for module in WORKBOOK_STDLIB]
    assert not [path for path in modules if f"{path}.pyc" in library or f"{path}/__init__.pyc" in library]
    (with_workbooks,) = wheel.parent.glob(f"{CODE_WHEEL.replace('-', '_')}-*.whl")
    with zipfile.ZipFile(with_workbooks) as site:
        assert "calculator/workbooks.py" in site.namelist()


def test_the_page_start_imports_no_workbook_code() -> None:
    """Every request the page makes without a workbook leaves calculator.workbooks and openpyxl unimported."""
    program = (
        "import json, sys\n"
        "import calculator.browser as browser\n"
        "for action in browser.ACTIONS:\n"
        "    if 'workbook' not in action:\n"
        "        browser.handle(json.dumps({'action': action, 'input': {}}))\n"
        "browser.handle(json.dumps({'action': 'batch', 'input': {}}), b'id,total\\na,93\\n')\n"
        "print(sorted(name for name in sys.modules if 'workbook' in name or 'openpyxl' in name))\n"
    )
    out = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_site_lockfile_registers_the_shipped_wheels_with_their_hashes(built_site: Path) -> None:
    (lock,) = built_site.glob("assets/python/*/pyodide-lock.json")
    data = json.loads(lock.read_text())
    assert set(data["packages"]) == {"gbt27922-calculator", *ON_DEMAND}  # ours, and the workbook wheels
    entry = data["packages"]["gbt27922-calculator"]
    wheel = lock.parent / entry["file_name"]
    assert re.fullmatch(r"gbt27922_calculator-[\d.]+-py3-none-any\.whl", wheel.name)
    assert entry["imports"] == ["calculator"]
    assert data["packages"]["openpyxl"]["depends"] == ["et-xmlfile"]
    for each in data["packages"].values():
        assert each["file_name"].endswith("-none-any.whl")
        assert each["sha256"] == hashlib.sha256((lock.parent / each["file_name"]).read_bytes()).hexdigest()
    assert data["info"]["python"].startswith("3.14")


def test_the_service_worker_never_precaches_the_workbook_wheels(built_site: Path) -> None:
    worker = (built_site / "sw.js").read_text(encoding="utf-8")
    assert "gbt27922_calculator-" in worker
    (lock,) = built_site.glob("assets/python/*/pyodide-lock.json")
    packages = json.loads(lock.read_text())["packages"]
    on_demand = [packages[name]["file_name"] for name in ON_DEMAND]
    assert len(on_demand) == 4 and not [name for name in on_demand if name in worker]


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.loads: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("script", "img", "iframe", "source", "audio", "video") and values.get("src"):
            self.loads.append(str(values["src"]))
        if (
            tag == "link"
            and values.get("href")
            and (values.get("rel") or "") in ("stylesheet", "preload", "modulepreload", "icon")
        ):
            self.loads.append(str(values["href"]))


@pytest.mark.parametrize("page", ["index.html", "calculator/index.html"])
def test_pages_load_nothing_from_another_origin(built_site: Path, page: str) -> None:
    html = (built_site / page).read_text(encoding="utf-8")
    parser = _Refs()
    parser.feed(html)
    assert parser.loads, "the parser must see the page's scripts and styles"
    foreign = [url for url in parser.loads if re.match(r"^(https?:)?//", url)]
    assert foreign == []
    assert "fonts.googleapis" not in html and "fonts.gstatic" not in html


def test_calculator_page_carries_the_dom_contract(built_site: Path) -> None:
    html = (built_site / "calculator" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<div [^>]*data-calculator[^>]*data-state="loading"', html)
    assert re.search(r'<input [^>]*name="score"[^>]*inputmode="decimal"', html)
    assert re.search(r'<section [^>]*data-result[^>]*data-level=""[^>]*data-score=""', html)
    runtime = re.search(r'data-runtime="([^"]+)"', html)
    assert runtime and (built_site / "calculator" / runtime.group(1) / "pyodide.mjs").exists()
    for attribute in ("data-lock", "data-worker"):
        found = re.search(rf'{attribute}="([^"]+)"', html)
        assert found and (built_site / "calculator" / found.group(1)).is_file(), attribute


@pytest.mark.parametrize("page", ["calculator/index.html", "en/calculator/index.html"])
def test_no_template_comment_shows_on_the_calculator_page(built_site: Path, page: str) -> None:
    """The site's Jinja comments are {## ##}; a comment written as {# #} is printed as text."""
    html = (built_site / page).read_text(encoding="utf-8")
    widget = html[html.index("data-calculator") :]
    assert "{#" not in widget and "#}" not in widget


def test_home_page_grade_table_comes_from_the_level_data(built_site: Path) -> None:
    from calculator import load_scale

    html = (built_site / "index.html").read_text(encoding="utf-8")
    for level in load_scale().levels:
        assert level.name.zh in html
        assert f"{level.min_score} 分及以上" in html


@pytest.mark.parametrize("page", ["calculator/index.html", "en/calculator/index.html"])
def test_the_calculator_page_starts_its_worker_first_in_the_head(built_site: Path, page: str) -> None:
    """The worker starts before any stylesheet (an inline script after one would wait for it), with the
    widget's own settings; the page preloads no runtime file (the worker fetches them off the main thread)."""
    from scripts.site import calculator_start, hosting

    html = (built_site / page).read_text(encoding="utf-8")
    head = html[: html.index("</head>")]
    start = head.index("window.gcStartedWorker = started")
    assert start < head.index('<link rel="stylesheet"')
    assert head.index('http-equiv="Content-Security-Policy"') < start, "the policy comes first"
    settings = calculator_start.settings(html)
    meta = re.search(r'<meta name="gc-start" content="([^"]*)">', head)
    assert settings and meta and json.loads(unescape(meta[1])) == settings
    assert meta.start() < start, "the settings come before the script that reads them"
    assert not re.search(r"<link[^>]*(pyodide|python_stdlib|\.whl)", html)
    assert not re.search(r'<script[^>]*src="[^"]*(pyodide|python_stdlib)', html)
    assert "gcPainted" not in html
    # The worker's own code, for a first visit to start it without waiting for worker.mjs: what the
    # site serves as worker.mjs, without comment lines, in a script nothing runs or hashes.
    carried = re.search(r'<script type="text/plain" id="gc-worker-source">\n(.*?)</script>', head, re.S)
    served = (built_site / "assets" / "calculator" / "worker.mjs").read_text(encoding="utf-8")
    assert carried and carried[1] == calculator_start.without_comments(served)
    assert carried.start() < start
    assert hosting.inline_script_hashes(carried[0]) == set(), "not a script the policy needs to allow"


def test_only_the_calculator_page_names_the_runtime(built_site: Path) -> None:
    calculator = (built_site / "calculator" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'data-runtime="[^"]*assets/pyodide/v[^"]+/"', calculator)
    for page in built_site.rglob("index.html"):
        if page.parent.name != "calculator":
            text = page.read_text(encoding="utf-8")
            assert "pyodide" not in text and "gcStartedWorker" not in text, page


def test_the_start_script_goes_only_where_the_widget_is() -> None:
    from scripts.site import calculator_start

    plain = '<head><link rel="stylesheet" href="a.css"></head><body><p>text</p></body>'
    assert calculator_start.insert(plain) == plain
    widget = (
        '<div class="gc" data-calculator data-state="loading" data-runtime="../r/" data-lock="../l.json" '
        'data-stdlib="../s.zip" data-stdlib-rest="../t.zip" data-worker="../w.mjs" data-sw="../sw.js" data-package="p">'
    )
    page = calculator_start.insert(
        f'<head><title>x</title>\n  <link rel="stylesheet" href="a.css"></head><body>{widget}</body>'
    )
    assert page.index("<script>") < page.index('<link rel="stylesheet"') and page.index("<title>") < page.index(
        "<script>"
    )
    meta = re.search(r'<meta name="gc-start" content="([^"]*)">', page)
    assert meta and json.loads(unescape(meta[1])) == {
        "worker": "../w.mjs",
        "runtime": "../r/",
        "lock": "../l.json",
        "stdlib": "../s.zip",
        "stdlibRest": "../t.zip",
        "pkg": "p",
    }
    script = page[page.index("<script>") : page.index("</script>")]
    # Another build (another wheel digest in the lockfile's path): the same script, so the same CSP
    # hash in the shipped nginx config; only the <meta> differs.
    other = calculator_start.insert(
        f'<head><title>x</title>\n  <link rel="stylesheet" href="a.css"></head><body>{widget.replace("l.json", "v2/l.json")}</body>'
    )
    assert other[other.index("<script>") : other.index("</script>")] == script
    assert not [line for line in script.splitlines() if line.lstrip().startswith("//")], "comments stay in the source"
    with pytest.raises(ValueError, match="data-lock"):
        calculator_start.insert(widget.replace(' data-lock="../l.json"', "") + '<link rel="stylesheet" href="a.css">')


@pytest.mark.parametrize(
    ("code", "carried"),
    [
        ("// a comment\nconst a = 1; // kept\n  // indented\nself.onmessage = null;", "const a = 1; // kept\nself.onmessage = null;\n"),
        ("const a = '</script>';", None),
        ("const b = x </ y;", None),
        ("const c = '<!--';", None),
    ],
)
def test_the_page_carries_the_workers_code_only_where_nothing_can_end_it(code: str, carried: str | None) -> None:
    from scripts.site import calculator_start

    if carried is None:
        with pytest.raises(ValueError, match="cannot carry"):
            calculator_start.carried_worker(code)
    else:
        assert calculator_start.carried_worker(code) == carried


def test_the_theme_bundle_is_deferred_on_every_page(built_site: Path) -> None:
    for page in [*built_site.rglob("index.html"), built_site / "404.html"]:
        html = page.read_text(encoding="utf-8")
        scripts = re.findall(r'<script src="[^"]*assets/javascripts/bundle\.[0-9a-f]+\.min\.js"([^>]*)>', html)
        assert scripts == [" defer"], page


# The site's own styles, as mkdocs.yml lists them under extra_css (site path → source in the repository).
OWN_STYLESHEETS = {
    "assets/site.css": Path("docs/assets/site.css"),
    "assets/calculator/calculator.css": Path("docs/assets/calculator/calculator.css"),
    "stylesheets/guide.css": Path("docs/stylesheets/guide.css"),
}


def test_every_page_waits_on_one_versioned_file_for_the_sites_own_styles(built_site: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    combined: set[str] = set()
    for page in [*built_site.rglob("index.html"), built_site / "404.html"]:
        links = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page.read_text(encoding="utf-8"))
        own = [link for link in links if "/stylesheets/main." not in link and "/stylesheets/palette." not in link]
        assert len(own) == 1 and re.search(r"assets/stylesheets/site\.[0-9a-f]{8}\.css$", own[0]), (page, links)
        combined.add(own[0].rsplit("/", 1)[1])
    assert len(combined) == 1, "both editions and every page link the same file"
    name = combined.pop()
    css = (built_site / "assets" / "stylesheets" / name).read_text(encoding="utf-8")
    assert name == f"site.{hashlib.sha256(css.encode()).hexdigest()[:8]}.css"
    positions = [css.index((root / source).read_text(encoding="utf-8").strip()) for source in OWN_STYLESHEETS.values()]
    assert positions == sorted(positions), "the sources keep the order of extra_css, so later rules still win"
    for site_path in OWN_STYLESHEETS:
        assert not (built_site / site_path).exists(), f"{site_path} is published only inside {name}"


def test_images_are_requested_while_the_page_parses(built_site: Path) -> None:
    # A lazy image waits for layout; the flowchart at the top of the process page is its largest paint.
    for page in built_site.rglob("index.html"):
        assert 'loading="lazy"' not in page.read_text(encoding="utf-8"), page
