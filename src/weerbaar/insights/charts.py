"""Server-side SVG charts: plain markup, no script, no inline style (the CSP allows neither),
so the same drawing goes into the page and into the PDF.

Every chart has a title and a description for screen readers, and the page shows the same
numbers in a table: the chart is never the only way to read them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from weerbaar.formatting import figure
from weerbaar.formatting import unit as unit_label

# Colours chosen to be told apart in grey scale as well (dark → light).
INK = "#1d2a3a"
BAR = "#2f6f9f"
REGION = "#b3261e"
SECTOR = "#1d2a3a"
PREVIOUS = "#6b7785"
GRID = "#d5dbe1"


@dataclass(frozen=True)
class ThemeBar:
    label: str
    score: int | None
    region: float | None = None
    sector: float | None = None
    previous: int | None = None


def theme_chart(bars: Sequence[ThemeBar], title: str, chart_id: str = "chart") -> SafeString:
    """Horizontal score bars 0–100 per theme with markers for the region median (red line),
    the sector median (dark diamond) and the previous round (grey ring)."""
    label_width, plot_width, row, top = 260, 400, 30, 34
    width = label_width + plot_width + 60
    height = top + row * len(bars) + 44

    def x(value: float) -> float:
        return label_width + plot_width * max(0.0, min(100.0, float(value))) / 100

    parts: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" class="chart" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="sans-serif" '
        f'font-size="13">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
    ]
    # The words apart from the f-strings: makemessages does not look inside those.
    region_word, sector_word, previous_word = _("regio"), _("sector"), _("vorige ronde")
    description = "; ".join(
        f"{bar.label}: {figure(bar.score)}"
        + (f", {region_word} {figure(bar.region)}" if bar.region is not None else "")
        + (f", {sector_word} {figure(bar.sector)}" if bar.sector is not None else "")
        + (f", {previous_word} {figure(bar.previous)}" if bar.previous is not None else "")
        for bar in bars
    )
    parts.append(f'<desc id="{chart_id}-desc">{escape(description)}</desc>')
    for tick in range(0, 101, 25):
        parts.append(
            f'<line x1="{x(tick)}" y1="{top - 6}" x2="{x(tick)}" '
            f'y2="{top + row * len(bars)}" stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{x(tick)}" y="{top - 12}" text-anchor="middle" fill="{INK}">{tick}</text>'
        )
    for index, bar in enumerate(bars):
        y = top + index * row
        label = bar.label if len(bar.label) <= 38 else bar.label[:36] + "…"
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 19}" text-anchor="end" fill="{INK}">'
            f"{escape(label)}</text>"
        )
        if bar.score is not None:
            parts.append(
                f'<rect x="{label_width}" y="{y + 7}" width="{x(bar.score) - label_width:.1f}" '
                f'height="16" fill="{BAR}"/>'
                f'<text x="{label_width + plot_width + 40}" y="{y + 20}" fill="{INK}" '
                f'text-anchor="end" font-weight="bold">{bar.score}</text>'
            )
        if bar.previous is not None:
            parts.append(
                f'<circle cx="{x(bar.previous):.1f}" cy="{y + 15}" r="5" fill="none" '
                f'stroke="{PREVIOUS}" stroke-width="2"/>'
            )
        if bar.sector is not None:
            cx, cy = x(bar.sector), y + 15
            parts.append(
                f'<path d="M{cx:.1f} {cy - 6} L{cx + 6:.1f} {cy} L{cx:.1f} {cy + 6} '
                f'L{cx - 6:.1f} {cy} Z" fill="{SECTOR}" stroke="#ffffff" stroke-width="1"/>'
            )
        if bar.region is not None:
            parts.append(
                f'<line x1="{x(bar.region):.1f}" y1="{y + 3}" x2="{x(bar.region):.1f}" '
                f'y2="{y + 27}" stroke="{REGION}" stroke-width="3"/>'
            )
    legend_y = top + row * len(bars) + 24
    lx = label_width
    score, region_median, sector_median = _("score"), _("mediaan regio"), _("mediaan sector")
    parts.append(
        f'<rect x="{lx}" y="{legend_y - 10}" width="14" height="10" fill="{BAR}"/>'
        f'<text x="{lx + 18}" y="{legend_y}" fill="{INK}">{escape(score)}</text>'
        f'<line x1="{lx + 80}" y1="{legend_y - 12}" x2="{lx + 80}" y2="{legend_y + 2}" '
        f'stroke="{REGION}" stroke-width="3"/>'
        f'<text x="{lx + 88}" y="{legend_y}" fill="{INK}">{escape(region_median)}</text>'
        f'<path d="M{lx + 200} {legend_y - 11} L{lx + 206} {legend_y - 5} L{lx + 200} '
        f'{legend_y + 1} L{lx + 194} {legend_y - 5} Z" fill="{SECTOR}"/>'
        f'<text x="{lx + 212}" y="{legend_y}" fill="{INK}">{escape(sector_median)}</text>'
        f'<circle cx="{lx + 330}" cy="{legend_y - 5}" r="5" fill="none" stroke="{PREVIOUS}" '
        f'stroke-width="2"/>'
        f'<text x="{lx + 340}" y="{legend_y}" fill="{INK}">{escape(previous_word)}</text>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above is escaped


def _svg_open(
    width: float, height: float, chart_id: str, title: str, description: str, font_size: int
) -> list[str]:
    """The opening of a chart: its size, and its title and description for screen readers."""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" class="chart" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="sans-serif" '
        f'font-size="{font_size}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]


def _nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10^k at or above ``value`` (so axis ticks are round)."""
    import math

    scale = 10 ** math.floor(math.log10(value))
    return next(step * scale for step in (1, 2, 2.5, 5, 10) if step * scale >= value)


def distribution_chart(
    values: Sequence[float],
    norm: float | None,
    unit: str,
    title: str,
    chart_id: str = "dist",
    bins: int = 40,
) -> SafeString:
    """A histogram of the organisations' values (bars below the norm in red tint), the median
    (dark diamond) and the region's norm (red line), from 0 to a little past the largest.
    Its size does not grow with the number of organisations."""
    unit = unit_label(unit)
    width, height, left, right, base = 460, 92, 12, 12, 66
    top_value = _nice_ceiling(max([*values, norm or 0, 1.0]) * 1.05)
    plot = width - left - right

    def x(value: float) -> float:
        return left + plot * float(value) / top_value

    ordered = sorted(float(v) for v in values)
    middle = (
        (ordered[len(ordered) // 2] + ordered[(len(ordered) - 1) // 2]) / 2 if ordered else None
    )
    counts = [0] * bins
    for value in ordered:
        counts[min(bins - 1, int(bins * value / top_value))] += 1
    tallest = max(counts) or 1
    values_word, median_word, norm_word = _("waarden"), _("mediaan"), _("norm")
    description = (
        f"{len(ordered)} {values_word}"
        + (f", {median_word} {figure(middle)} {unit}" if middle is not None else "")
        + (f", {norm_word} {figure(norm)} {unit}" if norm is not None else "")
    )
    parts = _svg_open(width, height, chart_id, title, description, 11)
    bar_width = plot / bins
    for index, count in enumerate(counts):
        if not count:
            continue
        bar_height = 44 * count / tallest
        start = left + index * bar_width
        below = norm is not None and (index + 1) * top_value / bins <= norm
        parts.append(
            f'<rect x="{start:.1f}" y="{base - bar_height:.1f}" width="{bar_width - 1:.1f}" '
            f'height="{bar_height:.1f}" fill="{REGION if below else BAR}" fill-opacity="0.55"/>'
        )
    parts.append(f'<line x1="{left}" y1="{base}" x2="{width - right}" y2="{base}" stroke="{INK}"/>')
    for fraction in (0, 0.25, 0.5, 0.75, 1):
        value = top_value * fraction
        parts.append(
            f'<text x="{x(value):.1f}" y="{height - 8}" text-anchor="middle" fill="{INK}">'
            f"{figure(round(value))}</text>"
        )
    if middle is not None:
        cx, cy = x(middle), base + 1
        parts.append(
            f'<path d="M{cx:.1f} {cy - 7} L{cx + 7:.1f} {cy} L{cx:.1f} {cy + 7} '
            f'L{cx - 7:.1f} {cy} Z" fill="{SECTOR}" stroke="#ffffff"/>'
        )
    if norm is not None:
        parts.append(
            f'<line x1="{x(norm):.1f}" y1="10" x2="{x(norm):.1f}" y2="{base + 4}" '
            f'stroke="{REGION}" stroke-width="3"/>'
            f'<text x="{x(norm) + 4:.1f}" y="16" fill="{REGION}">{escape(norm_word)} '
            f"{figure(norm)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above is escaped


def trend_chart(
    points: Sequence[tuple[str, float | None]], title: str, chart_id: str = "trend"
) -> SafeString:
    """A line of scores 0–100 over rounds (oldest left), each point labelled with its value;
    a round without a value breaks the line."""
    width, height, left, right, top, bottom = 640, 220, 40, 20, 20, 50
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(1, len(points) - 1)

    def x(index: int) -> float:
        return left + (step * index if len(points) > 1 else plot_w / 2)

    def y(value: float) -> float:
        return top + plot_h * (1 - float(value) / 100)

    description = "; ".join(f"{label}: {figure(value)}" for label, value in points)
    parts = _svg_open(width, height, chart_id, title, description, 12)
    for tick in range(0, 101, 25):
        parts.append(
            f'<line x1="{left}" y1="{y(tick):.1f}" x2="{width - right}" y2="{y(tick):.1f}" '
            f'stroke="{GRID}"/><text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" '
            f'fill="{INK}">{tick}</text>'
        )
    segment: list[str] = []
    segments: list[list[str]] = []
    for index, (_label, value) in enumerate(points):
        if value is None:
            if segment:
                segments.append(segment)
            segment = []
            continue
        segment.append(f"{x(index):.1f},{y(value):.1f}")
    if segment:
        segments.append(segment)
    for line in segments:
        parts.append(
            f'<polyline points="{" ".join(line)}" fill="none" stroke="{BAR}" stroke-width="3"/>'
        )
    for index, (label, value) in enumerate(points):
        short = label if len(label) <= 18 else label[:17] + "…"
        parts.append(
            f'<text x="{x(index):.1f}" y="{height - bottom + 18}" text-anchor="middle" '
            f'fill="{INK}">{escape(short)}</text>'
        )
        if value is not None:
            parts.append(
                f'<circle cx="{x(index):.1f}" cy="{y(value):.1f}" r="5" fill="{BAR}"/>'
                f'<text x="{x(index):.1f}" y="{y(value) - 10:.1f}" text-anchor="middle" '
                f'font-weight="bold" fill="{INK}">{escape(figure(value))}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above is escaped


@dataclass(frozen=True)
class Line:
    """One series of a timeline: a value per step (hour or day)."""

    label: str
    values: Sequence[float]
    colour: str = BAR
    dashed: bool = False
    filled: bool = False  # an area down to zero (overflow, people in need)


def timeline_chart(
    lines: Sequence[Line],
    title: str,
    *,
    step_label: str,
    steps_per_tick: int,
    chart_id: str = "timeline",
    marker: tuple[float, str] | None = None,
) -> SafeString:
    """Series over time (hours or days from the start of the scenario) on a shared axis from
    zero to a round ceiling, with a legend and an optional vertical marker (the region's
    first critical failure). Steps are drawn as steps, not slopes: a count that changes at
    hour 12 is not half-changed at hour 6."""
    width, left, right, top, plot_h = 680, 52, 16, 16, 164
    plot_w = width - left - right
    # The legend wraps onto as many rows as it needs, under the axis label.
    legend: list[tuple[float, int]] = []  # (x, row) of each line's key
    legend_x, legend_row = float(left), 0
    for line in lines:
        item = 40 + 7 * len(line.label)
        if legend_x > left and legend_x + item > width - right:
            legend_x, legend_row = float(left), legend_row + 1
        legend.append((legend_x, legend_row))
        legend_x += item
    legend_top = top + plot_h + 58
    height = legend_top + 18 * legend_row + 12
    count = max((len(line.values) for line in lines), default=0)
    peak = max((max(line.values, default=0) for line in lines), default=0)
    ceiling = _nice_ceiling(max(float(peak), 1.0))

    def x(index: float) -> float:
        return left + plot_w * index / max(1, count)

    def y(value: float) -> float:
        return top + plot_h * (1 - float(value) / ceiling)

    peak_word, from_word, to_word = _("hoogste"), _("van"), _("tot")

    def said(line: Line) -> str:
        above = [i for i, v in enumerate(line.values) if v > 0]
        text = f"{line.label}: {peak_word} {figure(max(line.values, default=0))}"
        if above:
            text += f", {from_word} {above[0]} {to_word} {above[-1] + 1} {step_label}"
        return text

    description = "; ".join(said(line) for line in lines)
    parts = _svg_open(width, height, chart_id, title, description, 12)
    for fraction in (0, 0.25, 0.5, 0.75, 1):
        value = ceiling * fraction
        parts.append(
            f'<line x1="{left}" y1="{y(value):.1f}" x2="{width - right}" y2="{y(value):.1f}" '
            f'stroke="{GRID}"/><text x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end" '
            f'fill="{INK}">{escape(figure(round(value, 1)))}</text>'
        )
    for tick in range(0, count + 1, max(1, steps_per_tick)):
        parts.append(
            f'<line x1="{x(tick):.1f}" y1="{top + plot_h}" x2="{x(tick):.1f}" '
            f'y2="{top + plot_h + 5}" stroke="{INK}"/>'
            f'<text x="{x(tick):.1f}" y="{top + plot_h + 18}" text-anchor="middle" '
            f'fill="{INK}">{tick}</text>'
        )
    parts.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{top + plot_h + 34}" text-anchor="middle" '
        f'fill="{INK}">{escape(step_label)}</text>'
    )
    for line in lines:
        points: list[str] = []
        for index, value in enumerate(line.values):
            points.append(f"{x(index):.1f},{y(value):.1f} {x(index + 1):.1f},{y(value):.1f}")
        if not points:
            continue
        path = " ".join(points)
        if line.filled:
            parts.append(
                f'<polygon points="{x(0):.1f},{y(0):.1f} {path} {x(len(line.values)):.1f},'
                f'{y(0):.1f}" fill="{line.colour}" fill-opacity="0.3" stroke="none"/>'
            )
        dash = ' stroke-dasharray="6 4"' if line.dashed else ""
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{line.colour}" '
            f'stroke-width="2.5"{dash}/>'
        )
    if marker is not None and 0 <= marker[0] <= count:
        at, label = marker
        parts.append(
            f'<line x1="{x(at):.1f}" y1="{top}" x2="{x(at):.1f}" y2="{top + plot_h}" '
            f'stroke="{REGION}" stroke-width="2" stroke-dasharray="2 3"/>'
            f'<text x="{min(x(at) + 4, width - right - 4):.1f}" y="{top + 12}" '
            f'text-anchor="{"start" if x(at) < width * 0.7 else "end"}" fill="{REGION}">'
            f"{escape(label)}</text>"
        )
    for line, (key_x, key_row) in zip(lines, legend, strict=True):
        dash = ' stroke-dasharray="6 4"' if line.dashed else ""
        key_y = legend_top + 18 * key_row
        parts.append(
            f'<line x1="{key_x:.1f}" y1="{key_y - 4}" x2="{key_x + 22:.1f}" '
            f'y2="{key_y - 4}" stroke="{line.colour}" stroke-width="3"{dash}/>'
            f'<text x="{key_x + 28:.1f}" y="{key_y}" fill="{INK}">'
            f"{escape(line.label)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above is escaped
