"""The models a series may be forecast with, from maintained libraries.

StatsForecast (Nixtla) gives the local models: naive, seasonal naive, moving mean, simple
exponential smoothing, AutoETS, dynamic optimized Theta, AutoARIMA, and Croston / ADIDA / IMAPA for
intermittent demand. MLForecast with LightGBM gives one global model over all series with lags,
rolling means, calendar features and the public holidays of each series' market (see
holiday_calendar); each series is divided by its mean first, so a shop's big
sellers and slow movers share one model. `combo` is the mean of ETS and Theta (and ARIMA when on),
which the Online Retail validation windows favoured over either alone (see benchmarks/RESULTS.md).

statsforecast compiles its models with numba on first use (about 2 s for Croston here); we switch
on numba's on-disk cache, so later processes pay about 0.5 s.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from borderless.capabilities.forecast.holiday_calendar import holiday_features, market_of
from borderless.optional import require

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["COMBOS", "MODEL_NAMES", "lightgbm_forecasts", "model_name", "stat_models"]

# Each model as a seller reads it on the Supply pages ("adida" told them nothing).
MODEL_NAMES = {
    "naive": "last period again", "mean": "recent average", "ses": "exponential smoothing",
    "seasonal_naive": "same period last season", "seasonal_mean": "seasonal average",
    "ets": "ETS (level, trend, season)", "theta": "Theta", "arima": "ARIMA",
    "croston": "Croston (intermittent demand)", "adida": "ADIDA (intermittent demand)",
    "imapa": "IMAPA (intermittent demand)", "lightgbm": "LightGBM (one model, all series)",
    "combo": "average of the best models",
}  # fmt: skip


def model_name(name: str) -> str:
    """A model in words, its code name after it ("ADIDA (intermittent demand)")."""
    return MODEL_NAMES.get(name, name.replace("_", " "))


# Models averaged into `combo`, by series kind.
COMBOS = {"smooth": ("ets", "theta"), "intermittent": ("croston", "imapa", "ses")}


def _statsforecast() -> Any:
    os.environ.setdefault("NIXTLA_NUMBA_CACHE", "1")
    return require("statsforecast.models", "forecast", feature="demand forecasting")


def stat_models(kind: str, season_length: int, *, arima: bool = False) -> dict[str, Any]:
    """Candidate models for `kind` ("smooth" or "intermittent") by our names."""
    m = _statsforecast()
    window = 7 if season_length == 7 else 4
    models: dict[str, Any] = {
        "mean": m.WindowAverage(window_size=window),
        "ses": m.SimpleExponentialSmoothingOptimized(),
    }
    if kind == "smooth":
        # Not for intermittent demand: last period again forecasts 0 after a week without a
        # sale, or a lone order every week after it. It won the intermittent series of some
        # batches (1,510 of the demo shop's series); replayed on the 120 of those that sell
        # most, without it stock fell 24-32% for 0.9-1.9 points of fill at the same service
        # level, and 95% without it served more than 90% with it on less stock, in both
        # halves of them (benchmarks/bench_intermittent.py).
        models["naive"] = m.Naive()
    if season_length > 1:
        models["seasonal_naive"] = m.SeasonalNaive(season_length=season_length)
        # the same weekday (or week of the year) averaged over the last few seasons
        models["seasonal_mean"] = m.SeasonalWindowAverage(
            season_length=season_length, window_size=4 if season_length == 7 else 2
        )
    if kind == "smooth":
        models["ets"] = m.AutoETS(season_length=season_length)
        models["theta"] = m.DynamicOptimizedTheta(season_length=season_length)
        if arima:
            models["arima"] = m.AutoARIMA(season_length=season_length)
    else:
        models["croston"] = m.CrostonOptimized()
        models["adida"] = m.ADIDA()
        models["imapa"] = m.IMAPA()
    for name, model in models.items():
        model.alias = name
    return models


def _lags(
    freq_name: str, longest: int, held_out: int = 0
) -> tuple[list[int], dict[int, list[Any]], list[str]]:
    """Lags, rolling means and calendar features for series of up to `longest` periods, of which
    the backtest holds out the last `held_out`.

    The time of the year (month, week of the year) is a feature only when the rows a model
    trains on (after the longest lag) cover a whole year: a tree splits such a feature where
    the training rows lie and can only extrapolate to weeks it never saw. On the demo shop (53
    weeks; the rows start in March after the 12-week lag) the weeks of autumn's climb carried
    on into January: 22423 in Great Britain, selling 89-236 units a week, was forecast 591-624
    for January 2012, and 176-218 without these features. Of the 536 series selling lately in
    its batch of 2,000 (forecast_shop's), 57% more than doubled their last 8 weeks' mean in
    January with them, 12% without (tests/test_forecast.py).
    """
    rolling = require("mlforecast.lag_transforms", "forecast", feature="demand forecasting")
    if freq_name == "daily":
        lags = [1, 2, 3, 4, 5, 6, 7, 14, 21, 28]
        windows = [7, 28]
        dates, yearly, year = ["dayofweek", "day"], ["month"], 365
    else:
        lags = [1, 2, 3, 4, 8, 12] + ([52] if longest > 60 else [])
        windows = [4, 12]
        dates, yearly, year = [], ["month", "week"], 52
    if longest - held_out - max(lags) >= year:
        dates += yearly
    return lags, {1: [rolling.RollingMean(window_size=w) for w in windows]}, dates


def min_lightgbm_history(freq_name: str, longest: int) -> int:
    lags, _, _ = _lags(freq_name, longest)
    return max(lags) + 8


def lightgbm_forecasts(
    train: pd.DataFrame,
    h: int,
    freq_alias: str,
    freq_name: str,
    *,
    n_windows: int = 0,
    threads: int = 1,
    holidays: str | None = "auto",
    held_out: int | None = None,
) -> pd.DataFrame:
    """Global LightGBM forecasts (column `lightgbm`); with `n_windows`, rolling-origin ones
    (with `cutoff` and `y`) instead of the next `h` periods.

    `held_out`: the periods a backtest holds out (default `n_windows` x `h`); the forecast after
    a backtest passes the backtest's, so that both use the same features (see `_lags`).

    `holidays`: None for no holiday features, "auto" for the markets the series ids name, or a
    market code for the series whose id names none (see holiday_calendar).
    """
    lgb = require("lightgbm", "forecast", feature="demand forecasting")
    mlf = require("mlforecast", "forecast", feature="demand forecasting")
    pd = require("pandas", "forecast", feature="demand forecasting")

    scale = train.groupby("unique_id")["y"].mean().clip(lower=1e-9)
    scaled = train[["unique_id", "ds", "y"]].assign(y=train["y"] / train["unique_id"].map(scale))
    default = None if holidays in (None, "auto") else holidays
    with_holidays = holidays is not None and any(
        market_of(str(u), default) for u in scaled["unique_id"].unique()
    )
    if with_holidays:
        scaled = holiday_features(scaled, freq_name, default)
    longest = int(train.groupby("unique_id").size().max())
    lags, transforms, dates = _lags(
        freq_name, longest, n_windows * h if held_out is None else held_out
    )
    model = lgb.LGBMRegressor(
        n_estimators=200, learning_rate=0.05, num_leaves=31, min_child_samples=20,
        subsample=0.8, subsample_freq=1, colsample_bytree=0.8, verbosity=-1,
        n_jobs=threads, random_state=0,
    )  # fmt: skip
    fc = mlf.MLForecast(
        models={"lightgbm": model},
        freq=freq_alias,
        lags=lags,
        lag_transforms=transforms,
        date_features=dates,
        num_threads=threads,
    )
    if n_windows:
        out = fc.cross_validation(scaled, n_windows=n_windows, h=h, step_size=h,
                                  static_features=[])  # fmt: skip
        out["y"] = out["y"] * out["unique_id"].map(scale)
    else:
        fc.fit(scaled, static_features=[])
        future = None
        if with_holidays:
            future = holiday_features(fc.make_future_dataframe(h), freq_name, default)
        out = fc.predict(h, X_df=future)
    out["lightgbm"] = (out["lightgbm"] * out["unique_id"].map(scale)).clip(lower=0)
    return pd.DataFrame(out)
