"""`borderless shipments`: carrier scans per order, delivery promises, late-risk flags."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from borderless.capabilities.shipments import Tracking

shipments_app = typer.Typer(
    help="Shipments: carrier scans, estimated delivery, late risk.", no_args_is_help=True
)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]
AsOf = Annotated[
    str | None, typer.Option("--as-of", help="Judge lateness at this time (default: now).")
]


def tracking_dict(x: Tracking) -> dict[str, Any]:
    def iso(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "shipment_id": x.shipment_id,
        "order_id": x.order_id,
        "carrier": x.carrier,
        "tracking": x.tracking,
        "status": x.status,
        "shipped_at": iso(x.shipped_at),
        "last_scan_at": iso(x.last_scan_at),
        "estimated_delivery": iso(x.estimated_delivery),
        "estimate_basis": x.estimate_basis,
        "promised_by": iso(x.promised_by),
        "delivered_at": iso(x.delivered_at),
        "flags": list(x.flags),
        "events": [
            {"status": e.status, "at": e.at.isoformat(), "location": e.location} for e in x.events
        ],
    }


def _as_of(text: str | None) -> datetime | None:
    from borderless.capabilities.shipments import parse_time
    from borderless.errors import InvalidInput

    if text is None:
        return None
    from borderless.capabilities.dates import date_problem

    try:
        when = parse_time(text)
    except ValueError as exc:
        raise InvalidInput(f"--as-of: {exc}", field="as_of") from exc
    # 0001-01-01 and 9999-12-31 judged every parcel late or not yet due (an attack)
    if problem := date_problem(when):
        raise InvalidInput(f"--as-of: {problem}", field="as_of")
    return when


def _line(x: Tracking) -> str:
    eta = f"{x.estimated_delivery:%Y-%m-%d}" if x.estimated_delivery else "no estimate"
    flags = f"  [{', '.join(x.flags)}]" if x.flags else ""
    return f"{x.order_id} {x.shipment_id} {x.carrier}: {x.status}, delivery {eta}{flags}"


@shipments_app.command("import")
def import_scans(
    ctx: typer.Context,
    path: Annotated[
        Path,
        typer.Argument(help="CSV: shipment_id,order_id,carrier,status,at[,tracking,location]."),
    ],
    as_json: JsonFlag = False,
) -> None:
    """Add carrier scans from a file (one transaction; a bad line: nothing written)."""
    from borderless.capabilities.shipments import read_events_file
    from borderless.cli.common import database_from
    from borderless.storage.shipments import save_scans

    rows = read_events_file(path)
    result = save_scans(database_from(ctx), rows, source=str(path))
    out = {"file": str(path), "rows": len(rows), **result.as_dict()}
    said = (
        f"{len(rows)} scans: {result.shipments_created} shipment(s) created, "
        f"{result.scans_added} scan(s) added, {result.scans_unchanged} already stored"
    )
    typer.echo(json.dumps(out) if as_json else said)  # it printed a Python dict (an attack)


@shipments_app.command("show")
def show(
    ctx: typer.Context,
    order_id: Annotated[str, typer.Argument(help="Order number.")],
    as_of: AsOf = None,
    as_json: JsonFlag = False,
) -> None:
    """The shipments of one order with status, estimated delivery and flags."""
    from borderless.cli.common import database_from
    from borderless.storage.shipments import shipments_of

    found = shipments_of(database_from(ctx), order_id, now=_as_of(as_of))
    if as_json:
        typer.echo(json.dumps({"data": [tracking_dict(x) for x in found], "count": len(found)}))
        return
    for x in found:
        typer.echo(_line(x))
    if not found:
        typer.echo(f"order {order_id} has no shipments yet")


@shipments_app.command("late")
def late(
    ctx: typer.Context,
    as_of: AsOf = None,
    stale_days: Annotated[
        int, typer.Option(min=1, max=60, help="Days without a scan that flag it (1-60).")
    ] = 3,
    as_json: JsonFlag = False,
) -> None:
    """Shipments at risk: past the promise, expected after it, no scan for days, or a problem."""
    from borderless.cli.common import database_from
    from borderless.storage.shipments import list_shipments

    found, total = list_shipments(database_from(ctx), now=_as_of(as_of), stale_days=stale_days,
                                  flagged=True, limit=10_000)  # fmt: skip
    if as_json:
        typer.echo(json.dumps({"data": [tracking_dict(x) for x in found], "count": total}))
        return
    for x in found:
        typer.echo(_line(x))
    typer.echo(f"{total} shipment(s) at risk")


@shipments_app.command("promise")
def promise(
    ctx: typer.Context,
    country: Annotated[str, typer.Argument(help="Market code, e.g. DE.")],
    days: Annotated[int, typer.Argument(help="Days from order to the customer's door.")],
) -> None:
    """Set a market's delivery promise (what late means, and what fulfilment plans must meet)."""
    from borderless.cli.common import database_from
    from borderless.storage.shipments import DeliveryPromise, set_promise

    saved = set_promise(database_from(ctx), DeliveryPromise(country, days))
    typer.echo(json.dumps({"country": saved.country, "days": saved.days}))
