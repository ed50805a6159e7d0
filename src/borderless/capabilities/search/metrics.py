"""Retrieval measures as used by MS Recommenders and the IR literature (binary relevance)."""

from __future__ import annotations

import math
from collections.abc import Sequence, Set

__all__ = ["ndcg_at", "recall_at", "reciprocal_rank"]


def reciprocal_rank(ranked: Sequence[str], relevant: Set[str]) -> float:
    return next((1.0 / r for r, doc in enumerate(ranked, 1) if doc in relevant), 0.0)


def recall_at(ranked: Sequence[str], relevant: Set[str], k: int) -> float:
    """Relevant items in the top k, divided by the number of relevant items."""
    return len(set(ranked[:k]) & relevant) / len(relevant) if relevant else 0.0


def ndcg_at(ranked: Sequence[str], relevant: Set[str], k: int) -> float:
    dcg = sum(1.0 / math.log2(r + 1) for r, doc in enumerate(ranked[:k], 1) if doc in relevant)
    ideal = sum(1.0 / math.log2(r + 1) for r in range(1, min(k, len(relevant)) + 1))
    return dcg / ideal if ideal else 0.0
