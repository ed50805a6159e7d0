"""The recommenders: popularity, item-kNN, EASE, ALS and BPR (implicit), content, and a hybrid."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from borderless.backends.base import Embedder
from borderless.capabilities.recommend.base import Recommendation, Recommender, Scores, top_k
from borderless.capabilities.recommend.interactions import Interactions
from borderless.errors import InvalidInput, NotFound
from borderless.optional import require

__all__ = ["ALS", "BPR", "EASE", "ContentBased", "Hybrid", "ItemKNN", "Popularity"]


class Popularity(Recommender):
    """Most-interacted items first: the baseline every model must beat."""

    name = "popularity"

    def _fit(self, data: Interactions) -> None:
        self.counts_ = np.asarray(data.binary().sum(axis=0)).ravel().astype(np.float32)

    def score(self, rows: Sequence[int]) -> Scores:
        return np.tile(self.counts_, (len(rows), 1))


class ItemKNN(Recommender):
    """Cosine item-item similarity on co-occurrence, keeping each item's `neighbours` nearest."""

    name = "item-knn"

    def __init__(self, neighbours: int = 100) -> None:
        self.neighbours = neighbours

    def _fit(self, data: Interactions) -> None:
        x = data.binary()
        norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=0)).ravel())
        sims = (x.T @ x).toarray().astype(np.float32)
        sims /= np.outer(np.where(norms == 0, 1, norms), np.where(norms == 0, 1, norms))
        np.fill_diagonal(sims, 0)
        if self.neighbours < sims.shape[0]:
            cut = np.partition(sims, -self.neighbours, axis=0)[-self.neighbours]
            sims[sims < cut[None, :]] = 0
        self.similarity_ = sims

    def score(self, rows: Sequence[int]) -> Scores:
        return np.asarray(self.data_.binary()[rows] @ self.similarity_, dtype=np.float32)

    def similar_items(self, items: Sequence[str], k: int = 10) -> list[Recommendation]:
        """From the fitted cosine matrix: the same answer as the base class's (which densifies
        and normalises every item's column per call, about 100 ms on the demo shop; this reads
        one column, under 1 ms), while `k` stays within the `neighbours` kept."""
        if k > self.neighbours:
            return super().similar_items(items, k)
        index = self.data_.item_columns()
        missing = [i for i in items if i not in index]
        if missing:
            raise NotFound(f"unknown item {missing[0]!r}", field="item")
        cols = [index[i] for i in items]
        sims = np.array(self.similarity_[:, cols].T, dtype=np.float32)
        sims[np.arange(len(cols)), cols] = -np.inf
        best = top_k(sims, k)
        return [
            [(self.data_.items[j], float(sims[n, j])) for j in best[n]] for n in range(len(cols))
        ]


class EASE(Recommender):
    """Embarrassingly Shallow Autoencoder (Steck, 2019): a closed-form item-item model."""

    name = "ease"

    def __init__(self, l2: float = 500.0) -> None:
        self.l2 = l2

    def _fit(self, data: Interactions) -> None:
        x = data.binary()
        gram = (x.T @ x).toarray().astype(np.float64)
        gram[np.diag_indices_from(gram)] += self.l2
        inverse = np.linalg.inv(gram)
        weights = -inverse / np.diag(inverse)
        np.fill_diagonal(weights, 0.0)
        self.weights_ = weights.astype(np.float32)

    def score(self, rows: Sequence[int]) -> Scores:
        return np.asarray(self.data_.binary()[rows] @ self.weights_, dtype=np.float32)

    def item_vectors(self) -> Scores:
        vectors: Scores = self.weights_.T
        return vectors


class _Implicit(Recommender):
    """Matrix factorisation from the `implicit` package; user x item factors score."""

    def _model(self) -> Any:
        raise NotImplementedError

    def _fit(self, data: Interactions) -> None:
        # implicit loads its BLAS on import: import it first so that the limit covers it
        # (implicit's own threads clash with BLAS threads).
        feature = f"the {self.name} recommender"
        require("implicit.cpu", "recommend", feature=feature)
        threadpoolctl = require("threadpoolctl", "recommend", feature=feature)
        with threadpoolctl.threadpool_limits(1, "blas"):
            model = self._model()
            model.fit(data.binary(), show_progress=False)
        self.user_factors_ = np.asarray(model.user_factors, dtype=np.float32)
        self.item_factors_ = np.asarray(model.item_factors, dtype=np.float32)

    def score(self, rows: Sequence[int]) -> Scores:
        return self.user_factors_[list(rows)] @ self.item_factors_.T

    def item_vectors(self) -> Scores:
        return self.item_factors_


class ALS(_Implicit):
    """Implicit-feedback ALS (Hu, Koren and Volinsky, 2008) from `implicit`."""

    name = "als"

    def __init__(self, factors: int = 64, regularization: float = 0.05, alpha: float = 10.0,
                 iterations: int = 20, seed: int = 0) -> None:  # fmt: skip
        self.factors, self.regularization, self.alpha = factors, regularization, alpha
        self.iterations, self.seed = iterations, seed

    def _model(self) -> Any:
        als = require("implicit.cpu.als", "recommend", feature="the als recommender")
        return als.AlternatingLeastSquares(
            factors=self.factors, regularization=self.regularization, alpha=self.alpha,
            iterations=self.iterations, random_state=self.seed,
        )  # fmt: skip


class BPR(_Implicit):
    """Bayesian Personalised Ranking (Rendle et al., 2009) from `implicit`."""

    name = "bpr"

    def __init__(self, factors: int = 64, learning_rate: float = 0.05, regularization: float = 0.01,
                 iterations: int = 100, seed: int = 0) -> None:  # fmt: skip
        self.factors, self.learning_rate, self.regularization = (
            factors,
            learning_rate,
            regularization,
        )
        self.iterations, self.seed = iterations, seed

    def _model(self) -> Any:
        bpr = require("implicit.cpu.bpr", "recommend", feature="the bpr recommender")
        return bpr.BayesianPersonalizedRanking(
            factors=self.factors, learning_rate=self.learning_rate,
            regularization=self.regularization, iterations=self.iterations, random_state=self.seed,
        )  # fmt: skip


class ContentBased(Recommender):
    """Items like those a user has, by embeddings of the item texts (works for new items)."""

    name = "content"

    def __init__(self, embedder: Embedder, texts: dict[str, str]) -> None:
        self.embedder = embedder
        self.texts = texts

    def _fit(self, data: Interactions) -> None:
        # Items without a text get a zero vector: content can neither recommend them nor learn
        # from them, which is the truth; a missing text must not stop the whole model.
        known = [n for n, i in enumerate(data.items) if self.texts.get(i, "").strip()]
        if not known:
            raise InvalidInput("no item has a text to embed", field="item")
        vectors = self.embedder.embed_batch([self.texts[data.items[n]] for n in known])
        self.item_vectors_ = np.zeros((len(data.items), vectors.shape[1]), dtype=np.float32)
        self.item_vectors_[known] = vectors
        self.items_without_text_ = len(data.items) - len(known)

    def score(self, rows: Sequence[int]) -> Scores:
        profile = self.data_.binary()[rows] @ self.item_vectors_
        return np.asarray(profile @ self.item_vectors_.T, dtype=np.float32)

    def item_vectors(self) -> Scores:
        return self.item_vectors_


class Hybrid(Recommender):
    """A weighted sum of its members' per-user standardised scores."""

    name = "hybrid"

    def __init__(self, members: Sequence[tuple[Recommender, float]]) -> None:
        self.members = list(members)

    def _fit(self, data: Interactions) -> None:
        for model, _ in self.members:
            model.fit(data)

    def score(self, rows: Sequence[int]) -> Scores:
        total: Scores | None = None
        for model, weight in self.members:
            s = np.asarray(model.score(rows), dtype=np.float32)
            s = (s - s.mean(axis=1, keepdims=True)) / (s.std(axis=1, keepdims=True) + 1e-9)
            total = weight * s if total is None else total + weight * s
        assert total is not None
        return total
