"""Faults an operator meets, measured: PostgreSQL restarting under load, a model server that is
down or hangs, and an import killed with -9 mid-write.

    python benchmarks/bench_faults.py [--out benchmarks/RESULTS.md]

1. PostgreSQL (pgserver, on a Unix socket) is stopped and started again while 4 clients read the
   product list as fast as they can, from our service and, side by side in the same run, from a
   bare FastAPI app with a default SQLAlchemy engine on the same server (the peer). We count the
   answers by status during the outage and after it, and the time from the restart to the first
   200 of each.
2. The translation route with a remote model server that is down (a closed port), and one that
   accepts and never answers (timeout 3 s in the backend URL): the time to the 503, and the
   slowest /health answer while the model request waits.
3. `borderless import retail` on the full Online Retail file, killed with SIGKILL once its write
   has begun (the SQLite WAL past 8 MB): orders left in the shop, the integrity check, and a
   second import of the same file afterwards.
Everything runs on loopback; fake embedders and generator stand in where a model is not the point.
"""

# ruff: noqa: E501  (Markdown table rows)
from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
from report import emit

from borderless.service.loopback import serving, silent_server

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("BORDERLESS_SHARED_DATA_DIR", ROOT.parent / "shared" / "data"))
RETAIL = DATA / "uci_online_retail" / "online_retail.csv.gz"
FAKE = {
    "embeddings": "fake", "search_embeddings": "fake", "generator": "fake",
    "intent_embeddings": "fake", "sentiment_embeddings": "fake", "translator": "fake", "api_key": "bench",
}  # fmt: skip


def bare_app(url: str) -> Any:
    from fastapi import FastAPI
    from sqlalchemy import create_engine, text

    engine = create_engine(url)  # SQLAlchemy's defaults, as a plain app would have them
    app = FastAPI()

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/v1/products")
    def products() -> dict[str, Any]:
        with engine.connect() as conn:
            rows = conn.execute(text("select sku, title from products order by sku limit 50"))
            return {"data": [dict(r._mapping) for r in rows]}

    return app


def readers(
    base: str, marks: list[tuple[float, int]], stop: threading.Event
) -> list[threading.Thread]:
    def read() -> None:
        with httpx.Client(base_url=base, timeout=30) as http:
            while not stop.is_set():
                try:
                    code = http.get("/v1/products").status_code
                except httpx.HTTPError:
                    code = 0
                marks.append((time.monotonic(), code))
                time.sleep(0.01)

    threads = [threading.Thread(target=read) for _ in range(4)]
    for t in threads:
        t.start()
    return threads


def postgres_restart() -> list[str]:
    import pgserver

    from borderless.config import load_settings
    from borderless.service import create_app
    from borderless.storage import open_database

    folder = Path(tempfile.mkdtemp(prefix="bench-pg-"))
    folder.chmod(0o755)
    data = Path(tempfile.mkdtemp(prefix="bench-faults-"))
    server = pgserver.get_server(str(folder), cleanup_mode="stop")
    url = server.get_uri().replace("postgresql://", "postgresql+psycopg://", 1)
    settings = load_settings(data_dir=data, database_url=url, shared_data_dir=DATA, **FAKE)
    db = open_database(settings)
    from decimal import Decimal

    from borderless.capabilities.catalog.records import Product
    from borderless.storage.catalog import create_product

    for n in range(50):  # a few products to read
        create_product(db, Product(f"SKU-{n:03d}", f"Product {n}", price=Decimal("1.50"), stock=3))
    ours_marks: list[tuple[float, int]] = []
    peer_marks: list[tuple[float, int]] = []
    stop = threading.Event()
    with serving(create_app(settings, db)) as ours, serving(bare_app(url)) as peer:
        threads = readers(ours, ours_marks, stop) + readers(peer, peer_marks, stop)
        time.sleep(2)
        down = time.monotonic()
        server.cleanup()
        time.sleep(3)
        server = pgserver.get_server(str(folder), cleanup_mode="stop")
        up = time.monotonic()
        time.sleep(5)
        stop.set()
        for t in threads:
            t.join(timeout=30)
    server.cleanup()
    db.dispose()
    shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(data, ignore_errors=True)

    def row(name: str, marks: list[tuple[float, int]]) -> str:
        before = Counter(c for t, c in marks if t < down)
        outage = Counter(c for t, c in marks if down <= t < up)
        after = [(t, c) for t, c in marks if t >= up]
        first_ok = next((t - up for t, c in after if c == 200), None)
        failed_after = sum(1 for _, c in after if c != 200)
        shown = ", ".join(f"{k or 'no answer'}: {v}" for k, v in sorted(outage.items()))
        recovered = f"{first_ok:.2f} s" if first_ok is not None else "never"
        return (f"| {name} | {sum(before.values())} (all 200: {set(before) == {200}}) | {shown} | "
                f"{recovered} | {failed_after} of {len(after)} |")  # fmt: skip

    return [row("**Borderless** (pool_pre_ping, 503 database_unavailable)", ours_marks),
            row("peer: bare FastAPI, default SQLAlchemy engine", peer_marks)]  # fmt: skip


def model_server_faults() -> list[str]:
    with silent_server() as hung:
        return _model_server_rows(hung)


def _model_server_rows(hung: int) -> list[str]:
    from borderless.config import load_settings
    from borderless.service import create_app
    from borderless.storage import open_database

    rows = []
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    cases = [
        ("model server down (closed port)", f"openai:http://127.0.0.1:{closed}/v1?model=x&timeout=3"),
        ("model server hung (accepts, never answers; timeout=3)",
         f"openai:http://127.0.0.1:{hung}/v1?model=x&timeout=3"),
    ]  # fmt: skip
    body = {"texts": ["A white cake stand."], "source": "en", "target": "de"}
    for name, spec in cases:
        data = Path(tempfile.mkdtemp(prefix="bench-faults-"))
        settings = load_settings(data_dir=data, database_url=f"sqlite:///{data / 'shop.db'}",
                                 shared_data_dir=DATA, **(FAKE | {"translator": spec}))  # fmt: skip
        with serving(create_app(settings, open_database(settings))) as url:
            health: list[float] = []
            done = threading.Event()

            def probe(
                url: str = url, done: threading.Event = done, health: list[float] = health
            ) -> None:
                with httpx.Client(base_url=url, timeout=30) as http:
                    while not done.is_set():
                        started = time.perf_counter()
                        http.get("/health")
                        health.append(time.perf_counter() - started)
                        time.sleep(0.05)

            prober = threading.Thread(target=probe)
            prober.start()
            started = time.perf_counter()
            answer = httpx.post(f"{url}/v1/translate", json=body, headers={"X-API-Key": "bench"},
                                timeout=60)  # fmt: skip
            took = time.perf_counter() - started
            done.set()
            prober.join()
        rows.append(f"| {name} | {answer.status_code} {answer.json()['code']} | {took:.2f} s | "
                    f"{len(health)} | {max(health) * 1000:.0f} ms |")  # fmt: skip
        shutil.rmtree(data, ignore_errors=True)
    return rows


def killed_import() -> list[str]:
    data = Path(tempfile.mkdtemp(prefix="bench-faults-"))
    env = os.environ | {f"BORDERLESS_{k.upper()}": v for k, v in FAKE.items()} | {
        "BORDERLESS_DATA_DIR": str(data), "BORDERLESS_SHARED_DATA_DIR": str(DATA)}  # fmt: skip
    command = [
        sys.executable,
        "-m",
        "borderless",
        "import",
        "retail",
        str(RETAIL),
        "--no-score-risk",
    ]
    job = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wal = data / "borderless.db-wal"
    started = time.monotonic()
    while job.poll() is None and not (wal.exists() and wal.stat().st_size > 8_000_000):
        time.sleep(0.2)
    killed_at = time.monotonic() - started
    wal_mb = wal.stat().st_size / 1e6
    os.kill(job.pid, signal.SIGKILL)
    job.wait()
    with sqlite3.connect(data / "borderless.db") as conn:
        sound = conn.execute("PRAGMA integrity_check").fetchone()[0]
        orders = conn.execute("select count(*) from orders").fetchone()[0]
    started = time.monotonic()
    again = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    took = time.monotonic() - started
    with sqlite3.connect(data / "borderless.db") as conn:
        after = conn.execute("select count(*) from orders").fetchone()[0]
    shutil.rmtree(data, ignore_errors=True)
    return [f"| import retail (full file) killed after {killed_at:.0f} s, WAL at {wal_mb:.0f} MB | "
            f"{orders} | {sound} | exit {again.returncode} in {took:.0f} s, {after:,} orders |"]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    command = "python benchmarks/bench_faults.py" + (
        " --out benchmarks/RESULTS.md" if args.out else ""
    )
    emit("Faults: PostgreSQL restarted under load",
         f"`{command}` (see its docstring). PostgreSQL stopped for 3 s while 4 clients per app read "
         "the product list; answers counted before, during and after.",
         ["app", "answers before", "answers during the outage", "first 200 after the restart",
          "failures after the restart"], postgres_restart(), args.out)  # fmt: skip
    emit("Faults: model server down or hung",
         f"`{command}`. POST /v1/translate with the translator on a remote server that is down or "
         "hangs; /health probed every 50 ms meanwhile.",
         ["fault", "answer", "time to answer", "/health answers meanwhile", "slowest /health"],
         model_server_faults(), args.out)  # fmt: skip
    emit("Faults: an import killed with -9",
         f"`{command}`. The import writes in one transaction.",
         ["what was killed", "orders left", "integrity check", "the same import again"],
         killed_import(), args.out)  # fmt: skip


if __name__ == "__main__":
    main()
