"""`borderless inventory`: stock and lead times per product and market, and what to order."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

inventory_app = typer.Typer(help="Stock, lead times and replenishment.", no_args_is_help=True)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]


@inventory_app.command("import")
def import_stock(
    ctx: typer.Context,
    path: Annotated[
        Path, typer.Argument(help="CSV: sku,country,on_hand[,on_order,lead_time_days].")
    ],
    as_json: JsonFlag = False,
) -> None:
    """Set stock per product and market from a file (one transaction; a bad line: none written)."""
    from borderless.capabilities.inventory import read_stock_file
    from borderless.cli.common import database_from
    from borderless.storage.supply import StockLevel, set_stock

    rows = read_stock_file(path)
    levels = [StockLevel(r.sku, r.country, r.on_hand, r.on_order, r.lead_time_days) for r in rows]
    changes = set_stock(database_from(ctx), levels)
    result = {"file": str(path), "rows": len(rows), "changes": changes.as_dict()}
    typer.echo(json.dumps(result) if as_json else f"{len(rows)} stock rows: {changes.as_dict()}")


@inventory_app.command("market")
def market(
    ctx: typer.Context,
    country: Annotated[str, typer.Argument(help="Market code, e.g. DE.")],
    service_level: Annotated[float, typer.Option(help="Share of demand served from stock.")] = 0.95,
    lead_time_days: Annotated[
        int | None, typer.Option(help="Default lead time of the market's products.")
    ] = None,
    review_days: Annotated[int, typer.Option(help="Days between orders.")] = 7,
) -> None:
    """Set a market's service level, default lead time and review period."""
    from borderless.cli.common import database_from
    from borderless.storage.supply import MarketSupply, set_market_supply

    saved = set_market_supply(
        database_from(ctx),
        MarketSupply(country.upper(), service_level, lead_time_days, review_days),
    )
    typer.echo(json.dumps(asdict(saved)))


@inventory_app.command("plan")
def plan(
    ctx: typer.Context,
    country: Annotated[str | None, typer.Option(help="Only this market.")] = None,
    all_lines: Annotated[
        bool, typer.Option("--all", help="Also lines with nothing to order.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """What to order now, how much, for which market, and why."""
    from borderless.cli.common import database_from
    from borderless.jobs.supply import replenishment_plan

    lines = replenishment_plan(database_from(ctx), country=country)
    shown = [r for r in lines if all_lines or r.order_quantity > 0 or r.lead_time_days is None]
    if as_json:
        data = [r.as_dict() for r in shown]
        typer.echo(json.dumps({"data": data, "count": len(data), "stocked": len(lines)}))
        return
    for r in shown:
        typer.echo(f"{r.country} {r.sku:<10} order {r.order_quantity:>6}  {r.reason}")
    typer.echo(
        f"{sum(1 for r in lines if r.order_quantity)} of {len(lines)} stocked lines to order"
    )
