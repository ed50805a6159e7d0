"""A forecast chart as plain data for an inline SVG: history, forecast and its intervals.

No JavaScript and nothing fetched: the template draws these paths. Coordinates are in chart
units of a fixed viewBox, so the SVG scales to any width (375 px phones included).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

__all__ = ["ForecastChart", "forecast_chart"]

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 28
# A label's letters are drawn 20 units high on a phone (style.css): about 12 units wide each.
# The axis makes room for its longest label: "3,329" lost its "3," there (a walk).
CHAR_WIDTH = 12


@dataclass(frozen=True)
class Tick:
    x: float
    y: float
    text: str
    anchor: str = "middle"


@dataclass(frozen=True)
class ForecastChart:
    width: int
    height: int
    history: str  # SVG path
    forecast: str
    band_80: str  # closed polygon points
    band_95: str
    split_x: float  # where history ends
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    empty: bool
    left: float = LEFT  # where the plot starts: room for the longest value label


def _path(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(points))


def _polygon(upper: Sequence[tuple[float, float]], lower: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in [*upper, *reversed(lower)])


def forecast_chart(
    history: Sequence[tuple[datetime, float]],
    forecast: Sequence[tuple[datetime, float, float, float, float, float]],
    *,
    last: int = 52,
) -> ForecastChart:
    """`forecast` rows are (date, yhat, lo_80, hi_80, lo_95, hi_95); the last `last` history
    points are drawn."""
    shown = list(history)[-last:]
    dates = [d for d, _ in shown] + [row[0] for row in forecast]
    if not dates:
        return ForecastChart(WIDTH, HEIGHT, "", "", "", "", 0.0, [], [], True)
    top = max([v for _, v in shown] + [row[5] for row in forecast] + [1.0])
    start, end = dates[0], dates[-1]
    span = max((end - start).total_seconds(), 1.0)
    labels = [f"{top * k / 4:,.0f}" for k in range(5)]
    left = max(LEFT, 8 + CHAR_WIDTH * max(len(t) for t in labels))

    def x(d: datetime) -> float:
        return left + (d - start).total_seconds() / span * (WIDTH - left - RIGHT)

    def y(v: float) -> float:
        return TOP + (1 - max(v, 0.0) / top) * (HEIGHT - TOP - BOTTOM)

    joined = [shown[-1]] if shown else []
    line = [(x(d), y(v)) for d, v in joined] + [(x(r[0]), y(r[1])) for r in forecast]
    band = [(r[0], r[2], r[3], r[4], r[5]) for r in forecast]
    if shown:  # the bands open from the last actual value
        band.insert(0, (shown[-1][0], shown[-1][1], shown[-1][1], shown[-1][1], shown[-1][1]))
    y_ticks = [Tick(left - 6, y(top * k / 4), label) for k, label in enumerate(labels)]
    count = 4  # five dates ran into each other on a phone ("12 Dec 1020 Mar 11": a walk)

    # evenly spaced in time, not in points: history that stopped months before the forecast
    # put two labels side by side ("26 Jun17 Jul 11": a walk)
    def nearest(at: float) -> datetime:
        return min(dates, key=lambda d: abs((d - start).total_seconds() - at))

    picked = [nearest(i * span / (count - 1)) for i in range(count)]
    anchors = ["start"] + ["middle"] * (count - 2) + ["end"]  # the end labels stay inside
    x_ticks = [
        Tick(x(d), HEIGHT - 8, f"{d:%d %b %y}", a) for d, a in zip(picked, anchors, strict=True)
    ]
    return ForecastChart(
        WIDTH,
        HEIGHT,
        history=_path([(x(d), y(v)) for d, v in shown]),
        forecast=_path(line),
        band_80=_polygon(
            [(x(d), y(h)) for d, _, h, _, _ in band], [(x(d), y(lo)) for d, lo, _, _, _ in band]
        ),
        band_95=_polygon(
            [(x(d), y(h)) for d, _, _, _, h in band], [(x(d), y(lo)) for d, _, _, lo, _ in band]
        ),
        split_x=x(shown[-1][0]) if shown else left,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        empty=False,
        left=left,
    )
