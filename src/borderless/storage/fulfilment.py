"""The warehouse/carrier lanes, the orders a fulfilment plan ships, and the plan itself.

Lanes are replaced as a whole table in one transaction (a seller's rate card is one document);
an unknown market rejects it all. Order weights come from the products' `weight_grams`; lines
of products without a weight count `kg_per_unit` each, and the plan says how many orders that
touched, never silently.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, select

from borderless.capabilities.fulfilment import Lane, OrderToShip, Plan, plan_fulfilment
from borderless.capabilities.fulfilment.lanes import validate_lanes
from borderless.errors import BadRows, InvalidInput
from borderless.storage import tables as t
from borderless.storage.calendar import in_calendar
from borderless.storage.database import Database

__all__ = ["ShopPlan", "list_lanes", "orders_to_ship", "set_lanes", "shop_plan"]


@dataclass(frozen=True)
class ShopPlan:
    plan: Plan
    since: datetime
    until: datetime
    days: int
    assumed_weight_orders: int  # orders with a product that has no weight
    kg_per_unit: float

    def as_dict(self, *, orders: bool = False) -> dict[str, Any]:
        p = self.plan
        out: dict[str, Any] = {
            "since": self.since.isoformat(), "until": self.until.isoformat(), "days": self.days,
            "orders": len(p.assignments), "cost": p.cost, "naive_cost": p.naive_cost,
            "saving": round(p.saving, 2), "method": p.method, "notes": list(p.notes),
            "assumed_weight_orders": self.assumed_weight_orders,
            "kg_per_unit": self.kg_per_unit,
            "markets": [asdict(m) for m in p.markets],
        }  # fmt: skip
        if orders:
            out["assignments"] = [asdict(a) for a in p.assignments]
        return out


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def set_lanes(db: Database, lanes: Sequence[Lane], source: str = "request") -> int:
    """Replace the lane table (all or nothing)."""
    if not lanes:
        raise InvalidInput("no lanes given", field="data")
    if bad := validate_lanes(lanes):
        raise BadRows(source, bad)
    with db.engine.begin() as conn:
        countries = {lane.country for lane in lanes}
        known = {
            r[0]
            for r in conn.execute(select(t.markets.c.code).where(t.markets.c.code.in_(countries)))
        }
        if missing := sorted(countries - known):
            raise InvalidInput(f"unknown market(s): {', '.join(missing)}", field="country")
        conn.execute(delete(t.fulfilment_lanes))
        conn.execute(insert(t.fulfilment_lanes), [
            {"warehouse": x.warehouse, "carrier": x.carrier, "country": x.country,
             "cost_per_order": x.cost_per_order, "cost_per_kg": x.cost_per_kg,
             "lead_time_days": x.lead_time_days, "capacity": x.capacity, "updated_at": _now()}
            for x in lanes
        ])  # fmt: skip
    return len(lanes)


def list_lanes(db: Database) -> list[Lane]:
    """The stored lanes; one whose cost is no finite number (stored before lanes were checked:
    "Inf" made every plan cost inf and its saving nan) is left out, as no lane."""
    f = t.fulfilment_lanes
    with db.engine.connect() as conn:
        rows = list(conn.execute(select(f).order_by(f.c.country, f.c.warehouse, f.c.carrier)))
    lanes = [
        Lane(r.warehouse, r.carrier, r.country, float(r.cost_per_order),
             float(r.cost_per_kg), r.lead_time_days, r.capacity)
        for r in rows
    ]  # fmt: skip
    return [x for x in lanes if math.isfinite(x.cost_per_order) and math.isfinite(x.cost_per_kg)]


def orders_to_ship(
    db: Database, since: datetime, until: datetime, kg_per_unit: float
) -> tuple[list[OrderToShip], int]:
    """Sale orders placed in [since, until) with their weight, and how many used the
    assumed weight for some line."""
    o, ol, p = t.orders, t.order_lines, t.products
    query = (
        select(o.c.id, o.c.country, o.c.placed_at, ol.c.quantity, p.c.weight_grams)
        .select_from(o)
        .join(ol, ol.c.order_id == o.c.id)
        .join(p, p.c.sku == ol.c.sku)
        .where(o.c.kind == "sale", o.c.placed_at >= since, o.c.placed_at < until,
               p.c.kind == "merchandise", ol.c.quantity > 0)
        .order_by(o.c.placed_at, o.c.id)
    )  # fmt: skip
    weight: dict[str, float] = defaultdict(float)
    meta: dict[str, tuple[str, datetime]] = {}
    assumed: set[str] = set()
    with db.engine.connect() as conn:
        for r in conn.execute(query):
            meta[r.id] = (r.country, r.placed_at)
            if r.weight_grams is None:
                assumed.add(r.id)
                weight[r.id] += r.quantity * kg_per_unit
            else:
                weight[r.id] += r.quantity * r.weight_grams / 1000
    orders = [OrderToShip(k, c, round(weight[k], 3), at) for k, (c, at) in meta.items()]
    return orders, len(assumed)


def _promises(db: Database) -> dict[str, int]:
    with db.engine.connect() as conn:
        return {r.country: r.days for r in conn.execute(select(t.delivery_promises))}


def shop_plan(
    db: Database,
    *,
    days: int = 7,
    until: datetime | None = None,
    kg_per_unit: float = 0.5,
    strict: bool = False,
) -> ShopPlan:
    """Plan the orders of the last `days` days (up to `until`, default the newest order)."""
    if not 1 <= days <= 366:
        raise InvalidInput("days must be 1-366", field="days")
    if not 0 < kg_per_unit <= 100:
        raise InvalidInput("kg_per_unit must be above 0 and at most 100", field="kg_per_unit")
    lanes = list_lanes(db)
    if not lanes:
        raise InvalidInput("no warehouse/carrier lanes yet: import them with "
                           "`borderless inventory lanes FILE`", field="lanes")  # fmt: skip
    if until is None:
        with db.engine.connect() as conn:
            # an order dated past the calendar's end (stored before dates were checked) would
            # move the window into that year
            newest = conn.execute(
                select(func.max(t.orders.c.placed_at)).where(in_calendar(t.orders.c.placed_at))
            ).scalar()
        if not isinstance(newest, datetime):
            raise InvalidInput("the shop has no orders", field="orders")
        until = newest + timedelta(seconds=1)
    since = until - timedelta(days=days)
    orders, assumed = orders_to_ship(db, since, until, kg_per_unit)
    plan = plan_fulfilment(orders, lanes, _promises(db), days=days, strict=strict)
    return ShopPlan(plan, since, until, days, assumed, kg_per_unit)
