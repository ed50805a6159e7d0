"""`borderless markets`: the seller's exchange rates, and prices, measures and sizes per market."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from borderless.cli.common import database_from

markets_app = typer.Typer(help="Prices, units and sizes per market.", no_args_is_help=True)
rates_app = typer.Typer(help="Exchange rates the seller maintains.", no_args_is_help=True)
markets_app.add_typer(rates_app, name="rates")


def _rate_row(rate: object) -> dict[str, str]:
    from borderless.capabilities.catalog.money import Rate

    assert isinstance(rate, Rate)
    return {"currency": rate.currency, "base": rate.base, "rate": format(rate.rate, "f"),
            "rounding": rate.rounding}  # fmt: skip


@rates_app.command("set")
def set_rate(
    ctx: typer.Context,
    currency: Annotated[str, typer.Argument(help="ISO 4217 code, e.g. EUR")],
    rate: Annotated[str, typer.Argument(help="Units of CURRENCY one unit of the base buys.")],
    base: Annotated[str, typer.Option(help="The shop's base currency.")] = "GBP",
    rounding: Annotated[str, typer.Option(help="exact | whole | 99 | 95 | 100")] = "exact",
) -> None:
    """Set (or replace) one currency's rate: `borderless markets rates set EUR 1.17`."""
    from borderless.storage.markets import save_rate

    saved = save_rate(database_from(ctx), currency, rate, "cli", base=base, rounding=rounding)
    typer.echo(f"1 {saved.base} = {saved.rate} {saved.currency} (rounding {saved.rounding})")


@rates_app.command("list")
def list_rates(
    ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json")] = False
) -> None:
    """Every stored rate."""
    from borderless.storage.markets import stored_rates

    rates = list(stored_rates(database_from(ctx)).values())
    if as_json:
        typer.echo(json.dumps({"data": [_rate_row(r) for r in rates], "count": len(rates)}))
        return
    for r in rates:
        typer.echo(f"{r.currency}  {r.rate}  per {r.base}  rounding {r.rounding}")


@rates_app.command("remove")
def remove_rate(ctx: typer.Context, currency: Annotated[str, typer.Argument()]) -> None:
    """Remove a currency's rate (prices in it are then refused, never relabelled)."""
    from borderless.storage.markets import remove_rate as remove

    remove(database_from(ctx), currency)
    typer.echo(f"removed {currency.upper()}")


@markets_app.command("localize")
def localize(
    ctx: typer.Context,
    market: Annotated[str, typer.Option(help="Market code, e.g. DE, US, JP.")],
    price: Annotated[str | None, typer.Option(help="A price in the base currency.")] = None,
    currency: Annotated[str, typer.Option(help="The price's currency.")] = "GBP",
    text: Annotated[
        str, typer.Option(help="Listing text whose prices, measures and sizes to convert.")
    ] = "",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """A price, measures and sizes as the market reads them."""
    from borderless.capabilities.catalog.checks import check_money
    from borderless.capabilities.catalog.markets import localize_for_market
    from borderless.storage.catalog import catalog_language
    from borderless.storage.markets import shop_currency_and_rates

    amount = check_money(price, "price")
    db = database_from(ctx)
    base, rates = shop_currency_and_rates(db)
    found = localize_for_market(
        market, rates, amount=amount, currency=currency, text=text, base=base,
        source=catalog_language(db),
    )  # fmt: skip
    if as_json:
        typer.echo(json.dumps(found, ensure_ascii=False))
        return
    for key, value in found.items():
        typer.echo(f"{key}: {value}")
