"""Where a shipment is, when it should arrive, and whether it is at risk of being late.

The estimate is the first carrier scan plus the lane's lead time (the carrier's to that market
in the fulfilment table, else the market's default lead time); without either there is no
estimate and the record says why, rather than a guessed date. Flags, none once delivered:
`late` (past the delivery promise: placed + the market's promised days), `will_be_late` (the
estimate falls after the promise), `no_scan` (no scan for `stale_days`), `exception` (the
carrier's last word was a problem).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

__all__ = ["Event", "Tracking", "track"]

STALE_DAYS = 3


@dataclass(frozen=True)
class Event:
    status: str
    at: datetime
    location: str = ""


@dataclass(frozen=True)
class Tracking:
    shipment_id: str
    order_id: str
    carrier: str
    tracking: str
    status: str
    last_scan_at: datetime
    shipped_at: datetime
    estimated_delivery: datetime | None
    estimate_basis: str  # which lead time, or why there is no estimate
    promised_by: datetime | None
    delivered_at: datetime | None
    flags: tuple[str, ...]
    events: tuple[Event, ...]


def _later(start: datetime, days: int | None) -> datetime | None:
    """`days` after `start`; None without days, or past the calendar's end (a scan dated
    9999-12-31 stored before dates were bounded must not fail every shipment page)."""
    if not days:
        return None
    try:
        return start + timedelta(days=days)
    except OverflowError:
        return None


def track(
    *,
    shipment_id: str,
    order_id: str,
    carrier: str,
    tracking: str,
    events: Sequence[Event],
    placed_at: datetime,
    lead_time_days: int | None,
    lead_basis: str,
    promise_days: int | None,
    now: datetime,
    stale_days: int = STALE_DAYS,
) -> Tracking:
    """The state of one shipment from its scans (at least one, in time order)."""
    if not events:
        raise ValueError(f"shipment {shipment_id} has no scans")
    last = events[-1]
    shipped_at = events[0].at
    delivered = next((e.at for e in events if e.status == "delivered"), None)
    estimate = _later(shipped_at, lead_time_days)
    promised = _later(placed_at, promise_days)
    flags: list[str] = []
    if delivered is None and last.status != "returned":
        if promised is not None and now > promised:
            flags.append("late")
        elif promised is not None and estimate is not None and estimate > promised:
            flags.append("will_be_late")
        if now - last.at > timedelta(days=stale_days):
            flags.append("no_scan")
        if last.status == "exception":
            flags.append("exception")
    return Tracking(
        shipment_id=shipment_id,
        order_id=order_id,
        carrier=carrier,
        tracking=tracking,
        status=last.status,
        last_scan_at=last.at,
        shipped_at=shipped_at,
        estimated_delivery=delivered or estimate,
        estimate_basis="delivered" if delivered else lead_basis,
        promised_by=promised,
        delivered_at=delivered,
        flags=tuple(flags),
        events=tuple(events),
    )
