"""Pain points: what customers complain about, clustered across reviews and languages.

The negative clauses of the reviews (sentiment read per clause) are embedded with the
multilingual embedder and clustered with HDBSCAN (scikit-learn's `sklearn.cluster.HDBSCAN`).
Why HDBSCAN: it needs no number of topics, leaves one-off complaints out as noise instead of
forcing them into a pain point, and it ships in scikit-learn, which we already depend on and
which is maintained. BERTopic would add sentence-transformers, PyTorch and UMAP (over a GB)
and its own embedder, where ours already maps "arrived broken" and "到货就坏了" together.

Each pain point carries its count (clauses and distinct reviews), languages, a count per
month, and real example quotes (the clauses closest to the cluster's centre, verbatim); the
caller adds translations. Its name is the aspect most of its clauses name, else the quote
closest to the centre.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np

from borderless.errors import InvalidInput
from borderless.optional import require

__all__ = ["Complaint", "PainPoint", "find_pain_points", "pain_point_report"]


@dataclass(frozen=True)
class Complaint:
    review_id: int
    clause: str
    language: str
    created_at: datetime
    sku: str
    market: str | None
    aspect: str | None = None


@dataclass
class PainPoint:
    name: str
    aspect: str | None
    clauses: int
    reviews: int
    languages: dict[str, int]
    months: dict[str, int]
    examples: list[Complaint] = field(default_factory=list)
    skus: dict[str, int] = field(default_factory=dict)


def find_pain_points(
    complaints: Sequence[Complaint],
    vectors: np.ndarray,
    *,
    min_cluster_size: int = 5,
    examples: int = 3,
) -> list[PainPoint]:
    """Clusters of complaints, largest first (noise left out)."""
    if len(complaints) != len(vectors):
        raise InvalidInput("one vector per complaint", field="vectors")
    if min_cluster_size < 2:
        raise InvalidInput("min_cluster_size is at least 2", field="min_cluster_size")
    if len(complaints) < min_cluster_size:
        return []
    cluster = require("sklearn.cluster", "support", feature="pain points", field="painpoints")
    # Unit vectors: Euclidean distance orders pairs as cosine similarity does.
    labels = cluster.HDBSCAN(min_cluster_size=min_cluster_size, copy=True).fit_predict(vectors)
    found: list[PainPoint] = []
    for label in sorted(set(labels) - {-1}):
        members = np.flatnonzero(labels == label)
        centre = vectors[members].mean(axis=0)
        order = members[np.argsort(-(vectors[members] @ centre), kind="stable")]
        group = [complaints[int(i)] for i in members]
        aspects = Counter(c.aspect for c in group if c.aspect)
        aspect, n = aspects.most_common(1)[0] if aspects else (None, 0)
        named = aspect if aspect and n * 2 >= len(group) else None
        closest = complaints[int(order[0])].clause
        chosen: list[Complaint] = []
        seen_reviews: set[int] = set()
        for i in order:
            if complaints[int(i)].review_id not in seen_reviews:
                chosen.append(complaints[int(i)])
                seen_reviews.add(complaints[int(i)].review_id)
            if len(chosen) == examples:
                break
        # languages, months and products count reviews, as the heading does: "8 reviews · en
        # 7, de 3, fr 2, zh 1, es 1" counted a review's clauses each (a walk)
        each = list({c.review_id: c for c in group}.values())
        found.append(
            PainPoint(
                name=named or closest[:80],
                aspect=named,
                clauses=len(group),
                reviews=len(each),
                languages=dict(Counter(c.language for c in each).most_common()),
                months=dict(sorted(Counter(c.created_at.strftime("%Y-%m") for c in each).items())),
                examples=chosen,
                skus=dict(Counter(c.sku for c in each).most_common()),
            )
        )
    return sorted(found, key=lambda p: (-p.reviews, p.name))


Translate = Callable[[list[str], str], list[str]]  # (texts, target language) -> translations


def pain_point_report(
    found: Sequence[Complaint],
    embed: Callable[[list[str]], np.ndarray],
    *,
    translate: Translate | None = None,
    target: str | None = None,
    min_cluster_size: int = 5,
    top: int = 10,
) -> dict[str, Any]:
    """The largest pain points as plain data, example quotes translated into `target`."""
    texts = [c.clause for c in found]
    vectors = embed(texts) if texts else np.zeros((0, 1), np.float32)
    if len(vectors):
        vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
    points = find_pain_points(found, vectors, min_cluster_size=min_cluster_size)[:top]
    quotes = [q for p in points for q in p.examples]
    translated: dict[str, str] = {}
    if translate and target:
        foreign = sorted({q.clause for q in quotes if q.language != target})
        translated = dict(zip(foreign, translate(foreign, target), strict=True)) if foreign else {}
    return {
        "complaints": len(found),
        "reviews": len({c.review_id for c in found}),
        "clustered": sum(p.clauses for p in points),
        "pain_points": [
            {
                "name": p.name,
                # An unnamed point is named by its central quote: show that in `target` too.
                "name_translation": None
                if p.aspect or not p.examples
                else translated.get(p.examples[0].clause),
                "aspect": p.aspect,
                "clauses": p.clauses,
                "reviews": p.reviews,
                "languages": p.languages,
                "months": p.months,
                "skus": p.skus,
                "examples": [
                    {
                        "review_id": q.review_id,
                        "clause": q.clause,
                        "language": q.language,
                        "sku": q.sku,
                        "market": q.market,
                        "date": q.created_at.date().isoformat(),
                        "translation": translated.get(q.clause),
                    }
                    for q in p.examples
                ],
            }
            for p in points
        ],
    }
