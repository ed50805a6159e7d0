"""Diversity re-ranking as a wrapper: any recommender, re-ordered by maximal marginal relevance.

MMR (Carbonell and Goldstein, 1998) picks, one at a time, the candidate that maximises
lambda * relevance - (1 - lambda) * (highest similarity to what is already picked). Relevance is
the inner model's score scaled to [0, 1] within the pool; similarity is the cosine of items'
buyer sets. lambda = 1 keeps the inner order.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from borderless.capabilities.recommend.base import Recommendation, Recommender, Scores
from borderless.capabilities.recommend.interactions import Interactions
from borderless.errors import InvalidInput

__all__ = ["Diversified"]


class Diversified(Recommender):
    def __init__(self, inner: Recommender, balance: float = 0.8, pool: int = 50) -> None:
        if not 0.0 <= balance <= 1.0:
            raise InvalidInput("balance must lie between 0 and 1", field="balance")
        self.inner = inner
        self.balance = balance
        self.pool = pool
        self.name = f"{inner.name}+mmr"

    def _fit(self, data: Interactions) -> None:
        self.inner.fit(data)
        vectors = data.binary().T.tocsr().astype(np.float32)
        norms = np.sqrt(np.asarray(vectors.multiply(vectors).sum(axis=1)).ravel())
        self.vectors_ = vectors
        self.norms_ = np.where(norms == 0, 1, norms)

    def score(self, rows: Sequence[int]) -> Scores:
        return self.inner.score(rows)

    def recommend(
        self, users: Sequence[str], k: int = 10, exclude_seen: bool = True
    ) -> list[Recommendation]:
        pools = self.inner.recommend(users, max(k, self.pool), exclude_seen)
        return [self._rerank(pool, k) for pool in pools]

    def _rerank(self, pool: Recommendation, k: int) -> Recommendation:
        if len(pool) <= 1 or self.balance == 1.0:
            return pool[:k]
        columns = self.data_.item_columns()
        cols = [columns[item] for item, _ in pool]
        sims = (self.vectors_[cols] @ self.vectors_[cols].T).toarray()
        sims /= np.outer(self.norms_[cols], self.norms_[cols])
        scores = np.array([s for _, s in pool], dtype=np.float64)
        spread = scores.max() - scores.min()
        relevance = (scores - scores.min()) / spread if spread > 0 else np.ones_like(scores)
        picked: list[int] = []
        closest = np.zeros(len(pool))
        for _ in range(min(k, len(pool))):
            value = self.balance * relevance - (1 - self.balance) * closest
            value[picked] = -np.inf
            best = int(np.argmax(value))
            picked.append(best)
            closest = np.maximum(closest, sims[best])
        return [pool[i] for i in picked]
