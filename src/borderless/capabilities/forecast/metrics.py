"""Forecast error measures over many series at once.

WAPE (sum of absolute errors over sum of actuals, in %) weighs series by their volume, so a
seller's big sellers count most. MASE divides each series' mean absolute error by the in-sample
mean absolute change of its naive forecast at the seasonal lag (lag 1 when the history holds no
full season); it is the mean over series whose scale is not zero.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["mase", "wape"]


def wape(actual: pd.Series, forecast: pd.Series) -> float:
    total = float(actual.abs().sum())
    if total == 0:
        return float("nan")
    return float((actual - forecast).abs().sum()) / total * 100


def mase(test: pd.DataFrame, column: str, train: pd.DataFrame, season_length: int) -> float:
    """`test` holds unique_id, y and the forecast `column`; `train` the history before it."""
    import numpy as np

    scales: dict[str, float] = {}
    for uid, y in train.groupby("unique_id")["y"]:
        values = y.to_numpy()
        lag = season_length if len(values) > season_length else 1
        scales[str(uid)] = float(np.mean(np.abs(values[lag:] - values[:-lag])))
    errors = (test["y"] - test[column]).abs().groupby(test["unique_id"]).mean()
    ratios = [float(e) / scales[str(u)] for u, e in errors.items() if scales.get(str(u), 0) > 0]
    return float(np.mean(ratios)) if ratios else float("nan")
