"""Reorder point and order-up-to level per product and market, from forecast quantiles.

A periodic review policy, the one a seller who orders once a week runs: every `review_days`,
if the stock position (on hand + on order) is at or below the reorder point, order up to the
level that covers the lead time and the next review at the market's service level.

- demand over the lead time: the forecast, spread evenly over each period's days;
- its spread: the forecast's backtest RMSE per period, scaled by the square root of the
  number of periods (errors of different periods taken as independent);
- reorder point: the service-level quantile of lead-time demand (normal), so the safety stock
  is that quantile less the expected demand;
- order-up-to level: the same quantile over lead time plus review period.

A missing lead time is never guessed: the line says so and orders nothing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from statistics import NormalDist
from typing import Any

__all__ = ["Replenishment", "StockPoint", "demand_over", "replenish"]


@dataclass(frozen=True)
class StockPoint:
    """What the policy needs to know about one product in one market."""

    sku: str
    country: str
    on_hand: int
    on_order: int
    lead_time_days: int | None
    service_level: float
    review_days: int
    forecast: Sequence[float]  # expected units per period, from the next period on
    sigma: float  # backtest RMSE per period
    period_days: int  # 7 weekly, 1 daily


@dataclass(frozen=True)
class Replenishment:
    sku: str
    country: str
    on_hand: int
    on_order: int
    lead_time_days: int | None
    service_level: float
    lead_time_demand: float
    safety_stock: float
    reorder_point: int
    order_up_to: int
    order_quantity: int
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def demand_over(forecast: Sequence[float], period_days: int, days: float) -> float:
    """Expected units in the next `days`, the last period's rate carried past the horizon."""
    if not forecast:
        return 0.0
    total, left = 0.0, days
    for value in forecast:
        take = min(left, period_days)
        total += value * take / period_days
        left -= take
        if left <= 0:
            return total
    return total + forecast[-1] / period_days * left


def _quantile(point: StockPoint, days: float) -> tuple[float, float]:
    mean = demand_over(point.forecast, point.period_days, days)
    spread = point.sigma * math.sqrt(days / point.period_days)
    z = NormalDist().inv_cdf(point.service_level)
    return mean, max(0.0, z * spread)


def replenish(point: StockPoint) -> Replenishment:
    """The order to place now for one product and market, and why."""
    position = point.on_hand + point.on_order
    if point.lead_time_days is None:
        return Replenishment(
            point.sku, point.country, point.on_hand, point.on_order, None, point.service_level,
            0.0, 0.0, 0, 0, 0,
            "no lead time set for this product or market: nothing computed (set one in the "
            "stock file or the market's settings)",
        )  # fmt: skip
    if not point.forecast:
        return Replenishment(
            point.sku, point.country, point.on_hand, point.on_order, point.lead_time_days,
            point.service_level, 0.0, 0.0, 0, 0, 0,
            "no sales in this market yet, so no forecast: nothing ordered",
        )  # fmt: skip
    lead = point.lead_time_days
    mean_lead, safety = _quantile(point, lead)
    mean_cover, safety_cover = _quantile(point, lead + point.review_days)
    reorder = math.ceil(mean_lead + safety)
    up_to = math.ceil(mean_cover + safety_cover)
    pct = f"{point.service_level * 100:g}%"
    if position <= reorder and up_to > position:
        quantity = up_to - position
        reason = (
            f"stock position {position} is at or below the reorder point {reorder} "
            f"({mean_lead:.1f} expected in the {lead}-day lead time + {safety:.1f} safety stock "
            f"for {pct} service); order {quantity} to reach {up_to}, which also covers the "
            f"{point.review_days}-day review period"
        )
    else:
        quantity = 0
        reason = f"stock position {position} is above the reorder point {reorder}"
    return Replenishment(
        point.sku, point.country, point.on_hand, point.on_order, lead, point.service_level,
        round(mean_lead, 2), round(safety, 2), reorder, up_to, quantity, reason,
    )  # fmt: skip
