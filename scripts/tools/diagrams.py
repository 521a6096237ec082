"""Mermaid diagrams rendered once to SVG, so pages load no diagram library at all.

The Mermaid source is generated from the content data (`process_mermaid.md.j2` over
`docs/_data/process.yml`); `python -m scripts.tools.diagrams` (or `make diagrams`)
renders it with the npm `mermaid` package (installed on demand under `.cache/`) in headless Chromium and writes
`docs/assets/diagrams/NAME.svg`, stamped with the source's digest. A test fails when the
data changed and the SVG was not rendered again, so the picture cannot drift from the data.
Rendering needs Chromium and a Chinese font (`make diagrams` installs Debian's fonts-noto-cjk) for the labels'
widths; building the site needs neither.
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

from scripts.site.generate import Links, make_environment, render_page

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "assets" / "diagrams"
MERMAID = ROOT / ".cache" / "diagram-node" / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
DIAGRAMS = {"process": "process_mermaid.md.j2"}
STAMP = re.compile(r"<!-- mermaid-source-sha256: ([0-9a-f]{64}) -->")


def source(name: str) -> str:
    """The Mermaid text of a diagram, from its template and the content data."""
    fenced = render_page(f'{{% include "{DIAGRAMS[name]}" %}}', "diagram.md", Links(), make_environment())
    lines = [line for line in fenced.strip().splitlines() if not line.startswith("```")]
    return "\n".join(lines).strip() + "\n"


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def stamped_digest(svg: str) -> str | None:
    found = STAMP.search(svg)
    return found.group(1) if found else None


def render(text: str) -> str:
    """SVG markup for Mermaid text, drawn by mermaid in headless Chromium (labels as SVG text)."""
    from playwright.sync_api import sync_playwright

    from scripts.tools.chromium import CHROMIUM_FLAGS, chromium_path

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        page = browser.new_page()
        page.set_content("<!doctype html><meta charset=utf-8><body></body>")
        page.add_script_tag(path=str(MERMAID))
        svg = page.evaluate(
            """async text => {
                mermaid.initialize({startOnLoad: false, theme: 'neutral', securityLevel: 'strict',
                                    fontFamily: 'sans-serif', flowchart: {htmlLabels: false}});
                const {svg} = await mermaid.render('process-diagram', text);
                return svg;
            }""",
            text,
        )
        browser.close()
    return str(svg)


def write(name: str) -> Path:
    text = source(name)
    svg = render(text)
    target = OUT / f"{name}.svg"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(f"{svg}\n<!-- mermaid-source-sha256: {digest(text)} -->\n", encoding="utf-8")
    return target


def main() -> int:
    for name in DIAGRAMS:
        print(f"diagrams: wrote {write(name).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
