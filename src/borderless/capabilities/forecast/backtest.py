"""Hold out the last `h` points of every series, forecast them, and score against baselines.

The baselines are computed here, not taken from a library, so their definition is plain:
naive repeats the last observed value; seasonal naive repeats the value one season earlier
(7 days, 52 weeks), and falls back to naive for a series with less than a season of history
(stated in `notes`). Model choice uses only the history before the held-out points.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from borderless.capabilities.forecast.metrics import mase, wape
from borderless.capabilities.forecast.selection import Forecaster
from borderless.capabilities.forecast.series import Frequency
from borderless.errors import InvalidInput

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["backtest", "baseline_forecasts", "split_last"]


def split_last(df: pd.DataFrame, h: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """History and the last `h` points of each series; every series must keep one point."""
    if h < 1:
        raise InvalidInput("the horizon must be at least 1 period", field="horizon")
    sizes = df.groupby("unique_id").size()
    short = sizes[sizes <= h]
    if not short.empty:
        raise InvalidInput(
            f"series {short.index[0]} has {int(short.iloc[0])} point(s): holding out the last "
            f"{h} leaves nothing to fit; use a shorter --horizon or a longer series",
            field="horizon",
        )
    position = df.groupby("unique_id").cumcount(ascending=False)
    return df[position >= h].copy(), df[position < h].copy()


def baseline_forecasts(
    train: pd.DataFrame, test: pd.DataFrame, season_length: int
) -> tuple[pd.DataFrame, list[str]]:
    """`test` with `naive` and `seasonal_naive` columns, and notes on any fallback."""
    import numpy as np

    out = test.copy()
    step = out.groupby("unique_id").cumcount().to_numpy()
    naive: list[float] = []
    seasonal: list[float] = []
    history = {str(u): y.to_numpy() for u, y in train.groupby("unique_id")["y"]}
    for uid, k in zip(out["unique_id"], step, strict=True):
        y = history[str(uid)]
        naive.append(float(y[-1]))
        if len(y) >= season_length:
            seasonal.append(float(y[len(y) - season_length + (k % season_length)]))
        else:
            seasonal.append(float(y[-1]))
    fell_back = sum(1 for y in history.values() if len(y) < season_length)
    out["naive"] = np.array(naive)
    out["seasonal_naive"] = np.array(seasonal)
    notes = []
    if fell_back:
        notes.append(
            f"seasonal naive fell back to naive on {fell_back} series with less than one "
            f"season ({season_length} periods) of history"
        )
    return out, notes


def _scores(model: str, test: pd.DataFrame, column: str, train: pd.DataFrame,
            season: int) -> dict[str, Any]:  # fmt: skip
    return {
        "model": model,
        "wape": round(wape(test["y"], test[column]), 3),
        "mase": round(mase(test, column, train, season), 4),
    }


def backtest(df: pd.DataFrame, freq: Frequency, h: int, **params: Any) -> dict[str, Any]:
    """Scores of the per-series choice and of the baselines on the last `h` points."""
    train, test = split_last(df, h)
    started = time.perf_counter()
    forecaster = Forecaster(**params).fit(train, freq, h)
    predicted = forecaster.predict(h)
    seconds = time.perf_counter() - started
    scored, notes = baseline_forecasts(train, test, freq.season_length)
    scored = scored.merge(predicted[["unique_id", "ds", "yhat"]], on=["unique_id", "ds"],
                          how="left")  # fmt: skip
    if scored["yhat"].isna().any():
        raise InvalidInput("the forecast does not cover every held-out point", field="series")
    grouped = {u for ids in forecaster.groups_.values() for u in ids}
    short = sum(1 for u in forecaster.kinds_ if u not in grouped)
    if short:
        notes.append(
            f"{short} series too short for {forecaster.n_windows} backtest windows of {h}: "
            "forecast with the mean of their last periods"
        )
    season = freq.season_length
    result: dict[str, Any] = _scores("auto", scored, "yhat", train, season)
    result["baselines"] = {
        "seasonal_naive": _scores("seasonal_naive", scored, "seasonal_naive", train, season),
        "naive": _scores("naive", scored, "naive", train, season),
    }
    if 95 in forecaster.levels:
        merged = scored.merge(predicted[["unique_id", "ds", "lo_95", "hi_95"]],
                              on=["unique_id", "ds"])  # fmt: skip
        covered = ((merged["y"] >= merged["lo_95"]) & (merged["y"] <= merged["hi_95"])).mean()
        result["coverage_95"] = round(float(covered) * 100, 1)
    result.update(
        frequency=freq.name,
        horizon=h,
        series=int(df["unique_id"].nunique()),
        held_out_points=len(test),
        chosen=forecaster.chosen_counts(),
        fallback_series=short,
        seconds=round(seconds, 2),
        notes=notes,
    )
    return result
