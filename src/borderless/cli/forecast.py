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
Holidays = Annotated[
    str,
    typer.Option(
        help="Public-holiday features for LightGBM: 'auto' (the market in SKU@CC or CC ids), "
        "a market code such as GB for ids that name none, or 'none'."
    ),
]


def _holidays(value: str) -> str | None:
    return None if value.strip().lower() == "none" else value


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
    holidays: Holidays = "auto",
    as_json: JsonFlag = False,
) -> None:
    """Hold out the last H points of each series; score the chosen models and the baselines."""
    from borderless.capabilities.forecast import backtest, read_series

    df, freq = read_series(series)
    result = backtest(df, freq, horizon, selection=selection, n_windows=windows,
                      lightgbm=lightgbm, holidays=_holidays(holidays))  # fmt: skip
    if as_json:
        typer.echo(json.dumps(result))
        return
    _print_scores(result)


Level = Annotated[str, typer.Option(help="sku_market, sku, market or total.")]
FrequencyOpt = Annotated[str, typer.Option(help="daily or weekly.")]


@forecast_app.command("shop")
def forecast_shop_command(
    ctx: typer.Context,
    level: Level = "sku_market",
    frequency: FrequencyOpt = "weekly",
    horizon: Annotated[int, typer.Option(min=1, max=104, help="Periods ahead.")] = 8,
    selection: Selection = "per_kind",
    windows: Windows = 2,
    lightgbm: Annotated[bool, typer.Option(help="Add the global LightGBM model.")] = True,
    holidays: Holidays = "auto",
    jobs: Annotated[int, typer.Option(min=1, max=64, help="Processes per batch.")] = 1,
    ray_address: Annotated[
        str | None, typer.Option(help="Run the batches on Ray ('local' starts one here).")
    ] = None,
    batch: Annotated[int, typer.Option(min=1, help="Series per batch.")] = 2000,
    as_json: JsonFlag = False,
) -> None:
    """Forecast the shop's demand from its sales and store it (replaces that level's forecasts)."""
    from borderless.cli.common import progress_bar, services_from
    from borderless.jobs.supply import forecast_shop

    services = services_from(ctx)
    with progress_bar(f"Forecasting {level} {frequency}") as advance:
        result = forecast_shop(
            services.db, lifecycle=services.lifecycle, level=level, frequency=frequency,
            horizon=horizon, ray_address=ray_address,
            batch_series=batch, progress=advance, selection=selection, n_windows=windows,
            lightgbm=lightgbm, n_jobs=jobs, holidays=_holidays(holidays),
        )  # fmt: skip
    if as_json:
        typer.echo(json.dumps(result))
        return
    typer.echo(
        f"{result['series']} {result['frequency']} series at level {result['level']} "
        f"forecast {result['horizon']} periods ahead in {result['seconds']} s"
    )
    typer.echo(f"models: {result['models']}")
    if result["version"]:
        typer.echo(f"recorded as forecast version {result['version']}")


@forecast_app.command("show")
def show(
    ctx: typer.Context,
    series_id: Annotated[str, typer.Argument(help="SKU@CC, SKU, CC or total.")],
    level: Level = "sku_market",
    frequency: FrequencyOpt = "weekly",
    as_json: JsonFlag = False,
) -> None:
    """A stored forecast with its intervals."""
    from dataclasses import asdict

    from borderless.capabilities.forecast.series import check_kind
    from borderless.cli.common import database_from
    from borderless.storage.supply import get_forecast

    check_kind(level, frequency)
    series, points = get_forecast(database_from(ctx), level, frequency, series_id)
    if as_json:
        data = {**asdict(series), "points": [asdict(p) for p in points]}
        typer.echo(json.dumps(data, default=str))
        return
    typer.echo(f"{series.series_id}: model {series.model} ({series.kind}), RMSE {series.sigma:.2f}")
    for p in points:
        typer.echo(
            f"{p.ds:%Y-%m-%d}  {p.yhat:8.1f}  80% {p.lo_80:.1f}-{p.hi_80:.1f}  "
            f"95% {p.lo_95:.1f}-{p.hi_95:.1f}"
        )
