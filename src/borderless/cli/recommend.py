"""`borderless recommend`: evaluate recommenders on interaction files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

recommend_app = typer.Typer(help="Recommendations.", no_args_is_help=True)


@recommend_app.command("evaluate")
def evaluate(
    train: Annotated[Path, typer.Option(help="CSV with user,item[,rating,timestamp].")],
    test: Annotated[Path, typer.Option(help="CSV with user,item: the relevant items per user.")],
    k: Annotated[int, typer.Option(min=1, max=1000, help="List length.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Fit the default hybrid and its baselines on train; measure them on test, side by side."""
    from borderless.capabilities.recommend.defaults import baselines, default_model
    from borderless.capabilities.recommend.evaluate import evaluate_recommender, read_interactions
    from borderless.capabilities.recommend.interactions import Interactions

    data = Interactions.from_pairs(read_interactions(train))
    held_out = read_interactions(test)
    result = evaluate_recommender(default_model(), data, held_out, k)
    result["baselines"] = {  # type: ignore[assignment]
        model.name: evaluate_recommender(model, data, held_out, k) for model in baselines()
    }
    if as_json:
        typer.echo(json.dumps(result))
        return
    rows = [result, *result["baselines"].values()]  # type: ignore[union-attr]
    for row in rows:
        measures = ", ".join(f"{k}={v}" for k, v in row.items() if k not in {"model", "baselines"})
        typer.echo(f"{row['model']:>12}: {measures}")


def _show(ctx: typer.Context, picks: list[tuple[str, float]], basis: str, as_json: bool) -> None:
    from borderless.cli.common import database_from
    from borderless.storage.catalog import products_by_sku

    db = database_from(ctx)
    score = dict(picks)
    products = [(p, score[p.sku]) for p in products_by_sku(db, [sku for sku, _ in picks])]
    if as_json:
        data = [{"sku": p.sku, "title": p.title, "score": round(s, 5)} for p, s in products]
        typer.echo(json.dumps({"basis": basis, "data": data}))
        return
    typer.echo(f"({basis})")
    for p, _ in products:
        typer.echo(f"{p.sku:<10} {p.title}")


@recommend_app.command("product")
def also_bought(
    ctx: typer.Context,
    sku: Annotated[str, typer.Argument(help="A product's SKU.")],
    limit: Annotated[int, typer.Option(min=1, max=50)] = 6,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Customers who bought this also bought."""
    from borderless.cli.common import services_from
    from borderless.storage.catalog import get_product

    services = services_from(ctx)
    get_product(services.db, sku)
    _show(ctx, services.recommendations.also_bought(sku, limit), "bought together", as_json)


@recommend_app.command("customer")
def for_customer(
    ctx: typer.Context,
    customer_id: Annotated[str, typer.Argument(help="A customer's id.")],
    limit: Annotated[int, typer.Option(min=1, max=50)] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Products recommended for a customer."""
    from borderless.cli.common import services_from

    picks = services_from(ctx).customer_picks(customer_id, limit)
    _show(ctx, picks.items, picks.basis, as_json)
