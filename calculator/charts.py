"""Charts as SVG text, drawn by Python so the browser downloads no plotting library.

Each chart comes with a text alternative. Colours are CSS classes (`gc-…`), styled by
the site for the light and dark palettes; every text inside the SVG is escaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from calculator.errors import Message
from calculator.levels import LevelScale
from calculator.numbers import format_nearest, format_number

WIDTH = 600
# What html.escape replaces, without importing the html package: its entity table is about a
# tenth of the standard library the browser downloads before the first answer.
_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})


def escape(text: str) -> str:
    """`text` safe inside an SVG element or attribute (the output of `html.escape(text)`)."""
    return text.translate(_ENTITIES)


LANGS = ("zh", "en")


@dataclass(frozen=True)
class Chart:
    """An SVG drawing and the sentence that says the same thing in words."""

    svg: str
    alt: str

    def to_dict(self) -> dict[str, str]:
        return {"svg": self.svg, "alt": self.alt}


@dataclass(frozen=True)
class Bar:
    """One row of the breakdown chart."""

    name: Message
    earned: Fraction
    possible: Fraction


def _x(value: Fraction, maximum: Fraction, left: float, width: float, start: Fraction = Fraction(0)) -> float:
    span = maximum - start
    return left + float((min(max(value, start), maximum) - start) / span) * width if span else float(left)


def _svg(height: int, title: str, body: list[str], label_id: str, width: int = WIDTH, css: str = "gc-chart") -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="{css}" '
        f'role="img" aria-labelledby="{label_id}"><title id="{label_id}">{escape(title)}</title>'
        + "".join(body)
        + "</svg>"
    )


def score_on_scale(
    score: Fraction,
    scale: LevelScale,
    lang: str = "zh",
    chart_id: str = "gc-scale",
    span: tuple[Fraction, Fraction] | None = None,
) -> Chart:
    """The score as a marker on the level bands; the axis starts 20 points below the lowest
    level so the narrow top bands stay readable (a lower score sits at the left edge).

    Drawn at a phone's width (like the readiness chart), so its text is not shrunk there: each
    band's name sits above the bar where it fits beside its neighbours, otherwise below the
    figures (narrow top bands alternate). `span` (low, high): an estimate's range, drawn as a band
    from low to high under the marker and said in the text alternative; its figures are then
    whole points (an estimate)."""
    left, width = 12, SCALE_WIDTH - 24
    top, bar = 26, 22
    lowest = scale.levels[0].min_score or Fraction(0)
    start = max(Fraction(0), lowest - 20)
    bounds: list[tuple[str, Message, Fraction, Fraction]] = []
    lower = start
    names = [scale.not_qualified, *scale.levels]
    uppers = [level.min_score for level in scale.levels] + [scale.maximum]
    for level, upper in zip(names, uppers, strict=True):
        assert upper is not None
        bounds.append((level.code, level.name, lower, upper))
        lower = upper
    body = []
    ticks = top + bar + 16
    below = ticks + 18
    # The right edge of the latest name in each row: above the bar (0), then below the figures
    # (1, 2: two narrow top bands whose names are both wider than their bands).
    last_end = {0: -1000.0, 1: -1000.0, 2: -1000.0}
    for code, name, low, high in bounds:
        x0, x1 = _x(low, scale.maximum, left, width, start), _x(high, scale.maximum, left, width, start)
        body.append(
            f'<rect class="gc-band gc-band--{code}" x="{x0:.1f}" y="{top}" width="{x1 - x0:.1f}" height="{bar}"/>'
        )
        body.append(f'<text class="gc-tick" x="{x0:.1f}" y="{ticks}" text-anchor="middle">{format_number(low)}</text>')
        short = getattr(name, lang)
        half = _text_width(short) * _EM / 2
        centre = min(max((x0 + x1) / 2, half), SCALE_WIDTH - half)
        row = next((row for row in (0, 1) if centre - half > last_end[row] + 4), 2)
        last_end[row] = centre + half
        y = top - 7 if row == 0 else below + (row - 1) * 16
        body.append(f'<text class="gc-band-label" x="{centre:.1f}" y="{y}" text-anchor="middle">{escape(short)}</text>')
    end = format_number(scale.maximum)
    if left + width - _x(bounds[-1][2], scale.maximum, left, width, start) > (len(end) + 1.5) * _EM * 0.62:
        body.append(f'<text class="gc-tick" x="{left + width}" y="{ticks}" text-anchor="end">{end}</text>')
    clamped = min(max(score, Fraction(0)), scale.maximum)
    places = 2
    if span is not None:
        places = 0
        low, high = (min(max(value, Fraction(0)), scale.maximum) for value in span)
        x0, x1 = _x(low, scale.maximum, left, width, start), _x(high, scale.maximum, left, width, start)
        body.append(
            f'<rect class="gc-range-band" x="{x0:.1f}" y="{top + 6}" width="{max(x1 - x0, 2):.1f}" height="10" rx="3"/>'
        )
    marker = _x(clamped, scale.maximum, left, width, start)
    body.append(f'<line class="gc-marker" x1="{marker:.1f}" y1="{top - 4}" x2="{marker:.1f}" y2="{top + bar + 4}"/>')
    body.append(f'<circle class="gc-marker" cx="{marker:.1f}" cy="{top + bar / 2:.1f}" r="6"/>')
    level = scale.level_for(clamped)
    shown = format_number(clamped, places)
    if span is not None:
        low_text, high_text = (format_number(min(max(v, Fraction(0)), scale.maximum), 0) for v in span)
        if lang == "en":
            alt = (
                f"Estimate {shown} of {format_number(scale.maximum)} (range {low_text}–{high_text}), "
                f"in the {level.name.en} band."
            )
        else:
            alt = f"估计 {shown} 分（满分 {format_number(scale.maximum)}，区间 {low_text}–{high_text} 分），落在{level.name.zh}区间。"
    elif lang == "en":
        alt = f"Score {shown} of {format_number(scale.maximum)}, in the {level.name.en} band."
    else:
        alt = f"总分 {shown}（满分 {format_number(scale.maximum)}），落在{level.name.zh}区间。"
    rows_below = sum(1 for row in (1, 2) if last_end[row] > -1000)
    height = below + 6 + (rows_below - 1) * 16 if rows_below else ticks + 6
    return Chart(_svg(height, alt, body, chart_id, SCALE_WIDTH, "gc-chart gc-chart--narrow"), alt)


def breakdown(bars: list[Bar], lang: str = "zh", chart_id: str = "gc-breakdown") -> Chart:
    """Earned against possible points, one row per group or item: its label (whole, on as many
    lines as it needs), then its bar with the figures beside it. Drawn at a phone's width like
    the readiness chart; every bar starts at the left edge, on one scale (the largest maximum)."""
    figures = [f"{format_number(bar.earned)} / {format_number(bar.possible)}" for bar in bars]
    room = max((_text_width(figure) for figure in figures), default=0.0) * _EM + 8
    bar_width = READINESS_WIDTH - room
    most = max((bar.possible for bar in bars), default=Fraction(0))
    body, parts = [], []
    y = 4
    for bar, figures_text in zip(bars, figures, strict=True):
        name = getattr(bar.name, lang)
        for line in wrap_label(name, READINESS_WIDTH):
            body.append(f'<text class="gc-bar-label" x="0" y="{y + 12}">{escape(line)}</text>')
            y += _LINE
        y += 2
        full = _x(bar.possible, most, 0, bar_width)
        got = _x(bar.earned, most, 0, bar_width)
        body.append(f'<rect class="gc-bar-possible" x="0" y="{y}" width="{full:.1f}" height="{_BAR}"/>')
        body.append(f'<rect class="gc-bar-earned" x="0" y="{y}" width="{got:.1f}" height="{_BAR}"/>')
        body.append(f'<text class="gc-bar-value" x="{full + 6:.1f}" y="{y + 11}">{figures_text}</text>')
        y += _BAR + 10
        parts.append(f"{name} {figures_text}")
    if lang == "en":
        alt = "Points earned of possible: " + "; ".join(parts) + "."
    else:
        alt = "各部分得分 / 满分：" + "；".join(parts) + "。"
    return Chart(_svg(y, alt, body, chart_id, READINESS_WIDTH, "gc-chart gc-chart--narrow"), alt)


@dataclass(frozen=True)
class ReadinessRow:
    """One row of the readiness chart: a share from 0 to 1, with a range for a group."""

    name: Message
    share: Fraction | None  # None: left out (every question not applicable)
    low: Fraction | None = None
    high: Fraction | None = None
    group: bool = False


def _percent(value: Fraction) -> str:
    return format_nearest(value * 100) + "%"


# The readiness chart is drawn at about a phone's width in user units, one row under another, so
# that on a phone its text is shown near the size the site's style gives it instead of being
# shrunk with a wide drawing (the page caps how far a wider screen enlarges it).
READINESS_WIDTH = 320
SCALE_WIDTH = READINESS_WIDTH  # the score scale, at the same phone's width
_LINE = 16  # from one line of text to the next, at the site's 13-unit chart text
_BAR = 12
_INDENT = 12  # an indicator's label sits under its group's
_FIGURE_ROOM = 56  # right of the bars: the widest figure, "33.33%"
_EM = 13  # the chart text's size in user units (calculator.css: .gc-chart text)


def _text_width(text: str) -> float:
    """A generous estimate of a text's width in em: Chinese (and other wide) characters take
    a whole em, every other character is counted wider than a Latin letter usually is."""
    return sum(1.0 if ord(char) >= 0x2E80 else 0.62 for char in text)


def wrap_label(text: str, room: float) -> list[str]:
    """`text` in lines that each fit `room` user units (by `_text_width`): broken at spaces,
    and a word (or a run of Chinese) too long for one line is broken between characters."""
    limit = room / _EM
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if _text_width(candidate) <= limit:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        for char in word:
            if line and _text_width(line + char) > limit:
                lines.append(line)
                line = ""
            line += char
    return [*lines, line] if line or not lines else lines


def readiness_chart(rows: list[ReadinessRow], lang: str = "zh", chart_id: str = "gc-readiness-chart") -> Chart:
    """Readiness per group (bold, with its range as a whisker and in words under the bar) and per
    indicator (indented), 0–100%: each row is its label, then its bar with the figure beside it.
    Every bar starts at the left edge and has the same length for 100%, so rows compare."""
    bar_width = READINESS_WIDTH - _FIGURE_ROOM
    left_out = "不计入" if lang == "zh" else "left out"
    range_word = "区间" if lang == "zh" else "range"
    body, parts = [], []
    one = Fraction(1)
    y = 4
    for each in rows:
        name = getattr(each.name, lang)
        indent = 0 if each.group else _INDENT
        label_class = "gc-bar-label gc-bar-label--group" if each.group else "gc-bar-label"
        for line in wrap_label(name, READINESS_WIDTH - indent):
            body.append(f'<text class="{label_class}" x="{indent}" y="{y + 12}">{escape(line)}</text>')
            y += _LINE
        y += 2
        body.append(f'<rect class="gc-bar-possible" x="0" y="{y}" width="{bar_width}" height="{_BAR}"/>')
        if each.share is None:
            body.append(f'<text class="gc-bar-value" x="6" y="{y + 10}">{left_out}</text>')
            parts.append(f"{name} {left_out}")
            y += _BAR + 10
            continue
        got = _x(each.share, one, 0, bar_width)
        bar_class = "gc-bar-earned gc-bar-earned--group" if each.group else "gc-bar-earned"
        body.append(f'<rect class="{bar_class}" x="0" y="{y}" width="{got:.1f}" height="{_BAR}"/>')
        figure = _percent(each.share)
        body.append(f'<text class="gc-bar-value" x="{bar_width + 6}" y="{y + 11}">{escape(figure)}</text>')
        if each.low is not None and each.high is not None and each.low != each.high:
            x0, x1 = _x(each.low, one, 0, bar_width), _x(each.high, one, 0, bar_width)
            middle = y + _BAR // 2
            body.append(f'<line class="gc-range" x1="{x0:.1f}" y1="{middle}" x2="{x1:.1f}" y2="{middle}"/>')
            for x in (x0, x1):
                body.append(f'<line class="gc-range" x1="{x:.1f}" y1="{y - 2}" x2="{x:.1f}" y2="{y + _BAR + 2}"/>')
            spread = f"{_percent(each.low)}–{_percent(each.high)}"
            y += _BAR + 2
            body.append(f'<text class="gc-bar-value" x="0" y="{y + 12}">{range_word} {escape(spread)}</text>')
            y += _LINE - _BAR
            figure += f" ({spread})"
        y += _BAR + 10
        parts.append(f"{name} {figure}")
    if lang == "en":
        alt = "Readiness by group (range in brackets) and indicator: " + "; ".join(parts) + "."
    else:
        alt = "各一级指标（括号内为区间）和二级指标的准备度：" + "；".join(parts) + "。"
    return Chart(_svg(y, alt, body, chart_id, READINESS_WIDTH, "gc-chart gc-chart--narrow"), alt)
