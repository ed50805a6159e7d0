"""Model work (translation, copy, support replies) runs apart from the request pool, bounded.

A local LLM answers one request at a time, in seconds to minutes. Run on the request pool,
40 anonymous translation requests held every worker thread and `/health`, the dashboard and
product reads timed out for 75 s. Here model calls run on their own few threads; at most
`queue` more wait, and beyond that a request is refused at once with 503 and Retry-After
(estimated from how long recent calls took). Each client (its address) may start at most
`per_minute` model calls a minute (429 with Retry-After). Cheap routes never wait on models.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TypeVar

from starlette.requests import Request

from borderless.errors import Busy, RateLimited

__all__ = ["ModelWork", "client_of", "model_work"]

T = TypeVar("T")


class ModelWork:
    """A bounded executor for model calls with a per-client rate limit."""

    def __init__(
        self, workers: int = 1, queue: int = 8, per_minute: int = 30, start_within: float = 90.0
    ) -> None:
        self.workers = workers
        self.queue = queue
        self.per_minute = per_minute
        self.start_within = start_within  # seconds a person's call may wait for a model thread
        self._executor = ThreadPoolExecutor(workers, thread_name_prefix="borderless-model")
        self._closed = False
        self._lock = threading.Lock()
        self._admitted = 0  # running + waiting
        self._seconds = 5.0  # moving average of one call's duration
        self._calls: dict[str, deque[float]] = {}

    def _rate(self, client: str, now: float) -> None:
        calls = self._calls.setdefault(client, deque())
        while calls and calls[0] <= now - 60:
            calls.popleft()
        if len(calls) >= self.per_minute:
            wait = math.ceil(calls[0] + 60 - now)
            raise RateLimited(
                f"too many model requests from this client ({self.per_minute} a minute); "
                f"try again in {wait} s",
                retry_after=wait,
            )
        calls.append(now)
        if len(self._calls) > 10_000:  # forget idle clients so the table stays small
            for key in [k for k, v in self._calls.items() if not v or v[-1] <= now - 60]:
                del self._calls[key]

    def admit(self, client: str) -> None:
        """Take a place, or raise Busy / RateLimited; pair with `release`."""
        with self._lock:
            if self._admitted >= self.workers + self.queue:
                wait = math.ceil(self._seconds * (self._admitted + 1) / self.workers)
                raise Busy(
                    f"the models are busy ({self._admitted} requests ahead); try again in {wait} s",
                    retry_after=wait,
                )
            self._rate(client, time.monotonic())
            self._admitted += 1

    def release(self, seconds: float | None = None) -> None:
        with self._lock:
            self._admitted -= 1
            if seconds is not None:
                self._seconds = 0.8 * self._seconds + 0.2 * seconds

    def call(self, client: str, work: Callable[[], T]) -> T:
        """`work()` on a model thread, once admitted; the caller waits for its result.

        Routes are sync and wait on a request-pool thread, but at most workers + queue of
        them can be admitted, so the pool (40 threads) always has threads for cheap routes.
        A call that has not started within `start_within` seconds (the thread is busy with a
        long piece of background work, such as a model trained on first use: 10 minutes here)
        is taken off the queue and refused with Busy and Retry-After; a public support chat
        held its connection that long without a word. One that has started is waited for.
        """
        self.admit(client)
        started = time.monotonic()
        try:
            future = self._executor.submit(work)
            try:
                return future.result(timeout=self.start_within)
            except FutureTimeout:
                if not future.cancel():  # it runs: wait for its answer
                    return future.result()
                wait = math.ceil(max(self._seconds, 30.0))
                raise Busy(
                    "the models are busy with a long task (a background job, another request, "
                    f"or a model trained on first use); try again in {wait} s",
                    retry_after=wait,
                ) from None
        finally:
            self.release(time.monotonic() - started)

    def background(self, work: Callable[[], T]) -> T:
        """`work()` on a model thread for the service's own background jobs: it takes its turn
        behind the calls already waiting, so a job's batch never runs beside a person's
        request; it is never refused and counts against no client."""
        return self._executor.submit(work).result()

    def submit(self, work: Callable[[], T]) -> Future[T]:
        """`work()` on a model thread without waiting for it: for a page that shows "being
        prepared" and looks again (like `background`, it takes its turn and is never refused)."""
        return self._executor.submit(work)

    def pending(self) -> int:
        with self._lock:
            return self._admitted

    def open(self) -> None:
        """Ready to run again after `close` (an app can start and stop more than once)."""
        with self._lock:
            if self._closed:
                self._executor = ThreadPoolExecutor(
                    self.workers, thread_name_prefix="borderless-model"
                )
                self._closed = False

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._executor.shutdown(wait=False, cancel_futures=True)


def client_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def model_work(request: Request, work: Callable[[], T]) -> T:
    """Run `work` through the app's ModelWork on behalf of the request's client."""
    gate: ModelWork = request.app.state.model_work
    return gate.call(client_of(request), work)
