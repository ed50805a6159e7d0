"""Shipment tracking: carrier scans per order, the estimated delivery from the lead-time table,
and late-risk flags (past the delivery promise, or no scan for days)."""

from borderless.capabilities.shipments.events import (
    STATUSES,
    EventRow,
    check_order,
    parse_time,
    read_events_file,
    validate,
)
from borderless.capabilities.shipments.tracking import Event, Tracking, track

__all__ = [
    "STATUSES",
    "Event",
    "EventRow",
    "Tracking",
    "check_order",
    "parse_time",
    "read_events_file",
    "track",
    "validate",
]
