"""Carrier scans, shipments with their estimates, delivery promises."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from borderless.service.schemas.common import Body, Page, Timestamp

__all__ = [
    "PromisePage",
    "PromisePublic",
    "PromiseUpdate",
    "ScanCreate",
    "ScanImportPublic",
    "ScanPublic",
    "ScansCreate",
    "ShipmentPage",
    "ShipmentPublic",
]


class ScanCreate(Body):
    shipment_id: str = Field(min_length=1, max_length=64)
    order_id: str = Field(min_length=1, max_length=32)
    carrier: str = Field(min_length=1, max_length=64)
    status: str = Field(min_length=1, max_length=24)
    at: datetime
    tracking: str = Field("", max_length=64)
    location: str = Field("", max_length=120)


class ScansCreate(Body):
    data: list[ScanCreate] = Field(min_length=1, max_length=50_000)


class ScanPublic(BaseModel):
    status: str
    at: Timestamp
    location: str


class ShipmentPublic(BaseModel):
    shipment_id: str
    order_id: str
    carrier: str
    tracking: str
    status: str
    shipped_at: Timestamp
    last_scan_at: Timestamp
    estimated_delivery: Timestamp | None
    estimate_basis: str
    promised_by: Timestamp | None
    delivered_at: Timestamp | None
    flags: list[str]
    events: list[ScanPublic]


class ShipmentPage(Page[ShipmentPublic]):
    """One page of ShipmentPublic records."""


class ScanImportPublic(BaseModel):
    """What a batch of scans did: rows read, shipments started, scans new and already known."""

    rows: int
    shipments_created: int
    scans_added: int
    scans_unchanged: int


class PromiseUpdate(Body):
    days: int = Field(ge=1, le=90)


class PromisePublic(BaseModel):
    country: str
    days: int = Field(description="days from order to door")


class PromisePage(Page[PromisePublic]):
    """Every market's delivery promise (one page)."""
