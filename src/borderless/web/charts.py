"""Horizontal bar charts as plain data for an inline SVG: no JavaScript, works offline."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Bar", "Chart", "bar_chart"]

MAX_LABEL = 360  # chart units for labels at most (a longer label is cut at the left edge)


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


def _money(value: float, currency: str) -> str:
    """£1.2m, £12.3k, £123: short enough to sit beside a bar (Babel's compact form)."""
    from babel.numbers import format_compact_currency, format_compact_decimal

    if not currency:
        return str(format_compact_decimal(value, locale="en_GB", fraction_digits=1))
    return str(format_compact_currency(value, currency, locale="en_GB", fraction_digits=1))


def bar_chart(rows: list[tuple[str, float]], currency: str = "") -> Chart:
    """Bars scaled to the largest value (amounts in `currency`); negatives are empty bars."""
    top = max((v for _, v in rows), default=0.0) or 1.0
    # Room for the longest label at the phone's font size (20 units, about 11 a letter): at a
    # fixed 170, "Potential loyalists" lost its first letters on a phone (a walk).
    longest = max((len(label) for label, _ in rows), default=0)
    chart = Chart(bars=[], height=0, label_width=min(MAX_LABEL, max(170, 11 * longest + 16)))
    bars = [
        Bar(
            label,
            value,
            _money(value, currency),
            i * chart.row,
            max(0.0, value) / top * chart.bar_space,
        )
        for i, (label, value) in enumerate(rows)
    ]
    return Chart(bars, max(chart.row, len(bars) * chart.row), chart.label_width)
