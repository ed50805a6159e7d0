"""`borderless serve --workers N`: N processes answer on one port from one shop database."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from .conftest import fake_env, free_port, wait_until_up

KEY = {"X-API-Key": "workers-key"}


@pytest.mark.slow
def test_two_workers_answer_from_one_shop(tmp_path: Path) -> None:
    port = free_port()
    env = os.environ | fake_env(tmp_path / "data", api_key=KEY["X-API-Key"])
    server = subprocess.Popen(
        [sys.executable, "-m", "borderless", "serve", "--port", str(port), "--workers", "2"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{url}/health", server, "serve --workers 2")
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        # uvicorn's supervisor keeps two workers (and, on some Pythons, a resource tracker)
        workers = [c for c in children if "multiprocessing" in Path(f"/proc/{c}/cmdline")
                   .read_bytes().decode(errors="replace") and "resource_tracker" not in Path(
                   f"/proc/{c}/cmdline").read_bytes().decode(errors="replace")]  # fmt: skip
        assert len(workers) == 2, children
        with httpx.Client(base_url=url, timeout=30) as http:
            for _ in range(6):  # both workers build or load the search index before the write
                assert _search(url, "tea towel").status_code == 200
            body = {"sku": "W-1", "title": "Linen tea towel", "price": "4.50", "stock": 10}
            assert http.post("/v1/products", json=body, headers=KEY).status_code == 201
            # a write through one worker is seen by every later read, whichever worker answers
            for _ in range(20):
                with httpx.Client(base_url=url, timeout=30) as fresh:  # new connection each time
                    seen = fresh.get("/v1/products/W-1")
                    assert seen.status_code == 200 and seen.json()["stock"] == 10
            # and reaches both workers' search within about a second (catalog generation)
            time.sleep(3)
            for _ in range(20):
                found = _search(url, "linen tea towel").json()
                assert found["data"][0]["product"]["sku"] == "W-1", found
        saved = [p for p in (tmp_path / "data" / "cache" / "search").iterdir() if p.is_dir()]
        assert 1 <= len(saved) <= 3  # one index per catalog state, shared, not one per worker
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def _search(url: str, query: str) -> httpx.Response:
    """GET /v1/search on a new connection. No retry: a worker killed while warming up (it
    missed uvicorn's 5-second health ping on a busy 2-core machine, 2 runs in 5 before
    `serve --workers` gave it 60 s) drops a shopper's request, which is a defect."""
    with httpx.Client(base_url=url, timeout=60) as fresh:
        return fresh.get("/v1/search", params={"q": query})
