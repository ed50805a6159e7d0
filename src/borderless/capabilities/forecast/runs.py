"""What a shop forecast run was fitted on and how well it did, for the model registry.

A run is named by its data and settings: the same demand series under the same settings give
the same choice of models, so forecasting again on unchanged sales finds its version already
recorded. Held-out measure: WAPE of each series' chosen model on its last rolling-origin
window (the `h` periods before the end of its history, forecast from the history before them).
These windows also chose the model, so the figure is a little optimistic; series too short to
backtest are not in it (`series_scored` says how many are).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from borderless.capabilities.forecast.selection import Forecaster

__all__ = ["LastWindow", "last_window", "run_data", "run_metrics", "run_version"]

# (sum of absolute errors, sum of actuals, points, series) on the last backtest window
LastWindow = tuple[float, float, int, int]


def last_window(forecaster: Forecaster) -> LastWindow:
    """The chosen models' errors on each backtested series' last rolling-origin window."""
    cv = forecaster.backtest_
    if cv.empty or "cutoff" not in cv.columns:
        return (0.0, 0.0, 0, 0)
    chosen = cv[cv["model"] == cv["unique_id"].map(forecaster.choice_)]
    if chosen.empty:
        return (0.0, 0.0, 0, 0)
    last = chosen[chosen["cutoff"] == chosen.groupby("unique_id")["cutoff"].transform("max")]
    return (float((last["y"] - last["yhat"]).abs().sum()), float(last["y"].abs().sum()),
            len(last), int(last["unique_id"].nunique()))  # fmt: skip


def run_metrics(windows: list[LastWindow], n_windows: int) -> dict[str, Any]:
    """Backtest WAPE (%) of the chosen models on the last window, summed over batches."""
    errors = sum(w[0] for w in windows)
    actual = sum(w[1] for w in windows)
    points = sum(w[2] for w in windows)
    series = sum(w[3] for w in windows)
    split = (f"last of {n_windows} rolling-origin windows per series, chosen model "
             "(the windows also chose it)")  # fmt: skip
    if not points or actual <= 0:
        return {"series_scored": series, "points_scored": points,
                "split": f"{split}; no sales in it to score"}  # fmt: skip
    return {
        "backtest_wape_last_window": round(errors / actual * 100, 3),
        "series_scored": series,
        "points_scored": points,
        "split": split,
    }


def run_data(frame: pd.DataFrame, orders: int, order_lines: int) -> dict[str, Any]:
    """Series, periods, date range, orders and a hash of the demand series."""
    digest = hashlib.sha256()
    rows = frame[["unique_id", "ds", "y"]].sort_values(["unique_id", "ds"])
    for uid, ds, y in rows.itertuples(index=False, name=None):
        digest.update(f"{uid}\t{ds:%Y-%m-%d}\t{float(y):g}\n".encode())
    return {
        "file": "orders (shop database)",
        "sha256": digest.hexdigest(),
        "series": int(frame["unique_id"].nunique()),
        "periods": len(frame),
        "orders": orders,
        "order_lines": order_lines,
        "date_from": f"{frame['ds'].min():%Y-%m-%d}" if len(frame) else None,
        "date_to": f"{frame['ds'].max():%Y-%m-%d}" if len(frame) else None,
    }


def run_version(data: Mapping[str, Any], settings: Mapping[str, Any]) -> str:
    """`<level>-<frequency>-<hash of the series and the settings>`."""
    shown = json.dumps(dict(settings), sort_keys=True, default=str)
    key = hashlib.sha256(f"{data['sha256']}\n{shown}".encode()).hexdigest()[:12]
    return f"{settings['level']}-{settings['frequency']}-{key}"
