"""`borderless forecast`: backtest forecasts on a series file, forecast the shop's demand."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

forecast_app = typer.Typer(help="Demand forecasts.", no_args_is_help=True)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]
Selection = Annotated[
    str, typer.Option(help="per_kind (one model per kind of series) or per_series.")
]
Windows = Annotated[int, typer.Option(min=1, max=12, help="Rolling-origin backtest windows.")]


def _print_scores(result: dict[str, Any]) -> None:
    rows = [result, *result["baselines"].values()]
    for row in rows:
        typer.echo(f"{row['model']:>15}: WAPE {row['wape']:.2f}%  MASE {row['mase']:.3f}")
    typer.echo(f"chosen per series: {result['chosen']}")
    for note in result.get("notes", []):
        typer.echo(f"note: {note}")


@forecast_app.command("backtest")
def backtest_file(
    series: Annotated[Path, typer.Argument(help="CSV in long format: unique_id,ds,y.")],
    horizon: Annotated[int, typer.Option(min=1, max=366, help="Points held out per series.")],
    selection: Selection = "per_kind",
    windows: Windows = 2,
    lightgbm: Annotated[bool, typer.Option(help="Add the global LightGBM model.")] = True,
    as_json: JsonFlag = False,
) -> None:
    """Hold out the last H points of each series; score the chosen models and the baselines."""
    from borderless.capabilities.forecast import backtest, read_series

    df, freq = read_series(series)
    result = backtest(df, freq, horizon, selection=selection, n_windows=windows,
                      lightgbm=lightgbm)  # fmt: skip
    if as_json:
        typer.echo(json.dumps(result))
        return
    _print_scores(result)
