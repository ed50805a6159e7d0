"""Aspects with polarity in several languages, and pain points clustered across languages."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

from borderless.backends.fake import FakeEmbedder
from borderless.capabilities.reviews.aspects import AspectReader, clauses
from borderless.capabilities.reviews.painpoints import (
    Complaint,
    find_pain_points,
    pain_point_report,
)

from .conftest import fake_env, run

NEGATIVE = ("slow", "late", "broke", "crushed", "nicht", "坏", "慢", "déçu", "kaputt")


def polarity(texts: Sequence[str]) -> list[float]:
    """A stand-in for the sentiment model: negative when a clause holds a negative word."""
    return [0.1 if any(w in t.lower() for w in NEGATIVE) else 0.9 for t in texts]


def test_clauses_split_western_and_chinese_text() -> None:
    assert clauses("Fast delivery but the box was crushed.") == [
        "Fast delivery",
        "the box was crushed",
    ]
    assert clauses("质量很好，物流太慢了！") == ["质量很好", "物流太慢了"]


def test_aspects_with_polarity_in_several_languages() -> None:
    reader = AspectReader(polarity)
    found = reader.read(
        [
            ("Fast delivery but the box was crushed.", "en"),
            ("质量很好，物流太慢了", "zh"),
            ("Die Größe passt nicht, zu klein. Lieferung war schnell.", "de"),
            ("Nothing to say here.", "en"),
        ]
    )
    pairs = [sorted((m.aspect, m.polarity) for m in mentions) for mentions in found]
    assert pairs[0] == [("delivery", "positive"), ("packaging", "negative")]
    assert pairs[1] == [("delivery", "negative"), ("quality", "positive")]
    assert pairs[2] == [("delivery", "positive"), ("size/fit", "negative")]
    assert pairs[3] == []


def test_embedding_fallback_for_languages_without_a_lexicon() -> None:
    reader = AspectReader(polarity, FakeEmbedder(), min_similarity=0.5)
    # The fake embedder shares trigrams: a clause written like a description matches it.
    found = reader.read([("the delivery was slow and arrived late", "sv")])
    assert [(m.aspect, m.how) for m in found[0]] == [("delivery", "lexicon")]
    found = reader.read([("the battery drains fast", "xx")])
    assert [(m.aspect, m.how) for m in found[0]] == [("battery", "lexicon")]
    unknown = reader.read([("zzzz qqqq", "sv")])
    assert unknown == [[]]


def complaint(i: int, text: str, language: str, month: int, aspect: str | None) -> Complaint:
    return Complaint(i, text, language, datetime(2011, month, 1), "MUG", "DE", aspect)


def test_pain_points_cluster_counts_trend_and_real_quotes() -> None:
    found = [
        complaint(i, "arrived broken box crushed", "en", 1 + i % 3, "packaging") for i in range(6)
    ]
    found += [complaint(10 + i, "battery drains in an hour", "de", 5, "battery") for i in range(5)]
    vectors = FakeEmbedder().embed_batch([c.clause for c in found])
    vectors += np.random.default_rng(0).normal(0, 0.01, vectors.shape).astype(np.float32)
    points = find_pain_points(found, vectors, min_cluster_size=3)
    assert [(p.name, p.reviews) for p in points] == [("packaging", 6), ("battery", 5)]
    assert points[0].months == {"2011-01": 2, "2011-02": 2, "2011-03": 2}
    assert all(q.clause == "arrived broken box crushed" for q in points[0].examples)
    # a review's second clause in the group counts once, in languages and months too (a walk:
    # "8 reviews · en 7, de 3, fr 2, zh 1, es 1")
    twice = [*found, complaint(0, "arrived broken box crushed", "en", 1, "packaging")]
    vectors = FakeEmbedder().embed_batch([c.clause for c in twice])
    vectors += np.random.default_rng(0).normal(0, 0.01, vectors.shape).astype(np.float32)
    again = find_pain_points(twice, vectors, min_cluster_size=3)[0]
    assert (again.clauses, again.reviews, again.languages) == (7, 6, {"en": 6})
    assert sum(again.months.values()) == 6
    report = pain_point_report(
        found,
        lambda texts: FakeEmbedder().embed_batch(texts),
        translate=lambda texts, target: [f"[{target}] {t}" for t in texts],
        target="en",
        min_cluster_size=3,
    )
    battery = report["pain_points"][1]
    assert battery["examples"][0]["translation"] == "[en] battery drains in an hour"
    assert report["pain_points"][0]["examples"][0]["translation"] is None  # already English
    assert battery["name"] == "battery" and battery["name_translation"] is None  # an aspect


@pytest.mark.slow  # about 35 s: kept out of the default run's 15 minutes
def test_cli_score_then_painpoints(tmp_path: Path) -> None:
    env = fake_env(tmp_path / "data")
    assert run("import", "reviews", "--demo", "--per-category", "8", env=env).returncode == 0
    scored = run("reviews", "score", "--json", env=env)
    assert scored.returncode == 0, scored.stderr
    assert json.loads(scored.stdout)["aspect_mentions"] > 0
    done = run("reviews", "painpoints", "--translate", "en", "--min-cluster-size", "3",
               "--json", env=env)  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["complaints"] > 0 and report["pain_points"]
    quote = report["pain_points"][0]["examples"][0]
    assert quote["clause"] and quote["date"].startswith("201")
    listed = run("reviews", "list", "--json", "--limit", "1000", env=env)
    texts = {r["text"] for r in json.loads(listed.stdout)["data"]}
    assert all(any(q["clause"] in t for t in texts) for p in report["pain_points"]
               for q in p["examples"])  # fmt: skip
