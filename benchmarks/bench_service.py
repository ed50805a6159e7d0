"""The service under load, beside a bare FastAPI app on the same database, in one run.

    python benchmarks/bench_service.py [--seconds 8] [--clients 20] [--out benchmarks/RESULTS.md]

Both servers run as real processes (uvicorn) on loopback, on a copy of the demo shop (SQLite).
A bounded load of `--clients` concurrent clients (threads with keep-alive connections) asks each
route for `--seconds`; we report requests per second and p50/p95 latency. The bare app answers
the product page with one plain SQL query and no middleware: what a route costs with nothing of
ours around it. Then the resident memory of our service: idle, after the routes above, and
after one walk through every dashboard page a signed-in seller sees, after one translation that
loads the local LLM, and once the LLM has been idle for BORDERLESS_LLM_IDLE_SECONDS (10 s here).
Last, the same shop served by `serve --workers 2`: the read routes again, and the memory of all
its processes. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

import httpx
from report import emit

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("BORDERLESS_SHARED_DATA_DIR", ROOT.parent / "shared" / "data"))
KEY = "bench-key"

BARE_APP = textwrap.dedent(
    """
    import sqlite3, sys
    from fastapi import FastAPI
    app = FastAPI()
    db = sys.argv[1]

    @app.get("/health")
    def health():
        return {"status": "ok"}

    @app.get("/v1/products")
    def products(limit: int = 50, offset: int = 0):
        with sqlite3.connect(db) as conn:
            total = conn.execute("select count(*) from products").fetchone()[0]
            rows = conn.execute(
                "select sku, title, price from products order by sku limit ? offset ?",
                (limit, offset)).fetchall()
        return {"data": [dict(zip(("sku", "title", "price"), r)) for r in rows], "count": total}

    if __name__ == "__main__":
        import uvicorn
        uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
    """
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_up(url: str, seconds: float = 600) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"{url} did not start")


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (uvicorn workers), in MB."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for p in pids:
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def load(url: str, path: str, clients: int, seconds: float, headers: dict[str, str]) -> str:
    """Requests per second and p50/p95 in ms, from `clients` threads for `seconds`."""
    times: list[float] = []
    errors = 0
    stop = time.monotonic() + seconds
    lock = threading.Lock()

    def client() -> None:
        nonlocal errors
        with httpx.Client(base_url=url, headers=headers, timeout=30) as http:
            while time.monotonic() < stop:
                started = time.perf_counter()
                try:
                    ok = http.get(path).status_code == 200
                except httpx.HTTPError:
                    ok = False
                took = time.perf_counter() - started
                with lock:
                    times.append(took)
                    errors += not ok

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - began
    ordered = sorted(times)
    p50 = statistics.median(ordered) * 1000
    p95 = ordered[int(0.95 * (len(ordered) - 1))] * 1000
    rate = len(times) / elapsed
    return f"{rate:,.0f} | {p50:.1f} | {p95:.1f} | {errors}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="borderless-bench-"))
    env = os.environ | {
        "BORDERLESS_DATA_DIR": str(folder),
        "BORDERLESS_API_KEY": KEY,
        "BORDERLESS_SHARED_DATA_DIR": str(DATA),
        "BORDERLESS_MODEL_RATE_PER_MINUTE": "100000",
        "BORDERLESS_LLM_IDLE_SECONDS": "10",
    }
    port = free_port()
    ours = subprocess.Popen(
        [sys.executable, "-m", "borderless", "serve", "--demo", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    bare_proc = None
    try:
        wait_up(url)
        idle = rss_mb(ours.pid)
        # The search index and recommender build on first use; warm both before timing.
        httpx.get(f"{url}/v1/search", params={"q": "cake stand"}, timeout=600)
        httpx.get(f"{url}/v1/recommendations/products/85123A", timeout=600)
        bare_db = folder / "bare.db"
        shutil.copy(folder / "borderless.db", bare_db)
        bare_file = folder / "bare_app.py"
        bare_file.write_text(BARE_APP)
        bare_port = free_port()
        bare_proc = subprocess.Popen(
            [sys.executable, str(bare_file), str(bare_db), str(bare_port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        bare = f"http://127.0.0.1:{bare_port}"
        wait_up(bare)
        staff = {"X-API-Key": KEY}
        routes = [
            ("health", url, "/health", {}),
            ("peer: bare FastAPI health", bare, "/health", {}),
            ("product list", url, "/v1/products?limit=50", {}),
            ("peer: bare FastAPI product list", bare, "/v1/products?limit=50", {}),
            ("one product", url, "/v1/products/85123A", {}),
            ("search (hybrid)", url, "/v1/search?q=cake+stand", {}),
            ("recommendations, product", url, "/v1/recommendations/products/85123A", {}),
            ("recommendations, customer", url, "/v1/recommendations/customers/17850", staff),
        ]
        rows = []
        for name, base, path, headers in routes:
            rows.append(f"| {name} | {load(base, path, args.clients, args.seconds, headers)} |")
        after_load = rss_mb(ours.pid)
        with httpx.Client(base_url=url, timeout=600) as browser:
            page = browser.get("/login")
            token = browser.cookies.get("borderless_csrf", "")
            browser.post("/login", data={"key": KEY, "csrf_token": token, "next": "/"})
            for path in ["/", "/products", "/products/85123A", "/customers", "/customers/17850",
                         "/orders", "/orders/536365", "/support", "/translations",
                         "/products/85123A/copy", "/glossary", "/jobs", "/risk", "/risk/rules",
                         "/supply", "/reviews", "/reviews/painpoints", "/segments",
                         "/models"]:  # fmt: skip
                page = browser.get(path)
                rows.append(f"| page {path} (signed in, one request) | - | "
                            f"{page.elapsed.total_seconds() * 1000:.0f} | - | "
                            f"{int(page.status_code != 200)} |")  # fmt: skip
        after_pages = rss_mb(ours.pid)
        text = {"texts": ["A white hanging heart T-light holder."], "source": "en", "target": "de"}
        started = time.perf_counter()
        translated = httpx.post(f"{url}/v1/translate", json=text, headers=staff, timeout=600)
        llm_seconds = time.perf_counter() - started
        if translated.status_code != 200:
            raise SystemExit(f"translation failed: {translated.text}")
        with_llm = rss_mb(ours.pid)
        time.sleep(15)
        llm_idle = rss_mb(ours.pid)
        ours.terminate()
        ours.wait(timeout=60)
        ours = subprocess.Popen(
            [sys.executable, "-m", "borderless", "serve", "--port", str(port), "--workers", "2"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_up(url)
        for _ in range(4):  # each worker builds its search index and recommender on first use
            httpx.get(f"{url}/v1/search", params={"q": "cake stand"}, timeout=600)
            httpx.get(f"{url}/v1/recommendations/products/85123A", timeout=600)
        for name, path, headers in [
            ("product list, 2 workers", "/v1/products?limit=50", {}),
            ("search (hybrid), 2 workers", "/v1/search?q=cake+stand", {}),
            ("recommendations, product, 2 workers", "/v1/recommendations/products/85123A", {}),
        ]:
            rows.append(f"| {name} | {load(url, path, args.clients, args.seconds, headers)} |")
        two_workers = rss_mb(ours.pid)
        intro = (
            f"Command: `python benchmarks/bench_service.py --seconds {args.seconds:g} --clients "
            f"{args.clients}`. Our service (`borderless serve --demo`, one process, the demo "
            f"shop on SQLite) and a bare FastAPI app on a copy of the same database, both real "
            f"uvicorn processes on loopback, {args.clients} concurrent keep-alive clients per "
            f"route for {args.seconds:g} s each. Resident memory of our service: {idle:,.0f} MB "
            f"idle, {after_load:,.0f} MB after the load, {after_pages:,.0f} MB after one walk "
            "through the dashboard pages (no LLM loaded: none of these routes needs one), "
            f"{with_llm:,.0f} MB after one en->de translation by the local LLM "
            f"({llm_seconds:.1f} s, the model loaded for it), {llm_idle:,.0f} MB once the LLM "
            f"had been idle for 10 s and unloaded. `serve --workers 2` on the same shop: "
            f"{two_workers:,.0f} MB over its processes after the load (each worker holds its "
            "own search index and embedder)."
        )
        emit("Service under load", intro,
             ["route", "requests/s", "p50 ms", "p95 ms", "errors"], rows, args.out)  # fmt: skip
    finally:
        for proc in (ours, bare_proc):
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
