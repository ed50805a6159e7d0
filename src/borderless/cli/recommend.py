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
