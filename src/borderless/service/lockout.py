"""Wrong keys and failed sign-ins from one address lock it out for a while.

Ten failures within ten minutes refuse that address's key checks and sign-ins (429 with
Retry-After) until the oldest failure is ten minutes old; a success clears its count. Guessing
a 32-character key was only bounded by the server's speed before.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque

from borderless.errors import RateLimited

__all__ = ["Lockout"]


class Lockout:
    def __init__(self, failures: int = 10, window: float = 600.0) -> None:
        self.failures = failures
        self.window = window
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> deque[float]:
        seen = self._seen.setdefault(client, deque())
        while seen and seen[0] <= now - self.window:
            seen.popleft()
        return seen

    def check(self, client: str) -> None:
        """Raise RateLimited while `client` is locked out."""
        now = time.monotonic()
        with self._lock:
            seen = self._recent(client, now)
            if len(seen) >= self.failures:
                wait = math.ceil(seen[0] + self.window - now)
                raise RateLimited(
                    f"too many failed sign-ins or wrong keys from this address; "
                    f"try again in {wait} s",
                    retry_after=wait,
                )

    def fail(self, client: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._recent(client, now).append(now)
            if len(self._seen) > 10_000:
                for key in [k for k, v in self._seen.items() if not v]:
                    del self._seen[key]

    def succeed(self, client: str) -> None:
        with self._lock:
            self._seen.pop(client, None)
