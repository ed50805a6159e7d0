"""Request metrics: every HTTP request counted and timed per capability and model version into
the process's Monitor (borderless.capabilities.lifecycle.monitor), and the Monitor's running
totals in Prometheus's text format for `/metrics`.

Plain ASGI like the other middleware. The request path pays a clock read, a path split and one
locked dict update; closed minutes go to the database from a background thread, at most once a
minute, never on the request path (overhead measured in benchmarks/RESULTS.md)."""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING, Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from borderless.capabilities.lifecycle.monitor import LATENCY_BUCKETS, Monitor
from borderless.capabilities.lifecycle.signals import CAPABILITY_TASKS

if TYPE_CHECKING:
    from collections.abc import Iterator

    from borderless.wiring import Services

__all__ = ["RequestMetrics", "capability_of", "flush", "prometheus_text"]

UNWATCHED = frozenset({"metrics", "health", "static", "docs-assets", "favicon.ico"})
FLUSH_SECONDS = 60.0
log = logging.getLogger("borderless.monitoring")


def capability_of(path: str) -> str:
    """`/v1/search` -> search; `/support/...` (dashboard) -> pages; `/metrics` -> metrics."""
    parts = path.strip("/").split("/", 2)
    if parts[0] == "v1":
        return parts[1] if len(parts) > 1 and parts[1] else "v1"
    return parts[0] if parts[0] in UNWATCHED else "pages"


def flush(services: Services, everything: bool = False) -> int:
    """Store the monitor's closed minutes (all of them with `everything`)."""
    from borderless.storage.monitoring import save_samples

    return save_samples(services.db, services.monitor.take(everything))


class RequestMetrics:
    """Counts and times each request under its capability and the model version serving it."""

    def __init__(self, app: ASGIApp, services: Services) -> None:
        self.app = app
        self.services = services
        self.monitor: Monitor = services.monitor
        self._next_flush = time.monotonic() + FLUSH_SECONDS
        self._flushing = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        capability = capability_of(scope.get("path", "/"))
        if capability in UNWATCHED:
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            task = CAPABILITY_TASKS.get(capability)
            version = self.services.loaded_versions().get(task, "-") if task else "-"
            self.monitor.request(capability, version, time.perf_counter() - started, status >= 500)
            if time.monotonic() >= self._next_flush:
                self._next_flush = time.monotonic() + FLUSH_SECONDS
                threading.Thread(target=self._flush, daemon=True).start()

    def _flush(self) -> None:
        if not self._flushing.acquire(blocking=False):
            return
        try:
            flush(self.services)
        except Exception as exc:  # a monitoring write must never take the service down
            log.warning("monitoring samples not stored: %s: %s", type(exc).__name__, exc)
        finally:
            self._flushing.release()


def _families(monitor: Monitor, versions: dict[str, str]) -> Iterator[Any]:
    from prometheus_client.core import (
        CounterMetricFamily,
        GaugeMetricFamily,
        HistogramMetricFamily,
        SummaryMetricFamily,
    )

    totals = monitor.totals
    with monitor._lock:
        requests = dict(totals.requests)
        buckets = {k: list(v) for k, v in totals.buckets.items()}
        seconds = dict(totals.seconds)
        signals = {k: list(v) for k, v in totals.signals.items()}
        limits = {k: list(v) for k, v in monitor.limits.items()}
    counter = CounterMetricFamily(
        "borderless_requests", "HTTP requests by capability, model version and outcome",
        labels=["capability", "version", "outcome"],
    )  # fmt: skip
    for (capability, version, outcome), n in sorted(requests.items()):
        counter.add_metric([capability, version, outcome], n)
    yield counter
    latency = HistogramMetricFamily(
        "borderless_request_seconds", "Request latency by capability and model version",
        labels=["capability", "version"],
    )  # fmt: skip
    for (capability, version), counts in sorted(buckets.items()):
        running, cumulative = 0, []
        for bound, n in zip([*LATENCY_BUCKETS, float("inf")], counts, strict=True):
            running += n
            cumulative.append((str(bound) if bound != float("inf") else "+Inf", running))
        latency.add_metric([capability, version], cumulative, seconds[(capability, version)])
    yield latency
    quality = SummaryMetricFamily(
        "borderless_quality_signal", "Label-free quality signals (rates are 0/1 observations)",
        labels=["capability", "version", "signal"],
    )  # fmt: skip
    for (capability, version, name), (total, count) in sorted(signals.items()):
        quality.add_metric([capability, version, name], count_value=int(count), sum_value=total)
    yield quality
    lines = GaugeMetricFamily(
        "borderless_signal_limit",
        "Alert line of a quality signal kept with a served model version (embedding drift: "
        "from its training data)",
        labels=["capability", "version", "signal"],
    )  # fmt: skip
    for (capability, version), own in sorted(limits.items()):
        for t in own:
            lines.add_metric([capability, version, t.signal], t.limit)
    yield lines
    loaded = GaugeMetricFamily(
        "borderless_model_loaded", "1 for the model version each task serves",
        labels=["task", "version"],
    )  # fmt: skip
    for task, version in sorted(versions.items()):
        loaded.add_metric([task, version], 1.0)
    yield loaded


def prometheus_text(services: Services) -> bytes:
    """The process's metrics in Prometheus's text exposition format."""
    from prometheus_client import CollectorRegistry, generate_latest

    class _Collector:
        def collect(self) -> Iterator[Any]:
            return _families(services.monitor, services.loaded_versions())

    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Collector())
    out: bytes = generate_latest(registry)
    return out
