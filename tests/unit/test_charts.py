"""The readiness chart as a phone shows it (issue 24): drawn at a phone's width, so that its text
is not shrunk, with every label inside the drawing and every bar on the same scale."""

from __future__ import annotations

import html
import re
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from calculator.charts import READINESS_WIDTH, ReadinessRow, escape, readiness_chart, wrap_label
from calculator.errors import Message
from calculator.readiness import load_model

ROWS = [
    ReadinessRow(
        Message("售后服务体系", "After-sales service system"),
        Fraction(1, 2),
        Fraction(1, 4),
        Fraction(3, 4),
        group=True,
    ),
    ReadinessRow(Message("规范要求", "Documented rules and specifications"), Fraction(2, 3)),
    ReadinessRow(Message("监督", "Supervision"), None),
    ReadinessRow(Message("改进", "Improvement"), Fraction(1)),
]


def view_box(svg: str) -> tuple[float, float]:
    found = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg)
    assert found
    return float(found.group(1)), float(found.group(2))


def texts(svg: str) -> list[tuple[float, str]]:
    """Each text element's x and content."""
    return [(float(x), body) for x, body in re.findall(r'<text [^>]*?x="([\d.]+)"[^>]*>([^<]*)</text>', svg)]


def test_the_chart_is_drawn_at_a_phones_width_so_its_text_is_not_shrunk() -> None:
    for lang in ("zh", "en"):
        width, height = view_box(readiness_chart(ROWS, lang).svg)
        assert width == READINESS_WIDTH <= 340  # a 360 px phone shows it at 0.85 or more of its size
        assert height > 0


def test_each_row_is_its_label_then_its_bar_starting_at_the_left_edge() -> None:
    svg = readiness_chart(ROWS, "en").svg
    shown = [body for _, body in texts(svg)]
    assert shown.index("After-sales service system") < shown.index("50%") < shown.index("range 25%–75%")
    # 2/3 is rounded for display, never truncated to 66.66
    assert shown.index("Documented rules and specifications") < shown.index("66.67%")
    assert "left out" in shown
    # every bar, group or indicator, starts at x=0 with one length for 100%: rows compare
    possible = re.findall(r'<rect class="gc-bar-possible" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', svg)
    assert len(possible) == len(ROWS) and len(set(possible)) == 1 and possible[0][0] == "0"
    full = re.search(r'<rect class="gc-bar-earned" x="0" y="[\d.]+" width="([\d.]+)"', svg.split(">Improvement<")[-1])
    assert full and full.group(1) == f"{float(possible[0][1]):.1f}"


def test_every_label_of_the_real_model_fits_the_drawing_on_one_line() -> None:
    model = load_model()
    for lang in ("zh", "en"):
        for group in model.groups:
            for name in (group.name, *(indicator.name for indicator in group.indicators)):
                assert wrap_label(getattr(name, lang), READINESS_WIDTH - 12) == [getattr(name, lang)]


def test_a_label_too_long_for_one_line_is_broken_at_a_space_and_drawn_on_two() -> None:
    long = Message(
        "一个很长很长很长很长很长很长很长很长很长的二级指标名称", ("A very long indicator name " * 2).strip()
    )
    svg = readiness_chart([ReadinessRow(long, Fraction(1, 3))], "en").svg
    lines = [body for x, body in texts(svg) if x == 12]
    assert len(lines) == 2 and " ".join(lines) == long.en
    zh = [body for x, body in texts(readiness_chart([ReadinessRow(long, Fraction(1, 3))], "zh").svg) if x == 12]
    assert len(zh) == 2 and "".join(zh) == long.zh


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("ab 售后Wi-"), max_size=80),
    st.integers(min_value=40, max_value=READINESS_WIDTH),
)
def test_wrapped_lines_fit_their_room_and_keep_every_character(text: str, room: int) -> None:
    lines = wrap_label(text, room)
    assert lines
    # only a line of a single character (wider than the room) may exceed it
    assert all(len(line) == 1 or sum(1.0 if ord(c) >= 0x2E80 else 0.62 for c in line) * 13 <= room for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


@given(st.text())
def test_escape_gives_what_html_escape_gives(text: str) -> None:
    assert escape(text) == html.escape(text)


def test_a_label_with_markup_shows_as_text_not_as_markup() -> None:
    rows = [ReadinessRow(Message("<script>&", "<b>R&D</b> \"x\" 'y'"), Fraction(1))]
    svg = readiness_chart(rows, "en").svg
    assert "<b>" not in svg and "<script>" not in svg
    assert "&lt;b&gt;R&amp;D&lt;/b&gt; &quot;x&quot; &#x27;y&#x27;" in svg
