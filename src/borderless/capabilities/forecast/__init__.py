"""Demand forecasting: per-series model choice by rolling-origin backtest, with baselines."""

from borderless.capabilities.forecast.backtest import backtest, split_last
from borderless.capabilities.forecast.selection import Forecaster, classify
from borderless.capabilities.forecast.series import (
    Frequency,
    demand_series,
    read_series,
    validate_series,
)

__all__ = [
    "Forecaster",
    "Frequency",
    "backtest",
    "classify",
    "demand_series",
    "read_series",
    "split_last",
    "validate_series",
]
