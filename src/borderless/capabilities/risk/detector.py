"""Risk without labels: how unusual an order is, from scikit-learn's IsolationForest and a robust
per-feature deviation, blended.

Why these: IsolationForest is maintained in scikit-learn (already the support extra's
dependency); PyOD's ECOD/COPOD modules import matplotlib at import time and would add six
packages. On the card-fraud subset with labels hidden (benchmarks/RESULTS.md, "Order risk"),
IsolationForest defaults reached AUPRC 0.819-0.849 depending on the seed, the robust deviation
alone 0.883, and the blend sits between them while keeping a tree model's view of combinations
of features; the deviation part also gives every score its reasons (which features are how far
from the shop's usual). Scores are percentiles of the training orders: 0.99 means "more unusual
than 99% of the orders it was fitted on".
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from borderless.errors import InvalidInput
from borderless.optional import require

__all__ = ["METHODS", "OrderAnomalyDetector"]

METHODS = ("blend", "forest", "deviation")
Array = npt.NDArray[np.float64]
CLIP = 10.0  # one absurd value must not outweigh every other feature


class OrderAnomalyDetector:
    """`fit(X)` on unlabelled rows; `score(X)` in 0..1, `contributions(X)` per feature."""

    def __init__(
        self,
        method: str = "blend",
        n_estimators: int = 300,
        random_state: int = 0,
        n_jobs: int = 1,
    ) -> None:
        self.method = method
        self.n_estimators = n_estimators
        self.random_state = random_state
        self.n_jobs = n_jobs

    def fit(self, X: Array) -> OrderAnomalyDetector:
        if self.method not in METHODS:
            raise InvalidInput(
                f"unknown method {self.method!r}; known: {', '.join(METHODS)}", field="method"
            )
        X = np.asarray(X, dtype=np.float64)
        if len(X) < 2:
            raise InvalidInput("the detector needs at least 2 orders to compare", field="orders")
        self.center_ = np.median(X, axis=0)
        iqr = np.percentile(X, 75, axis=0) - np.percentile(X, 25, axis=0)
        std = X.std(axis=0)
        self.scale_ = np.where(iqr > 0, iqr, np.where(std > 0, std, 1.0))
        self.forest_: Any = None
        if self.method != "deviation":
            ensemble = require("sklearn.ensemble", "risk", feature="order risk")
            self.forest_ = ensemble.IsolationForest(
                n_estimators=self.n_estimators, random_state=self.random_state, n_jobs=self.n_jobs
            ).fit(X)
        forest, deviation = self._raw(X)
        self.forest_reference_ = np.sort(forest)
        self.deviation_reference_ = np.sort(deviation)
        return self

    def _deviations(self, X: Array) -> Array:
        return np.minimum(np.abs((X - self.center_) / self.scale_), CLIP)

    def _raw(self, X: Array) -> tuple[Array, Array]:
        deviation = self._deviations(X).sum(axis=1)
        if self.forest_ is None:
            return deviation, deviation
        return -self.forest_.score_samples(X), deviation

    def score(self, X: Array) -> Array:
        """0..1: the share of training orders less unusual than each row."""
        X = np.asarray(X, dtype=np.float64)
        forest, deviation = self._raw(X)
        f = _percentile(self.forest_reference_, forest)
        d = _percentile(self.deviation_reference_, deviation)
        if self.method == "forest":
            return f
        if self.method == "deviation":
            return d
        return (f + d) / 2

    def contributions(self, X: Array) -> Array:
        """Each feature's share of the row's deviation (rows sum to 1; all zero when usual)."""
        parts = self._deviations(np.asarray(X, dtype=np.float64))
        total = parts.sum(axis=1, keepdims=True)
        shares = np.divide(parts, total, out=np.zeros_like(parts), where=total > 0)
        return np.asarray(shares, dtype=np.float64)


def _percentile(reference: Array, values: Array) -> Array:
    ranks = np.searchsorted(reference, values, side="right")
    return np.asarray(ranks / max(1, len(reference)), dtype=np.float64)
