"""Forecast the shop's demand (locally or on Ray) and turn the forecasts into a replenishment list.

Series are cut into batches; each batch chooses its models and forecasts on its own, so a batch
runs the same here or on a Ray worker, and LightGBM's global model is global per batch.
"""

from __future__ import annotations

import logging
import time
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from borderless.errors import BorderlessError, InvalidInput, NotFound
from borderless.jobs.runner import batched, run_local, run_on_ray
from borderless.storage.database import Database
from borderless.storage.supply import (
    ForecastPoint,
    SeriesForecast,
    forecast_levels,
    get_forecast,
    last_sale_at,
    list_market_supply,
    list_stock,
    sale_lines,
    save_forecast,
)

if TYPE_CHECKING:
    from borderless.capabilities.inventory import Replenishment
    from borderless.capabilities.lifecycle.loop import Lifecycle

__all__ = ["forecast_batch", "forecast_shop", "import_stock", "replenishment_plan"]

log = logging.getLogger("borderless.forecast")

DEFAULTS: dict[str, Any] = {"selection": "per_kind", "n_windows": 2}


def forecast_batch(items: Sequence[Any]) -> list[Any]:
    """Work for one batch: `[(frame, frequency, horizon, params)]` -> `[(series, points,
    last window)]`, the last the chosen models' errors on their last backtest window."""
    from borderless.capabilities.forecast import Forecaster
    from borderless.capabilities.forecast.runs import last_window

    out = []
    for frame, freq, horizon, params in items:
        with warnings.catch_warnings():
            # AutoETS divides by zero on some flat short series and falls back; not news.
            warnings.simplefilter("ignore", RuntimeWarning)
            forecaster = Forecaster(**params).fit(frame, freq, horizon)
            predicted = forecaster.predict(horizon)
        kinds = {u: "short" if u in forecaster.short_ else k for u, k in forecaster.kinds_.items()}
        series = [
            (uid, forecaster.choice_[uid], kinds[uid], forecaster.sigma_[uid])
            for uid in forecaster.kinds_
        ]
        points = list(
            predicted[["unique_id", "ds", "yhat", "lo_80", "hi_80", "lo_95", "hi_95"]].itertuples(
                index=False, name=None
            )
        )
        out.append((series, points, last_window(forecaster)))
    return out


def import_stock(db: Database, path: Path) -> dict[str, Any]:
    """Stock per product and market from a `sku,country,on_hand[,on_order,lead_time_days]`
    file, in one transaction: a bad line (named) or an unknown SKU or market writes nothing."""
    from borderless.capabilities.inventory import read_stock_file
    from borderless.errors import BadRow, BadRows
    from borderless.storage.supply import StockLevel, set_stock, unknown_to_shop

    rows = read_stock_file(path)
    # a product or market the shop lacks is named by its line and the file (it came as
    # "unknown product(s): NOPE", with neither: a walk)
    with db.engine.connect() as conn:
        skus, markets = unknown_to_shop(conn, {r.sku for r in rows}, {r.country for r in rows})
    bad = [BadRow(r.line, f"unknown product {r.sku!r}", "sku") for r in rows if r.sku in skus]
    bad += [BadRow(r.line, f"unknown market {r.country!r}", "country")
            for r in rows if r.country in markets]  # fmt: skip
    if bad:
        raise BadRows(str(path), sorted(bad, key=lambda b: b.line))
    levels = [StockLevel(r.sku, r.country, r.on_hand, r.on_order, r.lead_time_days) for r in rows]
    return {"file": str(path), "rows": len(rows), "changes": set_stock(db, levels).as_dict()}


def forecast_shop(
    db: Database,
    *,
    level: str = "sku_market",
    frequency: str = "weekly",
    horizon: int = 8,
    ray_address: str | None = None,
    batch_series: int = 2000,
    progress: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
    lifecycle: Lifecycle | None = None,
    **params: Any,
) -> dict[str, Any]:
    """Forecast every series of `level` from the shop's sales and store them (one transaction);
    the run is recorded in the model registry as a version of task `forecast` (`lifecycle`,
    or the shop's registry), named by its series and settings."""
    from borderless.capabilities.forecast import Forecaster, demand_series
    from borderless.capabilities.forecast.holiday_calendar import known_market

    if not 1 <= horizon <= 104:
        raise InvalidInput("the horizon is 1-104 periods", field="horizon")
    started = time.perf_counter()
    lines = sale_lines(db)
    frame, freq = demand_series(lines, level=level, frequency=frequency, end=last_sale_at(db))
    settings = DEFAULTS | params
    if settings.get("holidays", "auto") == "auto" and level in ("sku", "total"):
        # ids without a market follow the calendar of the market that buys the most units
        units: Counter[str] = Counter()
        for _, market, _, quantity in lines:
            units[market] += quantity
        settings["holidays"] = units.most_common(1)[0][0] if units else None
        if settings["holidays"] and not known_market(settings["holidays"]):
            settings["holidays"] = None
    checked = Forecaster(**settings)  # checks the settings here rather than in every batch
    sizes = frame.groupby("unique_id").size()
    ids = sorted(str(u) for u in sizes[sizes >= 2].index)
    skipped = int((sizes < 2).sum())
    if not ids:
        raise InvalidInput("no series with two periods of sales to forecast from", field="orders")
    if on_total:
        on_total(len(ids))
    batches = [
        [(frame[frame["unique_id"].isin(chunk)], freq, horizon, settings)]
        for chunk in batched(ids, batch_series)
    ]
    runner = run_on_ray(ray_address, forecast_batch, batches) if ray_address else run_local(
        forecast_batch, batches)  # fmt: skip
    created = datetime.now().replace(microsecond=0)
    series: list[SeriesForecast] = []
    points: list[ForecastPoint] = []
    windows = []
    for done in runner:
        for batch_series_rows, batch_points, window in done:
            windows.append(window)
            series += [SeriesForecast(level, freq.name, u, m, k, float(s), created)
                       for u, m, k, s in batch_series_rows]  # fmt: skip
            points += [
                ForecastPoint(u, ds.to_pydatetime(), *(float(v) for v in values))
                for u, ds, *values in batch_points
            ]
            if progress:
                progress(len(batch_series_rows))
    save_forecast(db, level, freq.name, series, points)
    models: dict[str, int] = {}
    for s in series:
        name = f"{s.model} (short history)" if s.kind == "short" else s.model
        models[name] = models.get(name, 0) + 1
    seconds = round(time.perf_counter() - started, 2)
    run = {"level": level, "frequency": freq.name, "horizon": horizon,  # n_jobs: same forecasts
           "selection": checked.selection, "n_windows": checked.n_windows,
           "lightgbm": checked.lightgbm, "arima": checked.arima, "holidays": checked.holidays,
           "sample": checked.sample, "levels": list(checked.levels)}  # fmt: skip
    version = _record(db, lifecycle, frame, len(lines), run, models, windows, seconds,
                      len(series))  # fmt: skip
    return {
        "level": level,
        "frequency": freq.name,
        "horizon": horizon,
        "version": version,
        "series": len(series),
        "skipped_single_period": skipped,
        "models": dict(sorted(models.items(), key=lambda kv: -kv[1])),
        "seconds": seconds,
        "ray": bool(ray_address),
    }


def _record(
    db: Database,
    lifecycle: Lifecycle | None,
    frame: Any,
    order_lines: int,
    run: dict[str, Any],
    models: dict[str, int],
    windows: list[Any],
    seconds: float,
    forecast: int,
) -> str | None:
    """Record the run as a version of task `forecast` (the same series and settings: the
    version already recorded) and return its name. Its data says how many series the sales
    hold and how many were `forecast` (a series of one period is not: the Models page read
    19,322 where the forecast page read 19,154)."""
    from borderless.capabilities.forecast.runs import run_data, run_metrics, run_version
    from borderless.capabilities.lifecycle.loop import Lifecycle, Trained
    from borderless.storage.registry import ShopRegistry
    from borderless.storage.supply import sale_order_count

    data = run_data(frame, sale_order_count(db), order_lines)
    version = run_version(data, run)
    data["series_forecast"] = forecast  # after the version: the same run keeps its name
    metrics = run_metrics(windows, int(run.get("n_windows", 2)))
    parameters = {**run, "model": "per-series choice by rolling-origin backtest",
                  "models": models}  # fmt: skip
    trained = Trained(version, Path("orders (shop database)"), metrics, parameters, data, seconds)
    try:
        (lifecycle or Lifecycle(ShopRegistry(db), {})).record("forecast", trained, "forecast shop")
    except BorderlessError as exc:  # the forecasts are stored; only their record failed
        log.warning("forecast run not recorded in the registry: %s", exc.message)
        return None
    return version


def replenishment_plan(db: Database, *, country: str | None = None) -> list[Replenishment]:
    """One line per stocked product and market: what to order now, how much, and why."""
    from borderless.capabilities.inventory import StockPoint, replenish

    markets = list_market_supply(db)
    stored = {(lv, fq) for lv, fq, _ in forecast_levels(db)}
    frequency = "weekly" if ("sku_market", "weekly") in stored else "daily"
    if ("sku_market", frequency) not in stored:
        raise InvalidInput(
            "no per-product, per-market forecast yet: run `borderless forecast shop` first",
            field="forecast",
        )
    period = 7 if frequency == "weekly" else 1
    lines = []
    for level in list_stock(db, country=country):
        market = markets.get(level.country)
        lead = level.lead_time_days or (market.lead_time_days if market else None)
        service = market.service_level if market else 0.95
        review = market.review_days if market else 7
        try:
            series, forecast = get_forecast(
                db, "sku_market", frequency, f"{level.sku}@{level.country}"
            )
            values, sigma = [p.yhat for p in forecast], series.sigma
        except NotFound:  # a stocked product that never sold in this market
            values, sigma = [], 0.0
        lines.append(
            replenish(
                StockPoint(
                    level.sku,
                    level.country,
                    level.on_hand,
                    level.on_order or 0,  # a stored level holds a number
                    lead,
                    service,
                    review,
                    values,
                    sigma,
                    period,
                )
            )
        )
    return sorted(lines, key=lambda r: (-r.order_quantity, r.country, r.sku))
