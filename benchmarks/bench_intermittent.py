"""Intermittent demand without "last period again": an inventory replay on the demo shop.

    python benchmarks/bench_intermittent.py [--out benchmarks/RESULTS.md]

1. Forecast every weekly SKU x market series of the demo shop as `forecast_shop` does (sorted
   ids in batches of 2,000, each batch choosing its models) with the old intermittent
   candidates, which included naive (last period again), and keep the intermittent series
   whose batch chose naive.
2. Of those with 40 weeks or more, the 120 that sell most, split into two halves (alternate
   ids): replay the last 13 weeks of stock (bench_forecast.replay: 2-week lead time, weekly
   review, our policy at 80/90/95% service) with the intermittent candidates as shipped (no
   naive) and as before (naive among them).
Fill rate against average stock on hand is the trade-off; compare the frontiers, not one row.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pandas as pd
from bench_forecast import replay, shop_db
from report import emit

from borderless.capabilities.forecast import candidates, selection
from borderless.capabilities.forecast.selection import Forecaster, classify
from borderless.capabilities.forecast.series import Frequency, demand_series

SHIPPED = candidates.stat_models


def with_naive(kind: str, season_length: int, *, arima: bool = False) -> dict[str, Any]:
    """The candidates as they were: naive for intermittent series too."""
    models = SHIPPED(kind, season_length, arima=arima)
    if "naive" not in models:
        naive = candidates._statsforecast().Naive()
        naive.alias = "naive"
        models = {"naive": naive, **models}
    return models


def naive_chosen(frame: pd.DataFrame) -> set[str]:
    sizes = frame.groupby("unique_id").size()
    ids = sorted(str(u) for u in sizes[sizes >= 2].index)
    chosen: set[str] = set()
    selection.stat_models = with_naive
    try:
        for start in range(0, len(ids), 2000):
            batch = frame[frame["unique_id"].isin(ids[start : start + 2000])]
            fc = Forecaster(selection="per_kind", n_windows=2).fit(
                batch, Frequency("weekly", "W-SUN", 52), 8
            )
            chosen |= {u for u, m in fc.choice_.items()
                       if m == "naive" and fc.kinds_[u] == "intermittent"}  # fmt: skip
    finally:
        selection.stat_models = SHIPPED
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    from borderless.storage.supply import last_sale_at, sale_lines

    db = shop_db(None)
    frame, _ = demand_series(sale_lines(db), level="sku_market", frequency="weekly",
                             end=last_sale_at(db))  # fmt: skip
    found = naive_chosen(frame)
    sizes = frame.groupby("unique_id").size()
    kinds = classify(frame[frame["unique_id"].isin(sizes[sizes >= 40].index)])
    pool = [u for u, k in kinds.items() if k == "intermittent" and u in found]
    top = sorted(frame[frame["unique_id"].isin(pool)].groupby("unique_id")["y"].sum()
                 .nlargest(120).index)  # fmt: skip
    rows = []
    for half in (0, 1):
        part = frame[frame["unique_id"].isin(top[half::2])]
        for name, models in (("shipped: no naive for intermittent", SHIPPED),
                             ("before: naive among the candidates", with_naive)):  # fmt: skip
            selection.stat_models = models
            try:
                for line in replay(part):
                    cells = [c.strip() for c in line.strip("|").split("|")]
                    if cells[0].startswith("order up to") and name.startswith("before"):
                        continue  # the same rule both times
                    rule = (
                        cells[0]
                        if cells[0].startswith("order up to")
                        else (f"{cells[0].replace('**Borderless policy** at ', '')}, {name}")
                    )
                    rows.append(f"| {half + 1} | {rule} | {cells[1]} | {cells[2]} |")
            finally:
                selection.stat_models = SHIPPED
    intro = (
        "`python benchmarks/bench_intermittent.py --out benchmarks/RESULTS.md`. Demo shop, "
        f"weekly SKU x market series. {len(found):,} intermittent series had last period again "
        "(naive) chosen by their batch of 2,000 under the old candidates; of those with 40 "
        "weeks or more, the 120 that sell most, in two halves of 60 (alternate ids). Replay of "
        "the last 13 weeks (2-week lead time, weekly review). Fill rate against average units "
        "on hand: compare the frontiers. Reading (2026-12-06): at the same service level, "
        "without naive the fill rate is 0.9-1.9 points lower on 24-32% less stock; 95% "
        "without it serves more than 90% with it, on less stock, in both halves (75.0% on "
        "164.5 units against 73.8% on 191.1; 29.6% on 86.8 against 29.1% on 106.1)."
    )
    emit("Intermittent demand without last period again: inventory replay", intro,
         ("half", "rule", "fill rate %", "average units on hand"), rows, args.out)  # fmt: skip


if __name__ == "__main__":
    main()
