"""Shipments API: carrier scans per order, estimated delivery, late-risk flags, promises."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query

from borderless.capabilities.dates import check_date, naive_utc
from borderless.capabilities.shipments import EventRow, Tracking
from borderless.service.routes.deps import DB, StaffAccess, WriteAccess
from borderless.service.schemas.shipments import (
    PromisePage,
    PromisePublic,
    PromiseUpdate,
    ScanImportPublic,
    ScanPublic,
    ScansCreate,
    ShipmentPage,
    ShipmentPublic,
)
from borderless.storage.catalog import MAX_OFFSET
from borderless.storage.shipments import (
    DeliveryPromise,
    list_promises,
    list_shipments,
    save_scans,
    set_promise,
    shipments_of,
)

router = APIRouter(prefix="/v1", tags=["shipments"], dependencies=[StaffAccess])


def _public(x: Tracking) -> ShipmentPublic:
    return ShipmentPublic(
        shipment_id=x.shipment_id,
        order_id=x.order_id,
        carrier=x.carrier,
        tracking=x.tracking,
        status=x.status,
        shipped_at=x.shipped_at,
        last_scan_at=x.last_scan_at,
        estimated_delivery=x.estimated_delivery,
        estimate_basis=x.estimate_basis,
        promised_by=x.promised_by,
        delivered_at=x.delivered_at,
        flags=list(x.flags),
        events=[ScanPublic(status=e.status, at=e.at, location=e.location) for e in x.events],
    )


def _as_of(value: datetime | None) -> datetime | None:
    """The moment flags are judged at, within the calendar (?as_of=9999 was taken)."""
    return None if value is None else check_date(naive_utc(value), "as_of")


@router.post("/shipments", dependencies=[WriteAccess])
def post_scans(db: DB, body: ScansCreate) -> ScanImportPublic:
    """Add carrier scans; a shipment starts with its first scan (all or nothing)."""
    rows = [
        EventRow(s.shipment_id, s.order_id, s.carrier, s.status.lower(), naive_utc(s.at),
                 s.tracking, s.location, i)
        for i, s in enumerate(body.data, start=1)
    ]  # fmt: skip
    done = save_scans(db, rows, source="request body")
    return ScanImportPublic(rows=len(rows), **done.as_dict())


@router.get("/shipments")
def shipments(
    db: DB,
    flagged: bool = False,
    as_of: datetime | None = None,
    stale_days: Annotated[int, Query(ge=1, le=60)] = 3,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> ShipmentPage:
    """Shipments with estimated delivery and flags; `flagged=true`: only those at risk."""
    found, total = list_shipments(db, now=_as_of(as_of),
                                  stale_days=stale_days, flagged=flagged, limit=limit,
                                  offset=offset)  # fmt: skip
    return ShipmentPage(data=[_public(x) for x in found], count=total, limit=limit, offset=offset)


@router.get("/orders/{order_id}/shipments")
def order_shipments(
    db: DB,
    order_id: Annotated[str, Path(max_length=32)],
    as_of: datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> ShipmentPage:
    """One order's shipments with their scans, estimated delivery and late-risk flags."""
    found = shipments_of(db, order_id, now=_as_of(as_of))
    page = [_public(x) for x in found[offset : offset + limit]]
    return ShipmentPage(data=page, count=len(found), limit=limit, offset=offset)


@router.put("/shipments/promises/{country}", dependencies=[WriteAccess])
def put_promise(db: DB, country: str, body: PromiseUpdate) -> PromisePublic:
    """Set a market's delivery promise in days from order to door."""
    saved = set_promise(db, DeliveryPromise(country, body.days))
    return PromisePublic(country=saved.country, days=saved.days)


@router.get("/shipments/promises")
def promises(db: DB) -> PromisePage:
    """The delivery promise per market."""
    data = [PromisePublic(country=p.country, days=p.days) for p in list_promises(db)]
    return PromisePage(data=data, count=len(data), limit=len(data))
