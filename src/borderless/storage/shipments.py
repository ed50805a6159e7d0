"""Shipments per order with their carrier scans, and the delivery promise per market.

Scans are written all or nothing: an unknown order, a scan before the shipment's previous one
(in the file or already stored) or after delivery rejects the whole batch with the lines named.
A scan already stored (same shipment, status and time) is left alone, so a re-import of the
same file changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, select

from borderless.capabilities.dates import CLOCK_SLACK
from borderless.capabilities.shipments import (
    Event,
    EventRow,
    Tracking,
    check_order,
    track,
    validate,
)
from borderless.capabilities.support.assistant import OrderSummary
from borderless.errors import BadRow, BadRows, InvalidInput, NotFound
from borderless.storage import tables as t
from borderless.storage.database import Database
from borderless.storage.sync import sync_rows

__all__ = [
    "DeliveryPromise",
    "ScanImport",
    "latest_shipments",
    "list_promises",
    "list_shipments",
    "save_scans",
    "set_promise",
    "shipments_of",
    "with_shipments",
]


@dataclass(frozen=True)
class DeliveryPromise:
    country: str
    days: int


@dataclass(frozen=True)
class ScanImport:
    shipments_created: int
    scans_added: int
    scans_unchanged: int

    def as_dict(self) -> dict[str, int]:
        return {
            "shipments_created": self.shipments_created,
            "scans_added": self.scans_added,
            "scans_unchanged": self.scans_unchanged,
        }


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def save_scans(db: Database, rows: Sequence[EventRow], source: str = "request") -> ScanImport:
    """Add carrier scans (creating shipments on their first scan) in one transaction."""
    if not rows:
        raise InvalidInput("no scans given", field="data")
    if bad := validate(rows):
        raise BadRows(source, bad)
    s, e = t.shipments, t.shipment_events
    with db.writing("shipments") as conn:
        order_ids = {r.order_id for r in rows}
        o = t.orders
        found = conn.execute(select(o.c.id, o.c.placed_at, o.c.kind).where(o.c.id.in_(order_ids)))
        known, cancelled = {}, set()
        for order in found:
            known[order.id] = order.placed_at
            if order.kind == "cancellation":
                cancelled.add(order.id)
        bad = [BadRow(r.line, f"unknown order {r.order_id}", "order_id")
               for r in rows if r.order_id not in known]  # fmt: skip
        # a cancellation (C581484) sends nothing: a shipment of one was stored (an attack)
        bad += [BadRow(r.line, f"order {r.order_id} is a cancellation: nothing ships",
                       "order_id") for r in rows if r.order_id in cancelled]  # fmt: skip
        # a parcel is not scanned before its order is placed (a scan may carry the carrier's
        # local time, the order the shop's: the calendar's clock slack)
        slack = CLOCK_SLACK
        bad += [BadRow(r.line, f"scanned {r.at.year:04d}-{r.at:%m-%d %H:%M}, before order "
                               f"{r.order_id} was placed ({known[r.order_id]:%Y-%m-%d %H:%M})",
                       "at")
                for r in rows
                if r.order_id in known and r.at < known[r.order_id] - slack]  # fmt: skip
        ids = {r.shipment_id for r in rows}
        stored = {
            r.id: (r.order_id, r.carrier)
            for r in conn.execute(select(s.c.id, s.c.order_id, s.c.carrier).where(s.c.id.in_(ids)))
        }
        for r in rows:
            owner = stored.get(r.shipment_id)
            if owner is not None and owner != (r.order_id, r.carrier):
                bad.append(BadRow(r.line, f"shipment {r.shipment_id} belongs to order {owner[0]} "
                                          f"with {owner[1]}", "shipment_id"))  # fmt: skip
        scans: dict[str, list[tuple[int, str, datetime]]] = {}
        for got in conn.execute(
            select(e.c.shipment_id, e.c.seq, e.c.status, e.c.at)
            .where(e.c.shipment_id.in_(ids))
            .order_by(e.c.shipment_id, e.c.seq)
        ):
            scans.setdefault(got.shipment_id, []).append((got.seq, got.status, got.at))
        already = {(sid, status, at) for sid, got in scans.items() for _, status, at in got}
        new = []
        for r in rows:  # a scan already stored, or twice in the batch, is written once
            if (r.shipment_id, r.status, r.at) not in already:
                already.add((r.shipment_id, r.status, r.at))
                new.append(r)
        last = {sid: (got[-1][2], got[-1][1]) for sid, got in scans.items()}
        bad += check_order(new, last)
        if bad:
            raise BadRows(source, sorted(bad, key=lambda b: b.line))
        created = 0
        for row in new:
            if row.shipment_id not in stored:
                conn.execute(insert(s).values(id=row.shipment_id, order_id=row.order_id,
                                              carrier=row.carrier, tracking=row.tracking,
                                              created_at=_now()))  # fmt: skip
                stored[row.shipment_id] = (row.order_id, row.carrier)
                created += 1
            sofar = scans.setdefault(row.shipment_id, [])
            seq = sofar[-1][0] + 1 if sofar else 1
            sofar.append((seq, row.status, row.at))
            conn.execute(insert(e).values(shipment_id=row.shipment_id, seq=seq,
                                          status=row.status, at=row.at,
                                          location=row.location))  # fmt: skip
    return ScanImport(created, len(new), len(rows) - len(new))


def set_promise(db: Database, promise: DeliveryPromise) -> DeliveryPromise:
    """The market's delivery promise in days from order to door (1-90)."""
    if not 1 <= promise.days <= 90:
        raise InvalidInput("a delivery promise must be 1-90 days", field="days")
    country = promise.country.upper()
    with db.engine.begin() as conn:
        if (
            conn.execute(select(t.markets.c.code).where(t.markets.c.code == country)).first()
            is None
        ):
            # a 422 as for every other market the shop does not have (supply, lanes, localize)
            raise InvalidInput(f"unknown market {country}", field="country")
        sync_rows(conn, t.delivery_promises,
                  [{"country": country, "days": promise.days, "updated_at": _now()}],
                  owned=["days"])  # fmt: skip
    return DeliveryPromise(country, promise.days)


def list_promises(db: Database) -> list[DeliveryPromise]:
    p = t.delivery_promises
    with db.engine.connect() as conn:
        return [DeliveryPromise(r.country, r.days)
                for r in conn.execute(select(p).order_by(p.c.country))]  # fmt: skip


def _lead_times(conn: Any) -> tuple[dict[tuple[str, str], int], dict[str, int]]:
    """(carrier, market) -> the longest lane lead time of that carrier there; market -> default."""
    lanes: dict[tuple[str, str], int] = {}
    for r in conn.execute(select(t.fulfilment_lanes)):
        key = (r.carrier, r.country)
        lanes[key] = max(lanes.get(key, 0), r.lead_time_days)
    markets = {
        r.country: r.lead_time_days
        for r in conn.execute(select(t.market_supply))
        if r.lead_time_days is not None
    }
    return lanes, markets


def _trackings(conn: Any, shipment_rows: Sequence[Any], now: datetime,
               stale_days: int) -> list[Tracking]:  # fmt: skip
    if not shipment_rows:
        return []
    lanes, markets = _lead_times(conn)
    promises = {r.country: r.days for r in conn.execute(select(t.delivery_promises))}
    e = t.shipment_events
    events: dict[str, list[Event]] = {}
    for r in conn.execute(
        select(e).where(e.c.shipment_id.in_([s.id for s in shipment_rows])).order_by(e.c.seq)
    ):
        events.setdefault(r.shipment_id, []).append(Event(r.status, r.at, r.location))
    out = []
    for s in shipment_rows:
        lane = lanes.get((s.carrier, s.country))
        if lane is not None:
            lead, basis = lane, f"{s.carrier} to {s.country}: {lane} days"
        elif s.country in markets:
            lead, basis = markets[s.country], f"{s.country} default: {markets[s.country]} days"
        else:
            lead, basis = None, f"no lead time for {s.carrier} to {s.country}: no estimate"
        out.append(track(shipment_id=s.id, order_id=s.order_id, carrier=s.carrier,
                         tracking=s.tracking, events=events.get(s.id, []),
                         placed_at=s.placed_at, lead_time_days=lead, lead_basis=basis,
                         promise_days=promises.get(s.country), now=now,
                         stale_days=stale_days))  # fmt: skip
    return out


def _shipment_query() -> Any:
    s, o = t.shipments, t.orders
    return (
        select(s.c.id, s.c.order_id, s.c.carrier, s.c.tracking, o.c.country, o.c.placed_at)
        .select_from(s)
        .join(o, o.c.id == s.c.order_id)
        .order_by(s.c.created_at, s.c.id)
    )


def shipments_of(
    db: Database, order_id: str, *, now: datetime | None = None, stale_days: int = 3
) -> list[Tracking]:
    """Every shipment of one order, oldest first; NotFound for an unknown order."""
    with db.engine.connect() as conn:
        if conn.execute(select(t.orders.c.id).where(t.orders.c.id == order_id)).first() is None:
            raise NotFound(f"no order {order_id}", field="order_id")
        rows = conn.execute(_shipment_query().where(t.shipments.c.order_id == order_id)).all()
        return _trackings(conn, rows, now or _now(), stale_days)


def list_shipments(
    db: Database,
    *,
    now: datetime | None = None,
    stale_days: int = 3,
    flagged: bool = False,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Tracking], int]:
    """Shipments (only those with a late-risk flag when `flagged`) and how many there are."""
    with db.engine.connect() as conn:
        if not flagged:
            total = conn.execute(select(func.count()).select_from(t.shipments)).scalar_one()
            rows = conn.execute(_shipment_query().limit(limit).offset(offset)).all()
            return _trackings(conn, rows, now or _now(), stale_days), int(total)
        every = _trackings(conn, conn.execute(_shipment_query()).all(), now or _now(), stale_days)
    risky = [x for x in every if x.flags]
    return risky[offset : offset + limit], len(risky)


def latest_shipments(
    db: Database, order_ids: Sequence[str], *, now: datetime | None = None
) -> dict[str, Tracking]:
    """The newest shipment of each order that has one (what the support assistant tells)."""
    if not order_ids:
        return {}
    with db.engine.connect() as conn:
        rows = conn.execute(
            _shipment_query().where(t.shipments.c.order_id.in_(list(order_ids)))
        ).all()
        return {x.order_id: x for x in _trackings(conn, rows, now or _now(), 3)}


def with_shipments(
    db: Database, orders: Sequence[OrderSummary], *, now: datetime | None = None
) -> list[OrderSummary]:
    """The orders with their newest shipment's status and estimated delivery filled in."""
    found = latest_shipments(db, [o.id for o in orders], now=now)
    out = []
    for order in orders:
        x = found.get(order.id)
        if x is None:
            out.append(order)
            continue
        late = "late" in x.flags or "will_be_late" in x.flags
        out.append(replace(order, shipment_status=x.status, shipped_at=x.shipped_at,
                           carrier=x.carrier, estimated_delivery=x.estimated_delivery,
                           running_late=late))  # fmt: skip
    return out
