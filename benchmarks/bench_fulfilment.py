"""Fulfilment plan cost against the naive choice on the demo shop's orders, peers in the same run.

    python benchmarks/bench_fulfilment.py [--db sqlite:///shop.db] [--out benchmarks/RESULTS.md]

ASSUMED, not measured: the demo data (UCI Online Retail) has no weights, warehouses or carriers.
The carrier table below is an example written for this benchmark (rates in the range of 2024
UK/EU parcel price lists, not quotes), every unit weighs an assumed 0.1 kg (small giftware),
and the promises are GB 2 days, EU 4 days, elsewhere 7 days. What the run shows is how the
choice works on real order volumes, countries and sizes, not what any seller would pay.

Each of the last 13 weeks of orders is planned on its own (capacity = orders per day x 7):
- ours: cheapest lane per order that meets the promise, HiGHS when capacity binds;
- greedy: cheapest lane per order, first come first served, next cheapest when full;
- naive: one lane per market (cheapest at the market's average order weight), spill when full.
"""

# ruff: noqa: E501  (Markdown table rows)
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from report import emit

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
RETAIL = DATA / "uci_online_retail" / "online_retail.csv.gz"
EU = {"AT", "BE", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "IE", "IT", "LT", "LV",
      "LU", "MT", "NL", "PL", "PT", "ES", "SE"}  # fmt: skip
KG_PER_UNIT = 0.1


def example_lanes(markets: Sequence[str]) -> list[Any]:
    """The example carrier table (see the module docstring: written, not measured)."""
    from borderless.capabilities.fulfilment import Lane

    lanes = []
    for m in markets:
        if m == "GB":
            lanes += [Lane("Leeds", "Royal Mail", m, 2.90, 0.70, 2, 30),
                      Lane("Leeds", "DPD", m, 4.60, 0.15, 1, None),
                      Lane("Leeds", "Evri", m, 2.40, 0.95, 3, 10)]  # fmt: skip
        elif m in EU:
            lanes += [Lane("Leeds", "DHL Express", m, 11.50, 0.90, 2, None),
                      Lane("Leeds", "Royal Mail", m, 7.80, 2.10, 5, 30),
                      Lane("Venlo", "DHL Parcel", m, 4.80, 0.60, 3, 8),
                      Lane("Venlo", "PostNL", m, 3.90, 1.10, 4, 6)]  # fmt: skip
        else:
            lanes += [Lane("Leeds", "DHL Express", m, 19.00, 2.40, 4, None),
                      Lane("Leeds", "Royal Mail", m, 9.50, 4.20, 7, 30)]  # fmt: skip
    return lanes


def promises(markets: Sequence[str]) -> dict[str, int]:
    return {m: 2 if m == "GB" else 4 if m in EU else 7 for m in markets}


def greedy_cost(
    orders: Sequence[Any], lanes: Sequence[Any], promise: dict[str, int], days: int
) -> float:
    left = {lane.name_key: lane.capacity * days for lane in lanes if lane.capacity is not None}
    by_market: dict[str, list[Any]] = defaultdict(list)
    for lane in lanes:
        if lane.lead_time_days <= promise[lane.country]:
            by_market[lane.country].append(lane)
    total = 0.0
    for o in sorted(orders, key=lambda o: (o.placed_at, o.order_id)):
        for lane in sorted(by_market[o.country], key=lambda x: x.cost(o.weight_kg)):
            if left.get(lane.name_key, 1) > 0:
                if lane.name_key in left:
                    left[lane.name_key] -= 1
                total += lane.cost(o.weight_kg)
                break
        else:
            raise SystemExit(f"greedy: no lane left for {o.order_id} to {o.country}")
    return total


def shop_db(url: str | None) -> Any:
    from borderless.capabilities.catalog.retail import parse_retail
    from borderless.config import load_settings
    from borderless.storage import open_database
    from borderless.storage.imports import save_retail

    folder = Path(tempfile.mkdtemp(prefix="bench-fulfilment-"))
    settings = load_settings(database_url=url or f"sqlite:///{folder / 'shop.db'}", data_dir=folder)
    db = open_database(settings)
    if url is None:
        started = time.perf_counter()
        save_retail(db, parse_retail(RETAIL))
        print(f"imported the demo shop in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return db


def main() -> None:
    from borderless.capabilities.fulfilment import plan_fulfilment
    from borderless.storage.fulfilment import orders_to_ship
    from borderless.storage.supply import last_sale_at

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="A database with the demo shop imported (default: import)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    db = shop_db(args.db)
    newest = last_sale_at(db)
    assert newest is not None
    end = newest.replace(hour=0, minute=0, second=0) + timedelta(days=1)
    totals = {"ours": 0.0, "greedy": 0.0, "naive": 0.0}
    seconds = 0.0
    n_orders, solved, late_markets = 0, 0, set()
    for week in range(13, 0, -1):
        since = end - timedelta(days=7 * week)
        orders, _ = orders_to_ship(db, since, since + timedelta(days=7), KG_PER_UNIT)
        markets = sorted({o.country for o in orders})
        lanes, promise = example_lanes(markets), promises(markets)
        started = time.perf_counter()
        plan = plan_fulfilment(orders, lanes, promise, days=7)
        seconds += time.perf_counter() - started
        solved += plan.method.startswith("HiGHS")
        late_markets |= {m.country for m in plan.markets if not m.meets_promise}
        totals["ours"] += plan.cost
        totals["naive"] += plan.naive_cost
        totals["greedy"] += greedy_cost(orders, lanes, promise, 7)
        n_orders += len(orders)
    naive = totals["naive"]
    rows = [
        f"| ours: cheapest lane per order meeting the promise, HiGHS when capacity binds | {totals['ours']:,.2f} | {100 * (totals['ours'] / naive - 1):+.1f}% | {seconds:.1f} s for 13 plans ({solved} solved with HiGHS) |",
        f"| greedy: cheapest per order, first come first served | {totals['greedy']:,.2f} | {100 * (totals['greedy'] / naive - 1):+.1f}% | |",
        f"| naive: one lane per market, spill when full | {naive:,.2f} | 0.0% | |",
    ]
    intro = (
        f"The demo shop's last 13 weeks of sale orders ({n_orders:,} orders), each week planned on its own; "
        "`"
        + "python benchmarks/bench_fulfilment.py"
        + (" --out benchmarks/RESULTS.md" if args.out else "")
        + "`. "
        "**Assumed, not measured:** the data has no weights, warehouses or carriers, so the carrier table is an "
        "example written for this benchmark (Leeds: Royal Mail, DPD, Evri, DHL Express; Venlo: DHL Parcel, PostNL; "
        f"rates in the range of public price lists, capacities per day), every unit weighs {KG_PER_UNIT} kg, and the "
        "promises are GB 2 days, EU 4, elsewhere 7. "
        + (
            f"No lane meets the promise for {', '.join(sorted(late_markets))}: fastest lanes used there. "
            if late_markets
            else ""
        )
        + "Costs in the table's currency units over all 13 weeks."
    )
    emit(
        "Fulfilment plan cost vs the naive choice",
        intro,
        ["method", "cost", "vs naive", "time"],
        rows,
        args.out,
    )


if __name__ == "__main__":
    main()
