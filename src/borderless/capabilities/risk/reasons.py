"""Reasons in words: the features that pushed a score up most, said as a seller would say them."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

__all__ = ["Reason", "describe", "top_reasons"]


@dataclass(frozen=True)
class Reason:
    feature: str
    value: float
    weight: float  # contribution: calibrated log-odds (model) or share of the deviation (detector)
    text: str

    def as_dict(self) -> dict[str, object]:
        return {"feature": self.feature, "value": self.value, "weight": round(self.weight, 4),
                "text": self.text}  # fmt: skip


def _money(v: float) -> str:
    return f"£{v:,.2f}"


def _times(v: float) -> str:
    return f"{v:,.1f}×" if v < 100 else f"{v:,.0f}×"


def _n(v: float, one: str, many: str) -> str:
    n = round(v)
    return f"{n:,} {one if n == 1 else many}"


def _pct(v: float) -> str:
    return f"{v * 100:.0f}%" if v >= 0.01 else f"{v * 100:.2f}%"


_WORDS: dict[str, Callable[[float, float], str]] = {
    "amount": lambda v, m: f"order value {_money(v)} (a typical order is {_money(m)})",
    "amount_vs_usual": lambda v, m: f"{_times(v)} this customer's usual order value",
    "lines": lambda v, m: f"{_n(v, 'line', 'lines')} (typical {m:,.0f})",
    "units": lambda v, m: f"{_n(v, 'unit', 'units')} in all (typical {m:,.0f})",
    "sku_quantity_vs_usual": lambda v, m: f"one item at {_times(v)} its usual quantity",
    "orders_24h": lambda v, m: f"{_n(v, 'earlier order', 'earlier orders')} in the last 24 hours",
    "orders_7d": lambda v, m: f"{_n(v, 'earlier order', 'earlier orders')} in the last 7 days",
    "new_customer": lambda v, m: "the customer's first order" if v else "a returning customer",
    "guest": lambda v, m: "guest order, no customer account" if v else "customer with an account",
    "customer_age_days": lambda v, m: (
        "customer new today" if v < 1 else f"customer for {_n(v, 'day', 'days')}"
    ),
    "country_differs": lambda v, m: (
        "ordered from another country than the customer's usual one"
        if v
        else "the customer's usual country"
    ),
    "abroad": lambda v, m: "order from abroad" if v else "order from the home market",
    "country_share": lambda v, m: f"a country with {_pct(v)} of the shop's orders",
    "hour": lambda v, m: f"placed at {int(v):02d}:00",
    "weekend": lambda v, m: "placed at the weekend" if v else "placed on a weekday",
    "prior_cancellations": lambda v, m: (
        f"{_n(v, 'earlier cancellation', 'earlier cancellations')} by this customer"
    ),
    # cancellations are invoices of their own, more than one to an order at times: 4 over 2
    # orders read "200% of the customer's earlier orders cancelled" (a walk)
    "cancellation_rate": lambda v, m: (
        f"{_pct(v)} of the customer's earlier orders cancelled"
        if v <= 1
        else f"{v:,.1f} cancellations per earlier order of the customer"
    ),
    "below_list_share": lambda v, m: f"{_pct(v)} of lines priced below list price",
    "manual_lines": lambda v, m: f"{_n(v, 'manual or fee line', 'manual or fee lines')}",
}


def describe(feature: str, value: float, typical: float = 0.0) -> str:
    words = _WORDS.get(feature)
    return words(value, typical) if words else f"{feature} = {value:g}"


def top_reasons(
    names: Sequence[str],
    values: Sequence[float],
    weights: Sequence[float],
    typical: Mapping[str, float],
    k: int = 3,
) -> list[Reason]:
    """The `k` features that raised the score most (positive weights only), strongest first."""
    ranked = sorted(
        (i for i, w in enumerate(weights[: len(names)]) if w > 1e-6),
        key=lambda i: -weights[i],
    )
    return [
        Reason(names[i], round(float(values[i]), 4), float(weights[i]),
               describe(names[i], float(values[i]), typical.get(names[i], 0.0)))
        for i in ranked[:k]
    ]  # fmt: skip
