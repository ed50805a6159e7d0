"""What the risk models see of an order: 19 numbers computed from the shop's own records.

Every feature of an order uses only what happened *before* it (its customer's earlier orders and
cancellations), so a past order is scored as it would have been when it arrived, and a new order
through the API gets the same treatment. Shop-wide references (a SKU's usual quantity, a country's
share of orders, the home market) come from all sales the features were fitted on.

The demo shop has no shipping address: "country" is the order's country, compared with the
customer's usual one (docs/risk.md lists every feature and how it reads).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
import numpy.typing as npt

__all__ = [
    "FEATURES",
    "FEATURE_NAMES",
    "Feature",
    "Line",
    "OrderFeatures",
    "OrderRecord",
]

# Codes that are not goods and not postage: manual amounts, discounts, samples, fees, bad debt.
MANUAL_CODES = frozenset({"M", "D", "S", "B", "BANK CHARGES", "AMAZONFEE", "CRUK"})


@dataclass(frozen=True)
class Feature:
    name: str
    meaning: str
    unit: str = ""  # "GBP", "x", "share", "flag", "count", "days", "hour"


FEATURES: tuple[Feature, ...] = (
    Feature("amount", "order value (sum of quantity x unit price)", "GBP"),
    Feature("amount_vs_usual", "order value / median of the customer's earlier orders", "x"),
    Feature("lines", "number of order lines", "count"),
    Feature("units", "units over all lines", "count"),
    Feature("sku_quantity_vs_usual", "largest line quantity / that SKU's median quantity", "x"),
    Feature("orders_24h", "the customer's orders in the 24 hours before", "count"),
    Feature("orders_7d", "the customer's orders in the 7 days before", "count"),
    Feature("new_customer", "1 when the customer never ordered before", "flag"),
    Feature("guest", "1 when the order has no customer account", "flag"),
    Feature("customer_age_days", "days since the customer's first order", "days"),
    Feature("country_differs", "1 when the order's country is not the customer's usual", "flag"),
    Feature("abroad", "1 when the order is outside the shop's home market", "flag"),
    Feature("country_share", "share of the shop's orders from the order's country", "share"),
    Feature("hour", "hour of day the order was placed", "hour"),
    Feature("weekend", "1 when placed on a Saturday or Sunday", "flag"),
    Feature("prior_cancellations", "the customer's cancellations before this order", "count"),
    Feature("cancellation_rate", "earlier cancellations / earlier orders of the customer", "share"),
    Feature("below_list_share", "share of lines priced below the product's list price", "share"),
    Feature("manual_lines", "lines on manual, discount, sample or fee codes", "count"),
)
FEATURE_NAMES: tuple[str, ...] = tuple(f.name for f in FEATURES)


@dataclass(frozen=True, slots=True)
class Line:
    sku: str
    quantity: int
    unit_price: float
    list_price: float | None = None


@dataclass(frozen=True)
class OrderRecord:
    """An order as the features read it; `kind` is "sale" or "cancellation"."""

    id: str
    placed_at: datetime
    country: str
    customer_id: str | None
    lines: tuple[Line, ...]
    kind: str = "sale"
    customer_country: str | None = None

    @property
    def amount(self) -> float:
        return float(sum(ln.quantity * ln.unit_price for ln in self.lines))


@dataclass
class _History:
    times: list[datetime] = field(default_factory=list)  # sales, sorted
    amounts: list[float] = field(default_factory=list)
    cancel_times: list[datetime] = field(default_factory=list)
    country: Counter[str] = field(default_factory=Counter)


class OrderFeatures:
    """Fit on the shop's orders (sales and cancellations); `transform` any orders to FEATURES."""

    def __init__(self, home_country: str | None = None) -> None:
        self.home_country = home_country

    def fit(self, orders: Sequence[OrderRecord]) -> OrderFeatures:
        history: dict[str, _History] = defaultdict(_History)
        quantities: dict[str, list[int]] = defaultdict(list)
        countries: Counter[str] = Counter()
        for order in sorted(orders, key=lambda o: o.placed_at):
            if order.kind == "cancellation":
                if order.customer_id:
                    history[order.customer_id].cancel_times.append(order.placed_at)
                continue
            countries[order.country] += 1
            for line in order.lines:
                quantities[line.sku].append(line.quantity)
            if order.customer_id:
                h = history[order.customer_id]
                h.times.append(order.placed_at)
                h.amounts.append(order.amount)
                h.country[order.country] += 1
        total = sum(countries.values()) or 1
        self.history_ = dict(history)
        self.sku_quantity_ = {sku: float(np.median(q)) for sku, q in quantities.items()}
        self.country_share_ = {c: n / total for c, n in countries.items()}
        self.home_country_ = self.home_country or (
            countries.most_common(1)[0][0] if countries else "GB"
        )
        return self

    def transform(self, orders: Sequence[OrderRecord]) -> npt.NDArray[np.float64]:
        """One row of FEATURES per order, from what happened before each order."""
        out = np.zeros((len(orders), len(FEATURES)), dtype=np.float64)
        for i, order in enumerate(orders):
            out[i] = self._row(order)
        return out

    def _row(self, order: OrderRecord) -> list[float]:
        amount = order.amount
        lines = order.lines
        usual_qty = [
            ln.quantity / max(1.0, self.sku_quantity_.get(ln.sku, float(ln.quantity)))
            for ln in lines
        ]
        priced = [ln for ln in lines if ln.list_price is not None and ln.list_price > 0]
        below = sum(1 for ln in priced if ln.unit_price < (ln.list_price or 0) - 1e-9)
        h = self.history_.get(order.customer_id or "")
        t = order.placed_at
        if h is not None:
            before = bisect_left(h.times, t)
            earlier = h.amounts[:before]
            in_24h = before - bisect_left(h.times, t - timedelta(hours=24))
            in_7d = before - bisect_left(h.times, t - timedelta(days=7))
            cancels = bisect_left(h.cancel_times, t)
            first = min(h.times[0] if h.times else t, h.cancel_times[0] if h.cancel_times else t)
            age = max(0.0, (t - first).total_seconds() / 86400)
            usual_country = h.country.most_common(1)[0][0] if h.country else order.country
        else:
            before, earlier, in_24h, in_7d, cancels, age = 0, [], 0, 0, 0, 0.0
            usual_country = order.customer_country or order.country
        usual_amount = float(np.median(earlier)) if earlier else 0.0
        vs_usual = amount / usual_amount if usual_amount > 0 else 1.0
        return [
            amount,
            vs_usual,
            float(len(lines)),
            float(sum(ln.quantity for ln in lines)),
            max(usual_qty, default=0.0),
            float(in_24h),
            float(in_7d),
            1.0 if order.customer_id and before == 0 and cancels == 0 else 0.0,
            0.0 if order.customer_id else 1.0,
            round(age, 3),
            1.0 if order.customer_id and order.country != usual_country else 0.0,
            0.0 if order.country == self.home_country_ else 1.0,
            self.country_share_.get(order.country, 0.0),
            float(t.hour),
            1.0 if t.weekday() >= 5 else 0.0,
            float(cancels),
            cancels / before if before else 0.0,
            below / len(priced) if priced else 0.0,
            float(sum(1 for ln in lines if ln.sku.upper() in MANUAL_CODES)),
        ]
