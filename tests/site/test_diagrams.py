"""Pre-rendered diagrams stay in step with the data they are drawn from."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.tools.diagrams import DIAGRAMS, OUT, digest, source, stamped_digest


@pytest.mark.parametrize("name", sorted(DIAGRAMS))
def test_committed_svg_was_rendered_from_the_current_data(name: str) -> None:
    svg = (OUT / f"{name}.svg").read_text(encoding="utf-8")
    assert stamped_digest(svg) == digest(source(name)), f"the data changed: run `make diagrams` to redraw {name}.svg"
    assert svg.startswith("<svg")
    assert "<script" not in svg
    assert "http://" not in svg.replace("http://www.w3.org/", "")


def test_process_page_shows_the_diagram_without_any_diagram_script(built_site: Path) -> None:
    html = (built_site / "process" / "index.html").read_text(encoding="utf-8")
    assert 'src="../assets/diagrams/process.svg"' in html
    assert (built_site / "assets" / "diagrams" / "process.svg").is_file()
    assert "mermaid.min.js" not in html
    assert 'class="mermaid"' not in html
