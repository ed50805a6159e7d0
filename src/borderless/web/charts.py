"""Horizontal bar charts as plain data for an inline SVG: no JavaScript, works offline."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Bar", "Chart", "bar_chart"]


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str
    y: int
    width: float  # in chart units, 0..BAR_SPACE


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    height: int
    label_width: int = 170
    bar_space: int = 430
    row: int = 26


def _money(value: float, unit: str) -> str:
    for limit, suffix in ((1e6, "M"), (1e3, "k")):
        if abs(value) >= limit:
            return f"{unit}{value / limit:,.1f}{suffix}"
    return f"{unit}{value:,.0f}"


def bar_chart(rows: list[tuple[str, float]], unit: str = "") -> Chart:
    """Bars scaled to the largest value; negative values are drawn as empty bars."""
    top = max((v for _, v in rows), default=0.0) or 1.0
    chart = Chart(bars=[], height=0)
    bars = [
        Bar(
            label,
            value,
            _money(value, unit),
            i * chart.row,
            max(0.0, value) / top * chart.bar_space,
        )
        for i, (label, value) in enumerate(rows)
    ]
    return Chart(bars=bars, height=max(chart.row, len(bars) * chart.row))
