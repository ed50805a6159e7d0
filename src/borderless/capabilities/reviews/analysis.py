"""One pass over reviews: the review's sentiment, its aspects with polarity, and its negative
clauses (the material pain points are clustered from), ready to store."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from borderless.capabilities.reviews.aspects import AspectReader, clauses
from borderless.capabilities.reviews.sentiment import Sentiment, SentimentModel, score_reviews

__all__ = ["ReviewReading", "read_reviews_text"]


@dataclass(frozen=True)
class ReviewReading:
    sentiment: Sentiment
    # Aspect mentions and negative clauses without an aspect, as stored in `reviews.aspects`:
    # {"aspect": str | None, "polarity", "score", "clause", "how"}
    aspects: list[dict[str, Any]]


def read_reviews_text(
    model: SentimentModel,
    reviews: Sequence[tuple[str, str]],
    progress: Callable[[int], None] | None = None,
    batch: int = 200,
) -> list[ReviewReading]:
    """(text, language) -> sentiment, aspects and complaints; `progress(n)` per batch."""
    found: list[ReviewReading] = []
    for start in range(0, len(reviews), batch):
        chunk = list(reviews[start : start + batch])
        whole = score_reviews(model, [text for text, _ in chunk])
        parts = [clauses(text) or [text] for text, _ in chunk]
        flat = [c for p in parts for c in p]
        scores = {c: s.positive for c, s in zip(flat, score_reviews(model, flat), strict=True)}
        reader = AspectReader(
            _lookup(scores),
            model.embedders[0] if model.embedders else None,
        )
        mentions = reader.read(chunk)
        for review_parts, sentiment, named in zip(parts, whole, mentions, strict=True):
            rows: list[dict[str, Any]] = [
                {"aspect": m.aspect, "polarity": m.polarity, "score": m.score,
                 "clause": m.clause, "how": m.how}
                for m in named
            ]  # fmt: skip
            covered = {m.clause for m in named}
            rows += [
                {"aspect": None, "polarity": "negative", "score": round(scores[c], 4),
                 "clause": c, "how": "clause"}
                for c in dict.fromkeys(review_parts)
                if scores[c] < 0.5 and c not in covered
            ]  # fmt: skip
            found.append(ReviewReading(sentiment, rows))
        if progress:
            progress(len(chunk))
    return found


def _lookup(scores: dict[str, float]) -> Callable[[Sequence[str]], list[float]]:
    return lambda texts: [scores[t] for t in texts]
