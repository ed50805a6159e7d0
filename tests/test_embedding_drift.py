"""Embedding drift: the training mean and alert line kept with an intent model version, the
per-message `embedding_drift` signal, and its alert on off-topic or foreign traffic only."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from borderless.backends.fake import FakeEmbedder
from borderless.capabilities.lifecycle.drift import distances, reference, threshold, thresholds
from borderless.capabilities.lifecycle.monitor import Monitor, alerts
from borderless.capabilities.lifecycle.signals import WatchedClassifier
from borderless.capabilities.support.intents import IntentModel, train_intents

from .test_support_intents import EXAMPLES, examples

# Wide enough that hashed trigrams of other words and languages land apart from the examples'.
EMBEDDER = FakeEmbedder(1024)
OFF_TOPIC = [
    "Der Hund schläft unter dem großen Küchentisch",
    "Quantum chromodynamics describes gluons binding quarks",
    "Le chat noir regarde la pluie tomber",
    "Photosynthesis converts sunlight into sugar",
    "Il treno per Milano parte alle sette",
    "Xylophones vibrate with bright metallic tones",
]


def drift_alerts(monitor: Monitor) -> list[float]:
    found = alerts(monitor.take(everything=True), per_version=monitor.limits)
    return [a.value for a in found if a.signal == "embedding_drift"]


def test_the_line_is_kept_with_the_trained_version(tmp_path: Path) -> None:
    model = train_intents(examples(), [EMBEDDER])
    kept = model.card["embedding_drift"]
    assert kept["window"] == 20 and kept["percentile"] == 99.0 and kept["messages"] == 32
    assert 0 < kept["training_mean"] < kept["limit"] < 1
    model.save(tmp_path / "m")
    loaded = IntentModel.load(tmp_path / "m", [EMBEDDER])
    assert loaded.centre is not None and np.allclose(loaded.centre, model.centre)  # type: ignore[arg-type]
    line = threshold(loaded.card)
    assert line is not None and line.signal == "embedding_drift" and line.limit == kept["limit"]
    assert thresholds([("support", "v1", str(tmp_path / "m"))]) == {("support", "v1"): [line]}
    assert thresholds([("support", "v0", str(tmp_path / "nothing"))]) == {}
    # A model trained before the line was kept records no drift and has no line.
    assert threshold({"training": {}}) is None


def test_off_topic_and_foreign_traffic_alerts() -> None:
    model = train_intents(examples(), [EMBEDDER])
    monitor = Monitor()
    watched = WatchedClassifier(model, monitor, "v1")
    assert monitor.limits[("support", "v1")][0].signal == "embedding_drift"
    found = watched.predict(OFF_TOPIC * 5)
    assert all(p.drift is not None for p in found)
    raised = drift_alerts(monitor)
    assert raised and raised[0] > model.card["embedding_drift"]["limit"]


def test_in_distribution_traffic_does_not_alert() -> None:
    model = train_intents(examples(), [EMBEDDER])
    monitor = Monitor()
    watched = WatchedClassifier(model, monitor, "v1")
    texts = [t for group in EXAMPLES.values() for t in group]
    rng = np.random.default_rng(1)
    watched.predict([texts[i] for i in rng.permutation(len(texts))] * 2)
    assert drift_alerts(monitor) == []
    # Too few off-topic messages among them do not either (the line holds for the window).
    watched.predict(texts * 2 + OFF_TOPIC[:1])
    assert drift_alerts(monitor) == []


def test_reference_and_distances() -> None:
    rng = np.random.default_rng(0)
    vectors = rng.normal(1.0, 0.1, (200, 8)).astype(np.float32)
    centre, card = reference(vectors)
    assert distances(centre[None, :], centre)[0] < 1e-6
    assert card["per_message"]["p50"] <= card["per_message"]["p99"]
    assert distances(-vectors[:3], centre).min() > 1.5  # pointing away from the training data


def test_the_line_is_scraped_and_drawn() -> None:
    from borderless.service.metrics import _families
    from borderless.service.routes.registry_pages import _charts

    model = train_intents(examples(), [EMBEDDER])
    monitor = Monitor()
    WatchedClassifier(model, monitor, "v1").predict(OFF_TOPIC * 5)
    families = {f.name: f for f in _families(monitor, {"intents": "v1"})}
    lines = families["borderless_signal_limit"].samples
    assert [(s.labels["signal"], s.value) for s in lines] == [
        ("embedding_drift", model.card["embedding_drift"]["limit"])
    ]
    charts = _charts(monitor.take(everything=True), monitor.limits)["support"]
    caption = next(c for c, _ in charts if c.startswith("Embedding drift"))
    assert f"alert above {model.card['embedding_drift']['limit']:.4g}" in caption
