"""A carrier scan file: `shipment_id,order_id,carrier,status,at[,tracking,location]`.

Every bad line is reported with its number and nothing is written (`BadRows`). Scans of one
shipment must come in time order and nothing may follow `delivered`: a file that says
otherwise is wrong somewhere, and guessing which line is right would hide it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from borderless.capabilities.catalog.checks import name_problem, text_problem, visible
from borderless.capabilities.catalog.csvfiles import read_table
from borderless.capabilities.dates import date_problem, naive_utc
from borderless.errors import BadRow, BadRows, InvalidInput

__all__ = ["STATUSES", "EventRow", "check_order", "parse_time", "read_events_file", "validate"]

STATUSES = (
    "label_created",
    "picked_up",
    "in_transit",
    "customs",
    "out_for_delivery",
    "delivered",
    "exception",
    "returned",
)
REQUIRED = ("shipment_id", "order_id", "carrier", "status", "at")


@dataclass(frozen=True)
class EventRow:
    shipment_id: str
    order_id: str
    carrier: str
    status: str
    at: datetime
    tracking: str = ""
    location: str = ""
    line: int = 0  # where it came from, for errors; 0 when not from a file


def parse_time(text: str) -> datetime:
    """ISO 8601 date-time (`2024-03-01 14:05`, `...T14:05:00+01:00`); stored as naive UTC."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a date-time (YYYY-MM-DD HH:MM)") from exc
    return naive_utc(value)


def check_order(rows: Sequence[EventRow], last: dict[str, tuple[datetime, str]]) -> list[BadRow]:
    """Lines whose scan comes before the shipment's previous one (in the file, or `last` stored:
    shipment id -> (time, status)), or after it was delivered."""
    bad: list[BadRow] = []
    seen = dict(last)
    for row in rows:
        previous = seen.get(row.shipment_id)
        if previous is not None:
            at, status = previous
            if status == "delivered" and row.status != "returned":
                bad.append(BadRow(row.line, f"{row.shipment_id} was already delivered on "
                                            f"{at:%Y-%m-%d %H:%M}", "status"))  # fmt: skip
                continue
            if row.at < at:
                bad.append(BadRow(row.line, f"scan at {row.at:%Y-%m-%d %H:%M} comes before the "
                                            f"previous scan of {row.shipment_id} at "
                                            f"{at:%Y-%m-%d %H:%M}", "at"))  # fmt: skip
                continue
        seen[row.shipment_id] = (row.at, row.status)
    return bad


def validate(rows: Sequence[EventRow]) -> list[BadRow]:
    """Field checks of rows from any source (file or API)."""
    bad: list[BadRow] = []
    orders: dict[str, tuple[str, str]] = {}
    for row in rows:
        for name, longest in (("shipment_id", 64), ("order_id", 32), ("carrier", 64),
                              ("tracking", 64), ("location", 120)):  # fmt: skip
            value = getattr(row, name)
            if not visible(value) and name not in ("tracking", "location"):
                # a zero-width space was a shipment id and a carrier (an attack)
                bad.append(BadRow(row.line, f"empty {name}", name))
            elif problem := (name_problem if name != "location" else text_problem)(
                value, name, longest
            ):
                bad.append(BadRow(row.line, problem, name))
        if problem := date_problem(row.at, past=True):
            bad.append(BadRow(row.line, f"scan time {problem}", "at"))
        if row.status not in STATUSES:
            bad.append(BadRow(row.line, f"status {row.status!r} is not one of "
                                        f"{', '.join(STATUSES)}", "status"))  # fmt: skip
        first = orders.setdefault(row.shipment_id, (row.order_id, row.carrier))
        if first != (row.order_id, row.carrier):
            bad.append(BadRow(row.line, f"{row.shipment_id} was given another order or carrier "
                                        "above", "shipment_id"))  # fmt: skip
    return bad


def read_events_file(path: Path) -> list[EventRow]:
    rows: list[EventRow] = []
    bad: list[BadRow] = []
    for line, row in read_table(path, REQUIRED, ("tracking", "location")):
        try:
            at = parse_time(row["at"])
        except ValueError as exc:
            bad.append(BadRow(line, str(exc), "at"))
            continue
        rows.append(EventRow(row["shipment_id"], row["order_id"], row["carrier"],
                             row["status"].lower(), at, row.get("tracking", ""),
                             row.get("location", ""), line))  # fmt: skip
    bad += validate(rows) + check_order(rows, {})
    if bad:
        raise BadRows(str(path), sorted(bad, key=lambda b: b.line))
    if not rows:
        raise InvalidInput(f"{path} holds no scans", field="file")
    return rows
