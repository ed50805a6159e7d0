"""Risk with labels: LightGBM, settings chosen on inner folds, calibrated to a probability.

`fit` tries a few LightGBM settings with stratified inner cross-validation on the training rows
only (AUPRC decides), refits the best on all of them, and fits Platt scaling (a logistic curve)
on the inner folds' out-of-fold margins. Platt is a straight line in log-odds, so LightGBM's
per-feature contributions (`pred_contrib=True`) times its slope are exact contributions to the
calibrated log-odds: the reasons add up to the probability shown. Small, shallow, column-sampled
trees won on the card-fraud subset (benchmarks/RESULTS.md, "Order risk"); LightGBM's defaults
are kept in the grid, so the search can always fall back to them. `n_jobs=1`: on two shared
cores one thread per fit was 10x faster than LightGBM's default threading here (2.5 s vs 25 s
for five folds).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from borderless.errors import InvalidInput
from borderless.optional import require

__all__ = ["DEFAULT_GRID", "RiskModel"]

Array = npt.NDArray[np.float64]

DEFAULT_GRID: tuple[dict[str, Any], ...] = (
    {},  # LightGBM's defaults
    {"n_estimators": 500, "learning_rate": 0.02, "num_leaves": 4, "min_child_samples": 5,
     "colsample_bytree": 0.3, "reg_lambda": 5.0},
    {"n_estimators": 300, "learning_rate": 0.03, "num_leaves": 7, "min_child_samples": 10,
     "subsample": 0.8, "subsample_freq": 1, "colsample_bytree": 0.5},
    {"n_estimators": 800, "learning_rate": 0.01, "max_depth": 3, "num_leaves": 8,
     "min_child_samples": 10, "colsample_bytree": 0.4, "subsample": 0.7, "subsample_freq": 1},
)  # fmt: skip


def _lgb() -> Any:
    return require("lightgbm", "risk", feature="the supervised order-risk model")


def _metrics() -> Any:
    return require("sklearn.metrics", "risk", feature="order-risk evaluation")


def _folds(n_splits: int, seed: int) -> Any:
    selection = require("sklearn.model_selection", "risk", feature="order-risk training")
    return selection.StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)


def check_labels(y: Array, needed: int, field: str = "label") -> None:
    """Two classes with at least `needed` rows each, or a clear InvalidInput."""
    values = set(np.unique(y).tolist())
    if not values <= {0.0, 1.0}:
        raise InvalidInput(f"labels must be 0 or 1, found {sorted(values)[:5]}", field=field)
    if len(values) < 2:
        raise InvalidInput(
            f"labels hold one class only ({int(next(iter(values), 0))}); "
            "a model needs examples of both 0 and 1",
            field=field,
        )
    fewest = int(min((y == 0).sum(), (y == 1).sum()))
    if fewest < needed:
        raise InvalidInput(
            f"only {fewest} example(s) of the rarer label; at least {needed} of each are needed",
            field=field,
        )


class RiskModel:
    """A calibrated LightGBM classifier with per-feature contributions.

    After `fit`, `oof_proba_` holds each training row's calibrated probability from the inner
    fold that did not learn from it (what the review band is chosen on without a validation
    file); `operating_point_` is the band chosen for this version, when one was."""

    operating_point_: dict[str, Any] | None = None

    def __init__(
        self,
        grid: Sequence[Mapping[str, Any]] = DEFAULT_GRID,
        inner_folds: int = 3,
        random_state: int = 0,
        n_jobs: int = 1,
    ) -> None:
        self.grid = grid
        self.inner_folds = inner_folds
        self.random_state = random_state
        self.n_jobs = n_jobs

    def _classifier(self, params: Mapping[str, Any]) -> Any:
        return _lgb().LGBMClassifier(
            random_state=self.random_state, n_jobs=self.n_jobs, verbose=-1, **params
        )

    def fit(self, X: Array, y: Array, feature_names: Sequence[str] | None = None) -> RiskModel:
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        check_labels(y, self.inner_folds)
        self.feature_names_ = list(feature_names or [f"f{i}" for i in range(X.shape[1])])
        folds = _folds(self.inner_folds, self.random_state)
        best: tuple[float, int, Array] | None = None
        self.search_: list[dict[str, Any]] = []
        for i, params in enumerate(self.grid):
            margin = np.zeros(len(y))
            for train, test in folds.split(X, y):
                clf = self._classifier(params).fit(X[train], y[train])
                margin[test] = clf.booster_.predict(X[test], raw_score=True)
            auprc = float(_metrics().average_precision_score(y, margin))
            self.search_.append({"params": dict(params), "inner_auprc": round(auprc, 4)})
            if best is None or auprc > best[0] + 1e-9:
                best = (auprc, i, margin)
        assert best is not None
        self.params_ = dict(self.grid[best[1]])
        self.inner_auprc_ = best[0]
        self.slope_, self.intercept_ = _platt(best[2], y)
        self.oof_proba_ = _sigmoid(self.slope_ * best[2] + self.intercept_)
        self.booster_ = self._classifier(self.params_).fit(X, y).booster_
        return self

    def margin(self, X: Array) -> Array:
        return np.asarray(self.booster_.predict(np.asarray(X, np.float64), raw_score=True))

    def predict_proba(self, X: Array) -> Array:
        """Calibrated probability of the positive label (1 = risky)."""
        return _sigmoid(self.slope_ * self.margin(X) + self.intercept_)

    def contributions(self, X: Array) -> Array:
        """Per-feature contributions to the calibrated log-odds; the last column is the base."""
        raw = np.asarray(self.booster_.predict(np.asarray(X, np.float64), pred_contrib=True))
        out = raw * self.slope_
        out[:, -1] += self.intercept_
        return np.asarray(out, dtype=np.float64)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": "lightgbm+platt",
            "feature_names": self.feature_names_,
            "params": self.params_,
            "inner_auprc": round(self.inner_auprc_, 4),
            "search": self.search_,
            "platt": [self.slope_, self.intercept_],
            "booster": self.booster_.model_to_string(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RiskModel:
        model = cls()
        model.feature_names_ = list(data["feature_names"])
        model.params_ = dict(data["params"])
        model.inner_auprc_ = float(data["inner_auprc"])
        model.search_ = list(data.get("search", []))
        model.slope_, model.intercept_ = (float(v) for v in data["platt"])
        model.booster_ = _lgb().Booster(model_str=data["booster"])
        return model


def _sigmoid(z: Array) -> Array:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -50, 50))), dtype=np.float64)


def _platt(margin: Array, y: Array) -> tuple[float, float]:
    """Slope and intercept of a logistic curve from margins to labels (lightly regularised)."""
    linear = require("sklearn.linear_model", "risk", feature="order-risk calibration")
    fit = linear.LogisticRegression(C=100.0).fit(margin.reshape(-1, 1), y)
    slope, intercept = float(fit.coef_[0][0]), float(fit.intercept_[0])
    if not (math.isfinite(slope) and slope > 0):  # a margin that ranks nothing: stay neutral
        return 1.0, 0.0
    return slope, intercept
