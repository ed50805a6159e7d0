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
    from borderless.cli.common import database_from
    from borderless.jobs.supply import import_stock

    result = import_stock(database_from(ctx), path)
    changes = result["changes"]  # it printed a Python dict (an attack)
    said = (
        f"{result['rows']} stock rows: {changes['inserted']} new, {changes['updated']} "
        f"changed, {changes['unchanged']} as they were"
    )
    typer.echo(json.dumps(result) if as_json else said)


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


@inventory_app.command("lanes")
def import_lanes(
    ctx: typer.Context,
    path: Annotated[
        Path,
        typer.Argument(
            help="CSV: warehouse,carrier,country,cost_per_order,cost_per_kg,"
            "lead_time_days[,capacity] (capacity: orders per day)."
        ),
    ],
) -> None:
    """Replace the warehouse/carrier lanes fulfilment plans choose from (a bad line: none)."""
    from borderless.capabilities.fulfilment import read_lanes_file
    from borderless.cli.common import database_from
    from borderless.storage.fulfilment import set_lanes

    count = set_lanes(database_from(ctx), read_lanes_file(path), source=str(path))
    typer.echo(json.dumps({"file": str(path), "lanes": count}))


@inventory_app.command("fulfil")
def fulfil(
    ctx: typer.Context,
    days: Annotated[int, typer.Option(help="Plan the orders of the last N days.")] = 7,
    kg_per_unit: Annotated[
        float, typer.Option(help="Weight of a unit whose product has no weight.")
    ] = 0.5,
    strict: Annotated[
        bool, typer.Option(help="A market no lane can serve in time is an error.")
    ] = False,
    orders: Annotated[bool, typer.Option("--orders", help="List every order's lane.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Which warehouse and carrier ships each order: the cheapest that meets the market's
    promise, within capacity (HiGHS when it binds), against the naive one lane per market."""
    from borderless.cli.common import database_from
    from borderless.storage.fulfilment import shop_plan

    made = shop_plan(database_from(ctx), days=days, kg_per_unit=kg_per_unit, strict=strict)
    if as_json:
        typer.echo(json.dumps(made.as_dict(orders=orders)))
        return
    plan = made.plan
    for m in plan.markets:
        lanes = ", ".join(f"{k} {n}" for k, n in m.lanes.items())
        late = "" if m.meets_promise else "  (no lane meets the promise)"
        typer.echo(f"{m.country} {m.orders:>5} orders  {m.cost:>10.2f} vs naive "
                   f"{m.naive_cost:>10.2f}  {lanes}{late}")  # fmt: skip
    if orders:
        for a in plan.assignments:
            typer.echo(f"{a.order_id} {a.country} {a.lane} {a.cost:.2f}")
    for note in plan.notes:
        typer.echo(f"note: {note}")
    if made.assumed_weight_orders:
        typer.echo(f"note: {made.assumed_weight_orders} order(s) have products without a "
                   f"weight, counted at {made.kg_per_unit} kg per unit")  # fmt: skip
    typer.echo(f"{len(plan.assignments)} orders: cost {plan.cost:.2f} vs naive "
               f"{plan.naive_cost:.2f} (saving {plan.saving:.2f}); {plan.method}")  # fmt: skip
