"""Horizontal bar charts as plain data for HTML bars (templates/chart.html): no JavaScript,
works offline, and the words keep the page's size on a phone."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Bar", "Chart", "bar_chart"]


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str
    share: float  # of the largest bar, 0..1


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]


def _money(value: float, currency: str) -> str:
    """£1.2m, £12.3k, £123: short enough to sit beside a bar (Babel's compact form). Under a
    thousand an amount is whole ("£911.4" beside "£599.25" and "£2k" read unevenly: a walk),
    and a count is exact ("1,128" customers, not "1.1k")."""
    from babel.numbers import format_compact_currency, format_compact_decimal, format_currency

    if not currency:
        if value == int(value):
            return f"{int(value):,}"
        return str(format_compact_decimal(value, locale="en_GB", fraction_digits=1))
    if abs(value) < 1000:
        return str(format_currency(round(value), currency, format="¤#,##0", locale="en_GB",
                                   currency_digits=False))  # fmt: skip
    return str(format_compact_currency(value, currency, locale="en_GB", fraction_digits=1))


def bar_chart(rows: list[tuple[str, float]], currency: str = "") -> Chart:
    """Bars scaled to the largest value (amounts in `currency`); negatives are empty bars."""
    top = max((v for _, v in rows), default=0.0) or 1.0
    return Chart(
        [Bar(label, value, _money(value, currency), max(0.0, value) / top) for label, value in rows]
    )
