"""Risk charts as inline SVG, drawn on the server: no JavaScript, no fonts or files to fetch.

A chart is drawn 600 units wide and scaled to the page: on a 390 px phone its 11-unit labels
came out about 6 px and the rule legend, written inside the plot, had no keys. The legend is now
HTML under the chart (it wraps, each line with its colour's key), the page sets larger label
units on narrow screens (risk.html), the left margin holds a 19-unit "10,000", and the last
tick is anchored at its end so it is not cut."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from html import escape

__all__ = ["band_curve_chart", "rule_hits_chart", "score_histogram"]

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 600, 240, 66, 40, 12
_DASHED = "repeating-linear-gradient(90deg, #b42318 0 4px, transparent 4px 7px)"  # the cut line
# rule lines in turn: red, blue, green, orange... (the first two were dark red and orange-red,
# hard to tell apart: a walk)
COLOURS = ("#b42318", "#175cd3", "#027a48", "#b54708", "#6941c6", "#c11574", "#344054")


def _legend(items: Sequence[tuple[str, str]]) -> str:
    """The chart's key as HTML under it: a colour swatch and the label, one per line."""
    return (
        '<ul class="chart-legend">'
        + "".join(
            f'<li><span class="key" style="background:{colour}"></span>{escape(label)}</li>'
            for colour, label in items
        )
        + "</ul>"
    )


def _x_tick(x: float, y: float, label: str) -> str:
    """An x-axis label centred on its point, or ended there at the right edge (it was cut)."""
    anchor = "end" if x > WIDTH - 40 else "middle"
    return (f'<text x="{x:.1f}" y="{y}" text-anchor="{anchor}" class="tick">'
            f"{escape(label)}</text>")  # fmt: skip


def _frame(title: str, body: list[str], ymax: float) -> str:
    plot_h = HEIGHT - BOTTOM - TOP
    ticks = []
    for k in range(5):
        value = ymax * k / 4
        y = TOP + plot_h - plot_h * k / 4
        ticks.append(
            f'<line x1="{LEFT}" x2="{WIDTH - 8}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">'
            f"{value:,.0f}</text>"
        )
    return (
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" '
        f'class="risk-chart" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
        + "".join(ticks)
        + "".join(body)
        + "</svg>"
    )


def score_histogram(scores: Sequence[float], bins: int = 20, cut: float | None = None) -> str:
    """Orders per score band (0..1); a dashed line marks `cut` (e.g. the review threshold)."""
    counts = [0] * bins
    for s in scores:
        counts[min(bins - 1, max(0, int(s * bins)))] += 1
    ymax = max(counts, default=0) or 1
    plot_w, plot_h = WIDTH - LEFT - 8, HEIGHT - BOTTOM - TOP
    bar = plot_w / bins
    body = []
    for i, n in enumerate(counts):
        h = plot_h * n / ymax
        body.append(
            f'<rect x="{LEFT + i * bar + 1:.1f}" y="{TOP + plot_h - h:.1f}" width="{bar - 2:.1f}" '
            f'height="{h:.1f}" class="bar"><title>{i / bins:.2f}-{(i + 1) / bins:.2f}: '
            f"{n:,} orders</title></rect>"
        )
    for k in range(0, bins + 1, max(1, bins // 5)):
        x = LEFT + k * bar
        body.append(_x_tick(x, HEIGHT - 18, f"{k / bins:.1f}"))
    body.append(
        f'<text x="{LEFT + plot_w / 2:.1f}" y="{HEIGHT - 1}" text-anchor="middle" class="axis">'
        "risk score</text>"
    )
    if cut is not None:
        x = LEFT + plot_w * min(1.0, max(0.0, cut))
        body.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" y2="{TOP + plot_h}" class="cut"/>')
        return _frame("Orders by risk score", body, float(ymax)) + _legend(
            [(_DASHED, f"dashed: sent to review from {cut:.4f}")]
        )
    return _frame("Orders by risk score", body, float(ymax))


def rule_hits_chart(months: Sequence[str], hits: Mapping[str, Sequence[int]]) -> str:
    """One line per rule: orders it decided, month by month (`hits[rule][i]` for `months[i]`)."""
    ymax = max((max(v, default=0) for v in hits.values()), default=0) or 1
    plot_w, plot_h = WIDTH - LEFT - 8, HEIGHT - BOTTOM - TOP
    step = plot_w / max(1, len(months) - 1)
    body = []
    # at most five labels, the last never crowding the one before: seven ran into each other
    # on a phone, and "2011-11" sat on "2011-12" (a walk)
    last = len(months) - 1
    every = max(1, -(-last // 4))
    shown = {0, last} | {i for i in range(every, last, every) if last - i >= every / 2}
    for i, month in enumerate(months):
        if i in shown:
            body.append(_x_tick(LEFT + i * step, HEIGHT - 18, month))
    for n, (label, values) in enumerate(hits.items()):
        colour = COLOURS[n % len(COLOURS)]
        points = " ".join(
            f"{LEFT + i * step:.1f},{TOP + plot_h - plot_h * v / ymax:.1f}"
            for i, v in enumerate(values)
        )
        body.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2">'
            f"<title>{escape(label)}</title></polyline>"
        )
        body.extend(
            f'<circle cx="{LEFT + i * step:.1f}" cy="{TOP + plot_h - plot_h * v / ymax:.1f}" '
            f'r="3" fill="{colour}"><title>{escape(months[i])}: {v:,}</title></circle>'
            for i, v in enumerate(values)
        )
    keys = [(COLOURS[n % len(COLOURS)], label) for n, label in enumerate(hits)]
    return _frame("Orders decided by each rule, per month", body, float(ymax)) + _legend(keys)


def band_curve_chart(
    curve: Sequence[Mapping[str, float | None]], review_at: float, block_at: float
) -> str:
    """The review band's trade-off against the edge (0..1): orders sent to review, fraud caught
    (review or block) and good orders that would be blocked; dashed lines at the chosen edges."""
    plot_w, plot_h = WIDTH - LEFT - 8, HEIGHT - BOTTOM - TOP

    def x(t: float) -> float:
        return LEFT + plot_w * min(1.0, max(0.0, t))

    def y(v: float) -> float:
        return TOP + plot_h - plot_h * v

    body = []
    for k in range(0, 11, 2):
        body.append(_x_tick(x(k / 10), HEIGHT - 18, f"{k / 10:.1f}"))
    body.append(f'<text x="{LEFT + plot_w / 2:.1f}" y="{HEIGHT - 1}" text-anchor="middle" '
                'class="axis">edge on the risk score</text>')  # fmt: skip
    lines = (("review_rate", "orders to review"), ("caught", "fraud caught"),
             ("false_blocks", "good orders blocked"))  # fmt: skip
    for n, (key, name) in enumerate(lines):
        colour = COLOURS[(1, 2, 0)[n]]
        points = " ".join(
            f"{x(float(p['threshold'] or 0)):.1f},{y(float(p[key] or 0)):.1f}"
            for p in curve
            if p.get(key) is not None
        )
        body.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2">'
                    f"<title>{name}</title></polyline>")  # fmt: skip
    for edge, name in ((review_at, "review from"), (block_at, "block from")):
        body.append(f'<line x1="{x(edge):.1f}" x2="{x(edge):.1f}" y1="{TOP}" y2="{TOP + plot_h}" '
                    f'class="cut"><title>{name} {edge:.4f}</title></line>')  # fmt: skip
    svg = _frame("Review band trade-off", body, 100.0)
    keys = [(COLOURS[(1, 2, 0)[n]], name) for n, (_, name) in enumerate(lines)]
    keys.append((_DASHED, f"dashed: review from {review_at:.4f}, block from {block_at:.4f}"))
    svg = re.sub(r'class="tick">(0|25|50|75|100)</text>', r'class="tick">\1%</text>', svg)
    return svg + _legend(keys)
