"""The recommender interface. Models follow scikit-learn's habits: parameters in __init__,
what `fit` learns in attributes ending in `_`. Each model implements one scoring method;
recommending (seen items excluded) and similar items derive from it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from borderless.capabilities.recommend.interactions import Interactions
from borderless.errors import InvalidInput, NotFound

__all__ = ["Recommendation", "Recommender", "top_k"]

Scores = npt.NDArray[np.float32]
Recommendation = list[tuple[str, float]]


def top_k(scores: Scores, k: int) -> npt.NDArray[np.int64]:
    """Column indices of the k highest scores per row, best first; ties go to the lower column.

    A stable full sort, not argpartition: tied items must come out in the same order whatever
    k is asked for, or a longer list would not start with the shorter one.
    """
    k = min(k, scores.shape[1])
    return np.argsort(-scores, axis=1, kind="stable")[:, :k].astype(np.int64)


class Recommender(ABC):
    name = "recommender"

    def fit(self, data: Interactions) -> Recommender:
        if data.matrix.nnz == 0:
            raise InvalidInput("there are no interactions to learn from", field="train")
        self.data_ = data
        self._fit(data)
        return self

    @abstractmethod
    def _fit(self, data: Interactions) -> None: ...

    @abstractmethod
    def score(self, rows: Sequence[int]) -> Scores:
        """Scores of every item for the given user rows (higher is better)."""

    def item_vectors(self) -> Scores | None:
        """Item representations for similar_items; None uses co-occurrence."""
        return None

    def recommend(
        self, users: Sequence[str], k: int = 10, exclude_seen: bool = True
    ) -> list[Recommendation]:
        """Top-k items per user; items a user already has are never recommended to them."""
        index = self.data_.user_rows()
        missing = [u for u in users if u not in index]
        if missing:
            raise NotFound(f"unknown user {missing[0]!r}", field="user")
        rows = [index[u] for u in users]
        scores = np.asarray(self.score(rows), dtype=np.float32).copy()
        if exclude_seen:
            seen = self.data_.matrix[rows]
            scores[seen.nonzero()] = -np.inf
        best = top_k(scores, k)
        return [
            [
                (self.data_.items[j], float(scores[n, j]))
                for j in best[n]
                if np.isfinite(scores[n, j])
            ]
            for n in range(len(rows))
        ]

    def similar_items(self, items: Sequence[str], k: int = 10) -> list[Recommendation]:
        """Items most like each given item (cosine of item vectors or of co-occurrence)."""
        index = self.data_.item_columns()
        missing = [i for i in items if i not in index]
        if missing:
            raise NotFound(f"unknown item {missing[0]!r}", field="item")
        vectors = self.item_vectors()
        if vectors is None:
            vectors = self.data_.binary().T.toarray().astype(np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        unit = vectors / np.where(norms == 0, 1, norms)
        cols = [index[i] for i in items]
        sims = unit[cols] @ unit.T
        sims[np.arange(len(cols)), cols] = -np.inf
        best = top_k(sims, k)
        return [
            [(self.data_.items[j], float(sims[n, j])) for j in best[n]] for n in range(len(cols))
        ]
