"""Choose a warehouse and carrier for each order: the cheapest lane that meets the market's
delivery promise, within the lanes' capacity.

When no capacity binds, the cheapest allowed lane per order is optimal and no solver runs.
When one binds, HiGHS (`highspy`) solves the assignment as a MIP: one variable per order and
allowed lane, each order shipped once, each warehouse+carrier within its orders per day times
the days planned. Each variable sits in one order row and at most one capacity row, so this is
a transportation problem: the LP optimum is already integral and HiGHS finishes at its root.

A market without a promise or without any lane is left out of the plan, and the plan says so
(`notes`): the Supply page showed no plan at all until every market the orders went to had
both, one promise per submit (a walk). A market whose lanes are all slower than its promise
falls back to its fastest lanes, and the plan says so (`notes`, and `meets_promise` false on
the market). `strict=True` makes each of these an error instead; so is a plan with no market
left.

The naive choice, for comparison, is what a seller with a spreadsheet does: one lane per
market (the cheapest allowed lane at the market's average order weight), orders in the order
they were placed, and when that lane is full the next one on the same list.
"""

from __future__ import annotations

import os
import sys
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from borderless.capabilities.fulfilment.lanes import Lane
from borderless.errors import InvalidInput

__all__ = ["Assignment", "MarketPlan", "OrderToShip", "Plan", "naive_plan", "plan_fulfilment"]


@dataclass(frozen=True)
class OrderToShip:
    order_id: str
    country: str
    weight_kg: float
    placed_at: datetime


@dataclass(frozen=True)
class Assignment:
    order_id: str
    country: str
    lane: str  # warehouse/carrier
    cost: float
    lead_time_days: int


@dataclass(frozen=True)
class MarketPlan:
    country: str
    orders: int
    cost: float
    naive_cost: float
    promise_days: int
    meets_promise: bool
    lanes: dict[str, int]  # warehouse/carrier -> orders


@dataclass(frozen=True)
class Plan:
    cost: float
    naive_cost: float
    method: str
    markets: tuple[MarketPlan, ...]
    assignments: tuple[Assignment, ...]
    notes: tuple[str, ...]

    @property
    def saving(self) -> float:
        return self.naive_cost - self.cost


def _allowed(
    orders: Sequence[OrderToShip],
    lanes: Sequence[Lane],
    promises: Mapping[str, int],
    strict: bool,
) -> tuple[dict[str, list[Lane]], dict[str, bool], list[str]]:
    """Lanes each market may use, whether they meet its promise, and the stated fallbacks."""
    markets = sorted({o.country for o in orders})
    by_market: dict[str, list[Lane]] = defaultdict(list)
    for lane in lanes:
        by_market[lane.country].append(lane)
    allowed: dict[str, list[Lane]] = {}
    meets: dict[str, bool] = {}
    notes: list[str] = []
    for m in markets:
        fast = [lane for lane in by_market[m] if lane.lead_time_days <= promises[m]]
        meets[m] = bool(fast)
        if not fast:
            quickest = min(lane.lead_time_days for lane in by_market[m])
            if strict:
                raise InvalidInput(f"no lane to {m} meets its {promises[m]}-day promise (the "
                                   f"fastest takes {quickest} days)", field="promise")  # fmt: skip
            fast = [lane for lane in by_market[m] if lane.lead_time_days == quickest]
            notes.append(f"{m}: no lane meets the {promises[m]}-day promise; its fastest lanes "
                         f"({quickest} days) are used and its orders will arrive late")  # fmt: skip
        allowed[m] = fast
    return allowed, meets, notes


def _plannable(
    orders: Sequence[OrderToShip], lanes: Sequence[Lane], promises: Mapping[str, int],
    strict: bool,
) -> tuple[list[OrderToShip], list[str]]:  # fmt: skip
    """The orders to markets with a promise and a lane, and what was left out, said."""
    count: dict[str, int] = defaultdict(int)
    for o in orders:
        count[o.country] += 1
    shipped = {lane.country for lane in lanes}
    unpromised = [m for m in sorted(count) if m not in promises]
    unreached = [m for m in sorted(count) if m in promises and m not in shipped]
    said = []
    reasons = ((unpromised, "no delivery promise", "no delivery promise for", "promise"),
               (unreached, "no warehouse/carrier lane ships there",
                "no warehouse/carrier lane ships to", "country"))  # fmt: skip
    for missing, why, refused, field in reasons:
        if not missing:
            continue
        n = sum(count[m] for m in missing)
        said.append(f"{', '.join(missing)}: not planned ({n} order{'s' if n != 1 else ''}), "
                    f"{why}")  # fmt: skip
        if strict:
            raise InvalidInput(f"{refused} market(s) {', '.join(missing)}", field=field)
    kept = [o for o in orders if o.country in promises and o.country in shipped]
    if not kept:
        raise InvalidInput("no order can be planned: " + "; ".join(said),
                           field="promise" if unpromised else "country")  # fmt: skip
    return kept, said


def _capacity(lanes: Sequence[Lane], days: int) -> dict[tuple[str, str], int]:
    return {lane.name_key: lane.capacity * days for lane in lanes if lane.capacity is not None}


def _highs(highspy: Any) -> Any:
    """A silent solver. HiGHS prints its banner to stdout on the first construction in a
    process, which would corrupt `--json` output: send it to stderr."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    return h


def _solve(
    orders: Sequence[OrderToShip], allowed: Mapping[str, list[Lane]], capacity: Mapping[
        tuple[str, str], int]
) -> list[Lane]:  # fmt: skip
    import numpy as np

    from borderless.optional import require

    highspy = require("highspy", "forecast", feature="fulfilment planning when capacity binds")
    columns: list[tuple[int, Lane]] = [
        (i, lane) for i, o in enumerate(orders) for lane in allowed[o.country]
    ]
    h = _highs(highspy)
    n = len(columns)
    costs = np.array([lane.cost(orders[i].weight_kg) for i, lane in columns], dtype=np.float64)
    h.addVars(n, np.zeros(n), np.ones(n))
    h.changeColsCost(n, np.arange(n, dtype=np.int32), costs)
    order_rows: dict[int, list[int]] = defaultdict(list)
    capacity_rows: dict[tuple[str, str], list[int]] = defaultdict(list)
    for j, (i, lane) in enumerate(columns):
        order_rows[i].append(j)
        if lane.name_key in capacity:
            capacity_rows[lane.name_key].append(j)
    lower: list[float] = []
    upper: list[float] = []
    starts: list[int] = []
    index: list[int] = []
    for members in order_rows.values():  # each order ships exactly once
        lower.append(1.0)
        upper.append(1.0)
        starts.append(len(index))
        index += members
    for key, members in capacity_rows.items():
        lower.append(0.0)
        upper.append(float(capacity[key]))
        starts.append(len(index))
        index += members
    h.addRows(len(lower), np.array(lower), np.array(upper), len(index),
              np.array(starts, dtype=np.int32), np.array(index, dtype=np.int32),
              np.ones(len(index)))  # fmt: skip
    h.changeColsIntegrality(n, np.arange(n, dtype=np.int32),
                            np.array([highspy.HighsVarType.kInteger] * n))  # fmt: skip
    h.run()
    status = h.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        raise InvalidInput(f"the orders cannot all ship within the lanes' capacity "
                           f"({h.modelStatusToString(status)})", field="capacity")  # fmt: skip
    values = h.getSolution().col_value
    chosen: list[Lane | None] = [None] * len(orders)
    for j, (i, lane) in enumerate(columns):
        if values[j] > 0.5:
            chosen[i] = lane
    return [lane for lane in chosen if lane is not None]


def _check_total_capacity(orders: Sequence[OrderToShip], allowed: Mapping[str, list[Lane]],
                          capacity: Mapping[tuple[str, str], int]) -> None:  # fmt: skip
    """A market whose every allowed lane is capped cannot ship more than their sum."""
    count: dict[str, int] = defaultdict(int)
    for o in orders:
        count[o.country] += 1
    for m, n in count.items():
        keys = {lane.name_key for lane in allowed[m]}
        if all(k in capacity for k in keys) and sum(capacity[k] for k in keys) < n:
            raise InvalidInput(f"{n} orders to {m} but its lanes can take only "
                               f"{sum(capacity[k] for k in keys)} in the days planned",
                               field="capacity")  # fmt: skip


def naive_plan(orders: Sequence[OrderToShip], lanes: Sequence[Lane], promises: Mapping[str, int],
               days: int = 1) -> list[Lane]:  # fmt: skip
    """One lane per market, cheapest at its mean order weight; spill when full (see above)."""
    _plannable(orders, lanes, promises, strict=True)  # every market has a promise and a lane
    allowed, _, _ = _allowed(orders, lanes, promises, strict=False)
    weights: dict[str, list[float]] = defaultdict(list)
    for o in orders:
        weights[o.country].append(o.weight_kg)
    ranked = {m: sorted(allowed[m], key=lambda lane: lane.cost(sum(w) / len(w)))
              for m, w in weights.items()}  # fmt: skip
    left = dict(_capacity(lanes, days))
    out = []
    for o in sorted(orders, key=lambda o: (o.placed_at, o.order_id)):
        lane = next((x for x in ranked[o.country] if left.get(x.name_key, 1) > 0), None)
        if lane is None:
            raise InvalidInput(f"the lanes to {o.country} are full", field="capacity")
        if lane.name_key in left:
            left[lane.name_key] -= 1
        out.append((o.order_id, lane))
    by_id = dict(out)
    return [by_id[o.order_id] for o in orders]


def plan_fulfilment(
    orders: Sequence[OrderToShip],
    lanes: Sequence[Lane],
    promises: Mapping[str, int],
    *,
    days: int = 1,
    strict: bool = False,
) -> Plan:
    """The cheapest lane per order that meets its market's promise, within capacity over
    `days` days of orders."""
    if not orders:
        raise InvalidInput("no orders to plan", field="orders")
    orders, left_out = _plannable(orders, lanes, promises, strict)
    allowed, meets, notes = _allowed(orders, lanes, promises, strict)
    notes = left_out + notes
    capacity = _capacity(lanes, days)
    _check_total_capacity(orders, allowed, capacity)
    chosen = [min(allowed[o.country], key=lambda lane: lane.cost(o.weight_kg)) for o in orders]
    used: dict[tuple[str, str], int] = defaultdict(int)
    for lane in chosen:
        used[lane.name_key] += 1
    binds = [k for k, n in used.items() if k in capacity and n > capacity[k]]
    method = "cheapest allowed lane per order (no capacity binds)"
    if binds:
        chosen = _solve(orders, allowed, capacity)
        method = "HiGHS MIP (capacity binds: " + ", ".join("/".join(k) for k in binds) + ")"
    naive = naive_plan(orders, lanes, promises, days)
    assignments = tuple(
        Assignment(o.order_id, o.country, lane.name, round(lane.cost(o.weight_kg), 4),
                   lane.lead_time_days)
        for o, lane in zip(orders, chosen, strict=True)
    )  # fmt: skip
    markets = []
    for m in sorted(allowed):
        mine = [(o, a, b) for o, a, b in zip(orders, chosen, naive, strict=True) if o.country == m]
        count: dict[str, int] = defaultdict(int)
        for _, lane, _ in mine:
            count[lane.name] += 1
        markets.append(MarketPlan(
            m, len(mine), round(sum(a.cost(o.weight_kg) for o, a, _ in mine), 2),
            round(sum(b.cost(o.weight_kg) for o, _, b in mine), 2), promises[m], meets[m],
            dict(sorted(count.items()))))  # fmt: skip
    return Plan(
        cost=round(sum(x.cost for x in markets), 2),
        naive_cost=round(sum(x.naive_cost for x in markets), 2),
        method=method,
        markets=tuple(markets),
        assignments=assignments,
        notes=tuple(notes),
    )
