"""One pass over reviews: the review's sentiment, its aspects with polarity, and its negative
clauses (the material pain points are clustered from), ready to store."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
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


# Praise by denying a fault ("not bad at all for the price", "Helemaal niet slecht voor die
# prijs", "値段のわりに全然悪くない", "Bu fiyata hiç fena değil"): the sentiment model read
# them as complaints (a walk: six such reviews of one product made a "price" pain point). A
# clause that says one and that the model reads as negative is read as positive; so is a whole
# review whose every clause then reads positive.
_NOT_BAD = re.compile(
    r"(?i)(?<!\w)(?:not (?:too |that |so )?bad|can'?t complain|nicht (?:so )?schlecht|"
    r"pas (?:si |trop )?mal|nada mal|no est[aá] mal|n[aã]o [eé] (?:mau|ruim)|nada ruim|"
    r"non (?:è )?male|niente male|niet (?:zo )?slecht|niet verkeerd|nie najgorsz[eya]|"
    r"niez[łl][eya]|nie[źz]le|nie jest [źz]le|неплох\w*|не плохо|fena de[ğg]il|"
    r"k[öo]t[üu] de[ğg]il|ليس سيئ\w*|ليست سيئة|مش وحش|مش سيء)(?!\w)"
    # (not 悪くなった, "got worse")
    r"|悪くな(?:い|かった)|悪くはな(?:い|かった)|不差|不坏|不壞|나쁘지 않"
)


def _denies_a_fault(clause: str) -> bool:
    return _NOT_BAD.search(clause) is not None


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
        parts = [clauses(text, language) or [text] for text, language in chunk]
        flat = [c for p in parts for c in p]
        scores = {c: s.positive for c, s in zip(flat, score_reviews(model, flat), strict=True)}
        denied = {c for c in flat if scores[c] < 0.5 and _denies_a_fault(c)}
        scores |= {c: round(1 - scores[c], 4) for c in denied}
        reader = AspectReader(
            _lookup(scores),
            model.embedders[0] if model.embedders else None,
        )
        mentions = reader.read(chunk)
        for review_parts, said, named in zip(parts, whole, mentions, strict=True):
            sentiment = said
            if (
                said.label == "negative"
                and denied.intersection(review_parts)
                and all(scores[c] >= 0.5 for c in review_parts)
            ):
                sentiment = replace(said, label="positive", positive=round(1 - said.positive, 4))
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
