"""Public holidays as features of the global LightGBM model, per market.

Demand moves around public holidays: a bank-holiday week ships less, the weeks before Christmas
more. The calendars come from the maintained `holidays` package (offline, about 250 countries and
their subdivisions' national days); each series takes the calendar of its market: `SKU@GB` and
`GB` read GB's, any other id the `default` market the caller names (a shop's home market, "US" for
Walmart's stores), which may name a subdivision: "GB-ENG" adds England's Easter Monday and
August bank holiday to the UK-wide days. A market the package does not know gets no holiday
features (all zero), the documented fallback, never a neighbour's calendar.

Features (dynamic exogenous columns, known in advance for the forecast horizon):
- daily: `holiday` (1 on a public holiday), `days_to_holiday` and `days_since_holiday` (0-14, 14
  meaning "two weeks or more");
- weekly (a week ends on its `ds`): `holidays_in_week` (count in the seven days), and
  `weeks_to_holiday` and `weeks_since_holiday` (0-8).
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from borderless.errors import InvalidInput
from borderless.optional import require

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FEATURES", "holiday_features", "known_market", "market_of"]

FEATURES = {
    "daily": ("holiday", "days_to_holiday", "days_since_holiday"),
    "weekly": ("holidays_in_week", "weeks_to_holiday", "weeks_since_holiday"),
}
_CAP = {"daily": 14, "weekly": 8}
_CODE = re.compile(r"^[A-Z]{2}$")
_MARKET = re.compile(r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")


def market_of(unique_id: str, default: str | None) -> str | None:
    """The market whose calendar a series follows: `SKU@CC` or `CC`, else `default`."""
    tail = unique_id.rsplit("@", 1)[-1].upper()
    return tail if _CODE.match(tail) else (default.upper() if default else None)


@lru_cache(maxsize=256)
def _days(market: str, first_year: int, last_year: int) -> tuple[date, ...]:
    lib = require("holidays", "forecast", feature="holiday features")
    country, _, subdiv = market.partition("-")
    try:
        calendar = lib.country_holidays(
            country, subdiv=subdiv or None, years=range(first_year, last_year + 1)
        )
    except NotImplementedError:
        return ()
    return tuple(sorted(calendar))


def known_market(market: str) -> bool:
    """Whether `market` ("GB", or with a subdivision, "GB-ENG") has a calendar."""
    if not _MARKET.match(market):
        return False
    country, _, subdiv = market.partition("-")
    lib = require("holidays", "forecast", feature="holiday features")
    subdivisions = lib.list_supported_countries().get(country)
    return subdivisions is not None and (not subdiv or subdiv in subdivisions)


def checked_holidays(holidays: str | None) -> str | None:
    """The holiday setting of a forecast: None, "auto", or a market with a calendar (upper
    case); InvalidInput for any other, before any model work starts (a bad code was refused
    only after the forecast's model had loaded: an attack)."""
    if holidays is None or holidays == "auto":
        return holidays
    market = holidays.strip().upper()
    if not known_market(market):
        raise InvalidInput(
            f"no holiday calendar for market {market!r}: use an ISO 3166 code "
            "such as GB or US (GB-ENG with a subdivision), 'auto', or none",
            field="holidays",
        )
    return market


def holiday_features(frame: pd.DataFrame, freq_name: str, default: str | None) -> pd.DataFrame:
    """`frame` (`unique_id`, `ds`, ...) with the holiday columns of `freq_name` added."""
    np = require("numpy", "forecast", feature="holiday features")
    pd = require("pandas", "forecast", feature="holiday features")
    names = FEATURES[freq_name]
    cap = _CAP[freq_name]
    out = frame.copy()
    for name in names:
        out[name] = 0.0
    if out.empty:
        return out
    first, last = out["ds"].min(), out["ds"].max()
    markets = out["unique_id"].map(
        {u: market_of(str(u), default) for u in out["unique_id"].unique()}
    )
    for market, rows in out.groupby(markets, sort=False).groups.items():
        days = _days(str(market), first.year - 1, last.year + 1)
        if not days:
            continue
        stamps = pd.DatetimeIndex(pd.to_datetime(list(days))).values.astype("datetime64[D]")
        ds = out.loc[rows, "ds"].values.astype("datetime64[D]")
        after = np.searchsorted(stamps, ds, side="left")  # first holiday on or after ds
        nxt = stamps[np.minimum(after, len(stamps) - 1)]
        to_next = np.where(after < len(stamps), (nxt - ds).astype(int), 10_000)
        before = np.searchsorted(stamps, ds, side="right") - 1  # last holiday on or before ds
        prev = stamps[np.maximum(before, 0)]
        since = np.where(before >= 0, (ds - prev).astype(int), 10_000)
        if freq_name == "daily":
            out.loc[rows, "holiday"] = (to_next == 0).astype(float)
            out.loc[rows, "days_to_holiday"] = np.minimum(to_next, cap).astype(float)
            out.loc[rows, "days_since_holiday"] = np.minimum(since, cap).astype(float)
        else:
            week_start = ds - np.timedelta64(6, "D")
            count = np.searchsorted(stamps, ds, side="right") - np.searchsorted(
                stamps, week_start, side="left"
            )
            out.loc[rows, "holidays_in_week"] = count.astype(float)
            out.loc[rows, "weeks_to_holiday"] = np.minimum(np.ceil(to_next / 7), cap)
            out.loc[rows, "weeks_since_holiday"] = np.minimum(np.floor(since / 7), cap)
    return out
