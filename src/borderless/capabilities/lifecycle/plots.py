"""Monitoring charts as inline SVG drawn on the server: a value per minute, one line per model
version, with the alert threshold as a dashed line. No JavaScript, nothing to fetch."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from html import escape

__all__ = ["curve_chart", "line_chart"]

WIDTH, HEIGHT, LEFT, BOTTOM, TOP, RIGHT = 600, 200, 52, 30, 12, 10
COLOURS = ("#175cd3", "#b54708", "#027a48", "#6941c6", "#c11574", "#344054")


def _short(value: float) -> str:
    """1.2k, 35, 0.25: short enough for the axis."""
    if value >= 1000:
        return f"{value / 1000:.1f}k"
    return f"{value:.3g}"


def line_chart(
    title: str,
    series: Mapping[str, Sequence[tuple[datetime, float]]],
    limit: float | None = None,
    unit: str = "",
    above: bool = True,
) -> str:
    """One line per series (a model version) over time; `limit` draws the alert threshold
    (crossed going `above` it, or below)."""
    points = [p for values in series.values() for p in values]
    if not points:
        return ""
    start = min(t for t, _ in points)
    end = max(t for t, _ in points)
    span = max((end - start).total_seconds(), 60.0)
    top = max([v for _, v in points] + ([limit] if limit is not None else [])) or 1.0
    top *= 1.1
    labels = [f"{_short(top * k / 4)}{unit}" for k in range(5)]
    # room for the longest label (11 px letters, about 7 wide): "99.0k ms" lost its "9"
    left = max(LEFT, 10 + 7 * max(len(t) for t in labels))
    plot_w, plot_h = WIDTH - left - RIGHT, HEIGHT - BOTTOM - TOP

    def x(t: datetime) -> float:
        return left + plot_w * (t - start).total_seconds() / span

    def y(v: float) -> float:
        return TOP + plot_h - plot_h * v / top

    body = []
    for k, label in enumerate(labels):
        value = top * k / 4
        body.append(
            f'<line x1="{left}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            f'class="grid"/><text x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end" '
            f'class="tick">{escape(label)}</text>'
        )
    ends = [(start.strftime("%Y-%m-%d %H:%M"), start)]  # as the pages write dates
    if (end - start).total_seconds() >= 0.3 * span:  # room for a second label
        ends.append((end.strftime("%H:%M"), end))
    for label, t in ends:
        anchor = "start" if t == start else "end"
        body.append(f'<text x="{x(t):.1f}" y="{HEIGHT - 12}" text-anchor="{anchor}" '
                    f'class="tick">{label}</text>')  # fmt: skip
    if limit is not None:
        way = "above" if above else "below"
        body.append(f'<line x1="{left}" x2="{WIDTH - RIGHT}" y1="{y(limit):.1f}" '
                    f'y2="{y(limit):.1f}" class="limit"><title>alert {way} '
                    f"{limit:g}{escape(unit)}</title></line>")  # fmt: skip
    for i, (name, values) in enumerate(sorted(series.items())):
        colour = COLOURS[i % len(COLOURS)]
        ordered = sorted(values)
        path = " ".join(f"{x(t):.1f},{y(v):.1f}" for t, v in ordered)
        body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2">'
                    f"<title>{escape(name)}</title></polyline>")  # fmt: skip
        if len(ordered) == 1:
            t, v = ordered[0]
            body.append(f'<circle cx="{x(t):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}"/>')
        body.append(f'<text x="{left + 4 + 150 * i}" y="{HEIGHT - 1}" class="legend" '
                    f'fill="{colour}">{escape(name[:24])}</text>')  # fmt: skip
    return (
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" '
        f'class="monitor-chart" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
        + "".join(body)
        + "</svg>"
    )


def curve_chart(curve: Sequence[Mapping[str, float | None]], chosen: float) -> str:
    """In-scope accuracy and out-of-scope recall against the reject threshold; a dashed line
    at the chosen threshold."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - BOTTOM - TOP

    def x(t: float) -> float:
        return LEFT + plot_w * t

    def y(v: float) -> float:
        return TOP + plot_h - plot_h * v

    body = []
    for k in range(5):
        v = k / 4
        body.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
                    f'class="grid"/><text x="{LEFT - 6}" y="{y(v) + 4:.1f}" text-anchor="end" '
                    f'class="tick">{100 * v:.0f}%</text>')  # fmt: skip
    for t in (0.0, 0.25, 0.5, 0.75, 1.0):
        body.append(f'<text x="{x(t):.1f}" y="{HEIGHT - 12}" text-anchor="middle" '
                    f'class="tick">{t:g}</text>')  # fmt: skip
    lines = (("in_scope_accuracy", "in-scope accuracy", COLOURS[0]),
             ("oos_recall", "out-of-scope recall", COLOURS[1]))  # fmt: skip
    for i, (key, name, colour) in enumerate(lines):
        points = [(float(p["threshold"] or 0), p[key]) for p in curve if p.get(key) is not None]
        path = " ".join(f"{x(t):.1f},{y(float(v or 0)):.1f}" for t, v in points)
        body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2">'
                    f"<title>{name}</title></polyline><text x=\"{LEFT + 4 + 170 * i}\" "
                    f'y="{HEIGHT - 1}" class="legend" fill="{colour}">{name}</text>')  # fmt: skip
    body.append(f'<line x1="{x(chosen):.1f}" x2="{x(chosen):.1f}" y1="{TOP}" y2="{TOP + plot_h}" '
                f'class="limit"><title>chosen threshold {chosen:g}</title></line>')  # fmt: skip
    return (
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="trade-off curve" '
        'class="monitor-chart" xmlns="http://www.w3.org/2000/svg"><title>trade-off curve</title>'
        + "".join(body)
        + "</svg>"
    )
