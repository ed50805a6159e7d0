"""Demand forecasts and the inventory policy on real sales, peers in the same run.

    python benchmarks/bench_forecast.py [--db sqlite:///shop.db] [--out benchmarks/RESULTS.md]

Every table: our forecaster's settings (per-kind or per-series choice, 1/2/4 backtest windows)
are chosen on a validation window (the `h` points just before the held-out ones), then
the chosen setting is refitted on everything before the held-out points and scored there once.

1. Online Retail, weekly units of the top-50 SKUs (sales only, weeks to Sunday, last partial
   week dropped: the peer figures naive 67.6% / mean-of-last-4 54.8% come out exactly), last 4
   weeks held out; peers naive, mean of last 4, StatsForecast AutoETS.
   Every table also chooses on validation whether LightGBM gets public-holiday features (England's
   calendar for the UK seller's SKUs, each country's own for the per-country series, the US one for
   Walmart) and, when it does, shows the same setting without them for comparison.
2. Online Retail, daily units per country (the demo shop's sales through the import rules,
   zero-filled, last partial day dropped), last 14 days held out; seasonal naive (7), AutoETS.
3. Walmart weekly store sales, 45 stores, last 8 weeks; seasonal naive (52), naive, AutoETS(52).
4. Time to forecast every SKU x market weekly series of the demo shop 8 weeks ahead: our
   default pipeline (backtest choice + forecast) against AutoETS alone on the same frame.
5. Inventory replay of the last 13 weeks on the demo shop's top-50 SKU x market series: each
   week the policy forecasts from the history so far and orders up to its level (95% service,
   2-week lead time, weekly review); the peer rule orders up to 4 weeks of average weekly demand.
   Lost sales; both start from 4 weeks of average demand on hand. Fill rate = units served /
   units demanded; average stock = mean units on hand at week end.
"""

# ruff: noqa: E501  (Markdown table rows)
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

import pandas as pd
from report import emit

from borderless.capabilities.forecast import Forecaster, backtest, demand_series, split_last
from borderless.capabilities.forecast.metrics import wape
from borderless.capabilities.forecast.series import Frequency
from borderless.capabilities.inventory import StockPoint, replenish

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("BORDERLESS_SHARED_DATA_DIR", ROOT.parent / "shared" / "data"))
RETAIL = DATA / "uci_online_retail" / "online_retail.csv.gz"
WALMART = DATA / "walmart_weekly_store_sales" / "Walmart.csv"
GRID = [{"selection": s, "n_windows": w} for s in ("per_kind", "per_series") for w in (1, 2, 4)]

warnings.simplefilter("ignore")  # numerical warnings from AutoETS fits on flat series


def top50_weekly() -> pd.DataFrame:
    df = pd.read_csv(RETAIL, encoding="latin-1", dtype={"InvoiceNo": str, "StockCode": str})
    df["InvoiceDate"] = pd.to_datetime(df["InvoiceDate"])
    sales = df[~df["InvoiceNo"].str.startswith(("C", "A")) & (df["Quantity"] > 0)]
    top = sales.groupby("StockCode")["Quantity"].sum().nlargest(50).index
    weekly = (
        sales[sales["StockCode"].isin(top)]
        .set_index("InvoiceDate")
        .groupby("StockCode")["Quantity"]
        .resample("W-SUN")
        .sum()
        .unstack(0)
        .fillna(0)
        .iloc[:-1]  # the week of 9 Dec 2011 ends after the data does
    )
    long = weekly.stack().rename("y").reset_index()
    long.columns = ["ds", "unique_id", "y"]
    return long[["unique_id", "ds", "y"]].astype({"y": float, "unique_id": str})


def walmart() -> pd.DataFrame:
    df = pd.read_csv(WALMART)
    return pd.DataFrame({"unique_id": df["Store"].astype(str),
                         "ds": pd.to_datetime(df["Date"], format="%d/%m/%y"),
                         "y": df["Weekly_Sales"].astype(float)})  # fmt: skip


def shop_db(url: str | None) -> Any:
    from borderless.capabilities.catalog.retail import parse_retail
    from borderless.config import load_settings
    from borderless.storage import open_database
    from borderless.storage.imports import save_retail

    folder = Path(tempfile.mkdtemp(prefix="bench-forecast-"))
    settings = load_settings(database_url=url or f"sqlite:///{folder / 'shop.db'}",
                             data_dir=folder)  # fmt: skip
    db = open_database(settings)
    if url is None:
        started = time.perf_counter()
        save_retail(db, parse_retail(RETAIL))
        print(f"imported the demo shop in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return db


def statsforecast_peer(train: pd.DataFrame, freq: Frequency, h: int, season: int) -> tuple[pd.DataFrame, float]:  # fmt: skip
    from statsforecast import StatsForecast
    from statsforecast.models import AutoETS, Naive

    started = time.perf_counter()
    sf = StatsForecast(models=[AutoETS(season_length=season)], freq=freq.alias,
                       fallback_model=Naive())  # fmt: skip
    out = sf.forecast(df=train, h=h)
    return out.rename(columns={"AutoETS": "f"}), time.perf_counter() - started


def choose(df: pd.DataFrame, freq: Frequency, h: int, grid: list[dict[str, Any]]) -> tuple[dict[str, Any], list[str]]:  # fmt: skip
    """The setting with the lowest WAPE on the validation window (the h points before test)."""
    before_test, _ = split_last(df, h)
    scores = []
    for params in grid:
        result = backtest(before_test, freq, h, **params)
        scores.append((result["wape"], params))
        print(f"  validation {params}: {result['wape']:.2f}%", file=sys.stderr)
    best = min(scores, key=lambda s: s[0])[1]
    return best, [f"{p['selection']}/{p['n_windows']}w{_hol(p)} {w:.1f}%" for w, p in scores]


def _hol(params: dict[str, Any]) -> str:
    return f"/holidays {params['holidays']}" if params.get("holidays") else "/no holidays"


def with_holidays(grid: list[dict[str, Any]], market: str) -> list[dict[str, Any]]:
    """Each setting with and without the public-holiday features (chosen on validation too)."""
    return [g | {"holidays": h} for g in grid for h in (market, None)]


def score_table(name: str, df: pd.DataFrame, freq: Frequency, h: int, season: int,
                grid: list[dict[str, Any]], extra: dict[str, pd.Series] | None = None) -> list[str]:  # fmt: skip
    best, tried = choose(df, freq, h, grid)
    train, test = split_last(df, h)
    result = backtest(df, freq, h, **best)
    ablation = (
        backtest(df, freq, h, **(best | {"holidays": None})) if best.get("holidays") else None
    )
    ets, ets_seconds = statsforecast_peer(train, freq, h, season if len(train) // train["unique_id"].nunique() >= 2 * season else 1)  # fmt: skip
    merged = test.merge(ets, on=["unique_id", "ds"])
    rows = [
        f"| naive | {result['baselines']['naive']['wape']:.2f} | {result['baselines']['naive']['mase']:.3f} | - |",
        f"| seasonal naive ({season}) | {result['baselines']['seasonal_naive']['wape']:.2f} | {result['baselines']['seasonal_naive']['mase']:.3f} | - |",
    ]  # fmt: skip
    for label, forecast in (extra or {}).items():
        rows.append(f"| {label} | {wape(test['y'], forecast):.2f} | - | - |")
    rows += [
        f"| StatsForecast AutoETS | {wape(merged['y'], merged['f']):.2f} | - | {ets_seconds:.1f} |",
        f"| **Borderless** ({best['selection']}, {best['n_windows']} windows{_hol(best).replace('/', ', ')}; chose {result['chosen']}) | **{result['wape']:.2f}** | {result['mase']:.3f} | {result['seconds']:.1f} |",
    ]  # fmt: skip
    if ablation:
        rows.append(f"| (the same setting with the holiday features off, for comparison; chose {ablation['chosen']}) | {ablation['wape']:.2f} | {ablation['mase']:.3f} | {ablation['seconds']:.1f} |")  # fmt: skip
    print(f"{name}: validation {'; '.join(tried)}", file=sys.stderr)
    rows.append(f"| (validation WAPE per setting: {'; '.join(tried)}) | | | |")
    return rows


def mean_last(train: pd.DataFrame, test: pd.DataFrame, k: int) -> pd.Series:
    means = train.groupby("unique_id")["y"].apply(lambda y: y.iloc[-k:].mean())
    return test["unique_id"].map(means)


def replay(frame: pd.DataFrame, weeks: int = 13, lead_weeks: int = 2) -> list[str]:
    """Simulated weekly stock over the last `weeks` weeks: our policy (at three service levels)
    vs 4 weeks of average demand."""
    freq = Frequency("weekly", "W-SUN", 52)
    ids = sorted(frame["unique_id"].unique())
    dates = sorted(frame["ds"].unique())[-weeks:]
    actual = frame.pivot(index="ds", columns="unique_id", values="y").fillna(0.0)
    results = {}
    for rule in ("four_weeks", 0.8, 0.9, 0.95):
        started = time.perf_counter()
        history0 = actual[actual.index < dates[0]]
        on_hand = {u: 4 * history0[u].tail(12).mean() for u in ids}
        pipeline: list[dict[str, float]] = []
        served = demanded = stock_sum = 0.0
        for week in dates:
            arriving = pipeline.pop(0) if len(pipeline) >= lead_weeks else {}
            for u, q in arriving.items():
                on_hand[u] += q
            on_order = {u: sum(p.get(u, 0.0) for p in pipeline) for u in ids}
            history = frame[frame["ds"] < week]
            if rule != "four_weeks":
                fc = Forecaster(selection="per_kind", n_windows=2, lightgbm=False)
                fc.fit(history, freq, 4)
                predicted = fc.predict(4)
                orders = {}
                for u in ids:
                    values = predicted[predicted["unique_id"] == u]["yhat"].tolist()
                    point = StockPoint(u, "", int(on_hand[u]), int(on_order[u]),
                                       lead_weeks * 7, float(rule), 7, values, fc.sigma_[u], 7)  # fmt: skip
                    line = replenish(point)
                    orders[u] = float(line.order_quantity)
            else:
                avg = history.groupby("unique_id")["y"].apply(lambda y: y.tail(12).mean())
                orders = {u: max(0.0, 4 * float(avg[u]) - on_hand[u] - on_order[u]) for u in ids}
            pipeline.append(orders)
            for u in ids:
                want = float(actual.loc[week, u])
                got = min(want, on_hand[u])
                on_hand[u] -= got
                served += got
                demanded += want
                stock_sum += on_hand[u]
        fill = served / demanded * 100
        results[rule] = (fill, stock_sum / (len(dates) * len(ids)), time.perf_counter() - started)
    rows = []
    for rule, (fill, stock, seconds) in results.items():
        name = ("order up to 4 weeks of average demand (last 12 weeks)" if rule == "four_weeks"
                else f"**Borderless policy** at {float(rule):.0%} service")  # fmt: skip
        rows.append(f"| {name} | {fill:.1f} | {stock:.1f} | {seconds:.1f} |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="A database with the demo shop imported (default: import)")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--skip-walmart", action="store_true")
    args = parser.parse_args()
    command = "python benchmarks/bench_forecast.py" + (
        " --out benchmarks/RESULTS.md" if args.out else ""
    )
    weekly = Frequency("weekly", "W-SUN", 52)
    header = ["model", "WAPE %", "MASE", "fit + forecast s"]

    # 1. top-50 SKUs
    top = top50_weekly()
    train, test = split_last(top, 4)
    rows = score_table("top50", top, weekly, 4, 52, with_holidays(GRID, "GB-ENG"),
                       {"mean of last 4": mean_last(train, test, 4)})  # fmt: skip
    sections = [
        ("Online Retail: weekly demand of the top-50 SKUs, last 4 weeks held out", rows, header)
    ]

    # 2. daily per country, from the demo shop
    from borderless.storage.supply import last_sale_at, sale_lines

    db = shop_db(args.db)
    lines = sale_lines(db)
    daily, daily_freq = demand_series(lines, level="market", frequency="daily")
    daily = daily[daily["ds"] < daily["ds"].max()]  # 9 Dec 2011 ends at 12:50
    sizes = daily.groupby("unique_id").size()
    daily = daily[daily["unique_id"].isin(sizes[sizes > 2 * 14 + 3].index)]
    rows = score_table("daily", daily, daily_freq, 14, 7,
                       with_holidays([g for g in GRID if g["n_windows"] != 4], "auto"))  # fmt: skip
    sections.append(
        (
            f"Online Retail: daily units per country ({daily['unique_id'].nunique()} countries with over 31 days of history), last 14 days held out",
            rows,
            header,
        )
    )

    # 3. Walmart
    if not args.skip_walmart:
        wm = walmart()
        friday = Frequency("weekly", "W-FRI", 52)
        grid = with_holidays(
            [{"selection": s, "n_windows": 2} for s in ("per_kind", "per_series")], "US"
        )
        rows = score_table("walmart", wm, friday, 8, 52, grid)
        sections.append(
            ("Walmart weekly store sales (45 stores), last 8 weeks held out", rows, header)
        )

    # 4. time over every SKU x market series
    frame, _ = demand_series(lines, level="sku_market", frequency="weekly", end=last_sale_at(db))
    sizes = frame.groupby("unique_id").size()
    frame = frame[frame["unique_id"].isin(sizes[sizes >= 2].index)]
    n = frame["unique_id"].nunique()
    started = time.perf_counter()
    ours = Forecaster(selection="per_kind", n_windows=2).fit(frame, weekly, 8)
    ours.predict(8)
    ours_s = time.perf_counter() - started
    _, ets_s = statsforecast_peer(frame, weekly, 8, 1)
    timing = [
        f"| StatsForecast AutoETS alone | {n:,} | {ets_s:.0f} |",
        f"| **Borderless** default (per kind: candidates incl. LightGBM backtested on the 500 biggest series of each kind over 2 windows, the rest with the winner only; then the winner forecasts) | {n:,} | **{ours_s:.0f}** |",
    ]  # fmt: skip
    sections.append(("Time to forecast every SKU x market weekly series of the demo shop, 8 weeks ahead",
                     timing, ["model", "series", "seconds"]))  # fmt: skip

    # 5. inventory replay
    volume = frame.groupby("unique_id")["y"].sum().nlargest(50).index
    rows = replay(frame[frame["unique_id"].isin(volume)])
    sections.append(("Inventory replay: last 13 weeks of the demo shop's top-50 SKU x market series",
                     rows, ["rule", "fill rate %", "average units on hand", "seconds"]))  # fmt: skip

    for title, rows, head in sections:
        emit(
            title,
            f"`{command}` (see the module docstring for how series are built).",
            head,
            rows,
            args.out,
        )


if __name__ == "__main__":
    main()
