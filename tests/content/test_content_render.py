"""The process diagram: a Mermaid flowchart from the process data (pre-rendered to SVG), and the
same steps as an HTML list that links to each stage."""

from __future__ import annotations

from content_helpers import DOCS, load

from scripts.site import generate


def render_process(**extra: object) -> str:
    return generate.render_page(
        (DOCS / "process.md").read_text(encoding="utf-8"), "process.md", generate.Links(), extra=extra
    )


def test_the_page_shows_the_rendered_flowchart_and_the_step_list() -> None:
    out = render_process()
    assert "``` mermaid" not in out  # no Mermaid in the page: Material would fetch it from a CDN
    assert 'src="../assets/diagrams/process.svg"' in out
    assert 'class="process-flow"' in out
    for step in load("process")["steps"]:
        assert f'href="#{step["id"]}"' in out


def test_the_mermaid_source_is_a_flowchart_from_the_same_data() -> None:
    from scripts.tools.diagrams import source

    fence = source("process")
    assert fence.splitlines()[0] == "flowchart TD"
    for step in load("process")["steps"]:
        assert f'{step["id"]}["' in fence
    for edge in load("process")["edges"]:
        assert f"{edge['from']} -->" in fence
