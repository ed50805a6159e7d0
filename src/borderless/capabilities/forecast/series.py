"""Demand series in long format (`unique_id, ds, y`): checks, frequency, and the shop's demand.

Bad input is an error, never a guess: a gap in a series, negative demand, a series of one point,
dates that are neither daily nor weekly, or a series too short for the horizon each raise
`InvalidInput` naming the series. Series built from the shop's orders are complete by
construction: a day or week without a sale is a zero.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from borderless.capabilities.catalog.checks import MAX_STOCK
from borderless.errors import InvalidInput

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "LEVELS",
    "MAX_DEMAND",
    "SEASON",
    "Frequency",
    "check_kind",
    "demand_series",
    "infer_frequency",
    "read_series",
    "validate_series",
]


@dataclass(frozen=True)
class Frequency:
    """`alias` is the pandas offset ("D", "W-SUN"), `name` what a seller reads."""

    name: str  # daily | weekly
    alias: str
    season_length: int  # 7 days a week; 52 weeks a year


SEASON = {"daily": 7, "weekly": 52}
LEVELS = ("sku_market", "sku", "market", "total")
MAX_DEMAND = MAX_STOCK  # units in one period
_WEEKDAYS = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"]


def _pandas() -> Any:
    from borderless.optional import require

    return require("pandas", "forecast", feature="demand forecasting")


def infer_frequency(frame: pd.DataFrame) -> Frequency:
    """Daily or weekly from the smallest step between dates within a series."""
    pd = _pandas()
    steps = frame.sort_values(["unique_id", "ds"]).groupby("unique_id")["ds"].diff().dropna()
    if steps.empty:
        raise InvalidInput(
            "every series has a single point: the frequency cannot be told", field="ds"
        )
    step = steps.min()
    if step == pd.Timedelta(days=1):
        return Frequency("daily", "D", SEASON["daily"])
    if step == pd.Timedelta(days=7):
        weekdays = frame["ds"].dt.day_of_week.unique()
        if len(weekdays) != 1:
            raise InvalidInput("weekly dates must all fall on the same weekday", field="ds")
        return Frequency("weekly", f"W-{_WEEKDAYS[int(weekdays[0])]}", SEASON["weekly"])
    raise InvalidInput(
        f"unknown frequency: the smallest step between dates is {step}; use daily or weekly dates",
        field="ds",
    )


def validate_series(frame: pd.DataFrame, *, min_points: int = 2) -> tuple[pd.DataFrame, Frequency]:
    """A clean sorted copy (string ids, datetime ds, float y) and its frequency."""
    pd = _pandas()
    missing = {"unique_id", "ds", "y"} - set(frame.columns)
    if missing:
        raise InvalidInput(
            f"the series need the columns unique_id, ds, y; missing {', '.join(sorted(missing))}",
            field=sorted(missing)[0],
        )
    df = frame[["unique_id", "ds", "y"]].copy()
    df["unique_id"] = df["unique_id"].astype(str)
    try:
        df["ds"] = pd.to_datetime(df["ds"], format="ISO8601")
    except (ValueError, TypeError) as exc:
        # pandas' own message runs on for four lines of hints and names no row (an attack)
        try:
            dates = pd.to_datetime(df["ds"], format="ISO8601", errors="coerce")
        except ValueError:  # "Mixed timezones detected": an internal error (an attack)
            raise InvalidInput("ds mixes time zones: write every date in one time zone, or "
                               "none", field="ds") from exc  # fmt: skip
        row = int(dates.isna().to_numpy().argmax())
        raise InvalidInput(f"ds on row {row + 1} ({str(df['ds'].iloc[row])[:40]!r}) is not an "
                           "ISO 8601 date such as 2024-01-07", field="ds") from exc  # fmt: skip
    import numpy as np

    y = pd.to_numeric(df["y"], errors="coerce")
    # inf, 1e309 and a 40-digit count passed, and the backtest printed NaN and Infinity in
    # its JSON (an attack): demand is a finite count of at most MAX_DEMAND units a period
    bad = y.isna() | ~np.isfinite(y.to_numpy(dtype=float, na_value=np.nan)) | (y.abs() > MAX_DEMAND)
    if bad.any():
        row = int(bad.to_numpy().argmax())
        raise InvalidInput(
            f"y is not a number from 0 to {MAX_DEMAND:,} on row {row + 1} "
            f"({df['unique_id'].iloc[row]})", field="y",
        )  # fmt: skip
    df["y"] = y.astype(float)
    negative = df[df["y"] < 0]
    if not negative.empty:
        first = negative.iloc[0]
        raise InvalidInput(
            f"negative demand in series {first['unique_id']} on {first['ds'].date()} "
            f"({first['y']:g}); demand is units sold, returns are not netted here",
            field="y",
        )
    if df.duplicated(["unique_id", "ds"]).any():
        dup = df[df.duplicated(["unique_id", "ds"])].iloc[0]
        raise InvalidInput(
            f"series {dup['unique_id']} has two rows for {dup['ds'].date()}", field="ds"
        )
    df = df.sort_values(["unique_id", "ds"]).reset_index(drop=True)
    sizes = df.groupby("unique_id").size()
    short = sizes[sizes < max(2, min_points)]
    if not short.empty:
        raise InvalidInput(
            f"series {short.index[0]} has {int(short.iloc[0])} point(s); "
            f"at least {max(2, min_points)} are needed",
            field="y",
        )
    freq = infer_frequency(df)
    step = pd.Timedelta(days=1 if freq.name == "daily" else 7)
    gaps = df.groupby("unique_id")["ds"].diff().dropna()
    if (gaps != step).any():
        at = gaps[gaps != step].index[0]
        raise InvalidInput(
            f"series {df['unique_id'].iloc[at]} has a gap before {df['ds'].iloc[at].date()}: "
            f"every {freq.name} point must be present (write 0 for no demand)",
            field="ds",
        )
    return df, freq


def read_series(path: Path, *, min_points: int = 2) -> tuple[pd.DataFrame, Frequency]:
    """A long-format CSV `unique_id,ds,y`, checked."""
    pd = _pandas()
    try:
        frame = pd.read_csv(path, dtype={"unique_id": str})
    except FileNotFoundError as exc:
        raise InvalidInput(f"no such file: {path}", field="series") from exc
    except (ValueError, pd.errors.ParserError) as exc:
        raise InvalidInput(f"{path} is not a readable CSV: {exc}", field="series") from exc
    if frame.empty:
        raise InvalidInput(f"{path} holds no rows", field="series")
    # pandas renames a second "y" to "y.1" and the first was used unsaid (an attack)
    if twice := [c for c in frame.columns if re.fullmatch(r".+\.[0-9]+", str(c))
                 and str(c).rsplit(".", 1)[0] in frame.columns]:  # fmt: skip
        name = str(twice[0]).rsplit(".", 1)[0]
        raise InvalidInput(f"{path}: the column {name!r} is named twice", field=name)
    return validate_series(frame, min_points=min_points)


def check_kind(level: str, frequency: str) -> None:
    """InvalidInput unless `level` and `frequency` name a kind of demand series (a stored
    forecast asked for at "--level bogus" said to run the forecast first)."""
    if frequency not in SEASON:
        raise InvalidInput("frequency is daily or weekly", field="frequency")
    if level not in LEVELS:
        raise InvalidInput(f"level is one of {', '.join(LEVELS)}", field="level")


def demand_series(
    lines: Iterable[tuple[str, str, datetime, int]],
    *,
    level: str = "sku_market",
    frequency: str = "weekly",
    end: datetime | None = None,
) -> tuple[pd.DataFrame, Frequency]:
    """Units sold per period from `(sku, country, placed_at, quantity)` sale lines, zero-filled.

    `level`: "sku_market" (id `SKU@CC`), "sku", "market" or "total". Weeks end on Sunday; a
    last period that `end` cuts short is dropped, so a half week never reads as a slump.
    """
    pd = _pandas()
    check_kind(level, frequency)
    ids: dict[str, Callable[[str, str], str]] = {
        "sku_market": lambda s, c: f"{s}@{c}",
        "sku": lambda s, c: s,
        "market": lambda s, c: c,
        "total": lambda s, c: "total",
    }
    key = ids[level]
    rows = [(key(s, c), at, q) for s, c, at, q in lines if q > 0]
    if not rows:
        raise InvalidInput("no sales to forecast from", field="orders")
    df = pd.DataFrame(rows, columns=["unique_id", "ds", "y"])
    df["ds"] = pd.to_datetime(df["ds"]).dt.floor("D")
    alias = "D" if frequency == "daily" else "W-SUN"
    if frequency == "weekly":
        df["ds"] = df["ds"] + pd.offsets.Week(weekday=6, n=0)
    df = df.groupby(["unique_id", "ds"], as_index=False)["y"].sum()
    last = df["ds"].max()
    if end is not None:
        # up to the period `end` falls in: a series whose sales stopped in July ends in
        # December with zeros, not in July (its chart drew one slope across five empty months:
        # a walk)
        reached = pd.Timestamp(end).floor("D")
        if frequency == "weekly":
            reached = reached + pd.offsets.Week(weekday=6, n=0)
        last = max(last, reached)
        if pd.Timestamp(end) < last:
            last = last - pd.Timedelta(days=1 if frequency == "daily" else 7)
    grid = pd.date_range(df["ds"].min(), last, freq=alias)
    full = pd.MultiIndex.from_product([sorted(df["unique_id"].unique()), grid],
                                      names=["unique_id", "ds"])  # fmt: skip
    first = df.groupby("unique_id")["ds"].min()
    df = df.set_index(["unique_id", "ds"]).reindex(full, fill_value=0).reset_index()
    # Each series starts at its first sale: a product launched in June has no demand in May.
    df = df[df["ds"] >= df["unique_id"].map(first)].reset_index(drop=True)
    df["y"] = df["y"].astype(float)
    return df, Frequency(frequency, alias, SEASON[frequency])
