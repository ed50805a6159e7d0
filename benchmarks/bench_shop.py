"""Demo-shop import and catalog queries, Borderless beside plain peers, in one run.

    python benchmarks/bench_shop.py [--postgres] [--out benchmarks/RESULTS.md]

Import: Borderless (parse, clean, idempotent write in one transaction) vs pandas read_csv +
DataFrame.to_sql of the raw rows (no cleaning, no keys): the price of doing it right.
Queries: Borderless's product search and page vs the same LIKE query on bare sqlite3.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from report import emit

from borderless.capabilities.catalog.retail import parse_retail
from borderless.config import load_settings
from borderless.storage import open_database
from borderless.storage.catalog import ProductFilter, list_products
from borderless.storage.imports import save_retail

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("BORDERLESS_SHARED_DATA_DIR", ROOT.parent / "shared" / "data"))
RETAIL = DATA / "uci_online_retail" / "online_retail.csv.gz"
QUERIES = ["heart", "metal lantern", "red retrospot", "christmas", "cake stand", "bag", "zzz"]


def _timed(fn):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[int(0.95 * (len(ordered) - 1))] * 1000


def bench_import(url: str | None, folder: Path) -> list[str]:
    settings = load_settings(data_dir=folder, database_url=url)
    db = open_database(settings)
    data, parse_s = _timed(lambda: parse_retail(RETAIL))
    _, write_s = _timed(lambda: save_retail(db, data))
    again, reimport_s = _timed(lambda: save_retail(db, parse_retail(RETAIL)))
    total = parse_s + write_s
    rows = [
        f"| Borderless import ({db.dialect}) | {total:.1f} s | {data.lines_read / total:,.0f} | "
        f"parse {parse_s:.1f} s + write {write_s:.1f} s; "
        f"re-import {reimport_s:.1f} s, {again.changed} rows changed |"
    ]
    if db.dialect == "sqlite":
        import pandas as pd

        raw_db = folder / "pandas.db"

        def pandas_load() -> int:
            frame = pd.read_csv(RETAIL, dtype={"CustomerID": "string", "InvoiceNo": "string"})
            with sqlite3.connect(raw_db) as conn:
                frame.to_sql("raw", conn, if_exists="replace", index=False, chunksize=50_000)
            return len(frame)

        count, pandas_s = _timed(pandas_load)
        rows.append(
            f"| peer: pandas read_csv + to_sql (sqlite, raw rows) | {pandas_s:.1f} s | "
            f"{count / pandas_s:,.0f} | no cleaning, no keys, not idempotent |"
        )
        rows.extend(bench_queries(db, settings.resolved_database_url.removeprefix("sqlite:///")))
    db.dispose()
    return rows


def bench_queries(db, sqlite_path: str) -> list[str]:  # type: ignore[no-untyped-def]
    ours, bare = [], []
    conn = sqlite3.connect(sqlite_path)
    for _ in range(20):
        for q in QUERIES:
            _, s = _timed(lambda q=q: list_products(db, ProductFilter(q=q), limit=25))
            ours.append(s)
            terms = q.split()
            where = " AND ".join(
                "(lower(title) LIKE ? OR lower(sku) LIKE ? OR lower(description) LIKE ?)"
                for _ in terms
            )
            params = [p for t in terms for p in (f"%{t}%",) * 3]
            sql = (
                f"SELECT * FROM products WHERE kind='merchandise' AND {where} ORDER BY sku LIMIT 25"
            )
            count_sql = f"SELECT count(*) FROM products WHERE kind='merchandise' AND {where}"

            def run_bare(
                sql: str = sql, count_sql: str = count_sql, params: list[str] = params
            ) -> None:
                conn.execute(count_sql, params).fetchone()
                conn.execute(sql, params).fetchall()

            _, s = _timed(run_bare)
            bare.append(s)
    conn.close()
    (o50, o95), (b50, b95) = _percentiles(ours), _percentiles(bare)
    return [
        f"| Borderless product search, page of 25 (sqlite, 3,827 products) | p50 {o50:.2f} ms | "
        f"p95 {o95:.2f} ms | {len(ours)} queries, {o50 / b50:.1f}x the bare query |",
        f"| peer: the same LIKE query on bare sqlite3 | p50 {b50:.2f} ms | p95 {b95:.2f} ms | |",
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--postgres", action="store_true", help="also import into pgserver's PostgreSQL"
    )
    parser.add_argument(
        "--out", type=Path, default=None, help="append the table to this Markdown file"
    )
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        rows += bench_import(None, Path(tmp) / "sqlite")
        if args.postgres:
            import pgserver

            server = pgserver.get_server(Path(tmp) / "pg", cleanup_mode="stop")
            try:
                url = server.get_uri().replace("postgresql://", "postgresql+psycopg://")
                rows += bench_import(url, Path(tmp) / "pgdata")
            finally:
                server.cleanup()
    command = "python benchmarks/bench_shop.py" + (" --postgres" if args.postgres else "")
    emit(
        "Demo shop import and catalog queries",
        f"Command: `{command}`. File: {RETAIL.name}, 541,909 lines.",
        ["what", "time", "lines/s or p95", "notes"],
        rows,
        args.out,
    )


if __name__ == "__main__":
    sys.exit(main())
