"""The app served on a free loopback port in a thread, as `borderless serve` runs it: for the
tests and benchmarks that need a real HTTP server (browsers, load, faults) beside their code."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["serving"]


@contextmanager
def serving(app: Any, log_level: str = "warning") -> Iterator[str]:
    """Yields the server's URL once /health answers; stops the server after."""
    import httpx
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, port=port, log_level=log_level))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            httpx.get(f"{url}/health", timeout=1)
            break
        except httpx.TransportError:
            time.sleep(0.1)
    try:
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)
