"""The process diagram: plain HTML by default, a Mermaid flowchart once mermaid is self-hosted."""

from __future__ import annotations

from content_helpers import DOCS, load

from scripts import generate


def render_process(**extra: object) -> str:
    return generate.render_page(
        (DOCS / "process.md").read_text(encoding="utf-8"), "process.md", generate.Links(), extra=extra
    )


def test_without_a_local_mermaid_the_diagram_is_html_and_css() -> None:
    out = render_process()
    assert "``` mermaid" not in out
    assert 'class="process-flow"' in out
    for step in load("process")["steps"]:
        assert f'href="#{step["id"]}"' in out


def test_with_a_local_mermaid_the_diagram_is_a_mermaid_flowchart_from_the_same_data() -> None:
    out = render_process(mermaid_self_hosted=True)
    assert 'class="process-flow"' not in out
    fence = out[out.index("``` mermaid") :]
    fence = fence[: fence.index("```", 3) + 3]
    assert fence.splitlines()[1] == "flowchart TD"
    for step in load("process")["steps"]:
        assert f'{step["id"]}["' in fence
    for edge in load("process")["edges"]:
        assert f"{edge['from']} -->" in fence
