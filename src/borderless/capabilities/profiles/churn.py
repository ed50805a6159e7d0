"""Churn risk: the purchase model's probability of no purchase in the horizon, recalibrated on
the shop's own last horizon with how long each customer has been silent against their usual
gap between orders.

Why: on a year of orders Pareto/NBD's fitted dropout is 0 (the demo shop gives s = 0 at every
penalizer from 0 to 0.001, and on its first 6 and 9 months alike), so P(alive) is 1 for
everyone and the churn risk it gives ignores a silence: a monthly buyer silent 275 days had
28%, as one who ordered two days before. Yet silence tells: in the 100 days after 2011-09-01,
repeat buyers silent for more than four of their own gaps bought nothing in 47% of cases
against 27% predicted, those silent less than one gap in 10% against 19%.

How: fit the purchase model again as of one horizon earlier, see who then bought nothing in
the horizon that followed, and fit a logistic regression (3 features: the model's log-odds of
no purchase, log(1 + silence / usual gap), a first-time-buyer flag) on that outcome; then apply
it to the model fitted on all orders. The coefficients are the shop's own, fitted anew on every
build. Chosen on the demo shop as of 2011-06-01 (features), measured as of 2011-09-01 (held
out; benchmarks/RESULTS.md, "Customer churn risk"). With too little history for the earlier fit,
or no variety in its outcome, the model's own probability is the churn risk.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import numpy as np

from borderless.capabilities.profiles.clv import ClvModel
from borderless.capabilities.profiles.records import Purchase
from borderless.errors import InvalidInput
from borderless.optional import require

__all__ = ["ChurnModel", "churn_features"]


def churn_features(model: ClvModel, horizon_days: float) -> np.ndarray:
    """Per customer (the model's `ids_` order): log-odds of no purchase in the horizon,
    log(1 + days silent / usual gap), and 1 for a customer with one purchase day."""
    none = np.clip(model.p_none(horizon_days), 1e-6, 1 - 1e-6)
    f, r, t = model.frequency_, model.recency_, model.age_
    silent = t - r
    # The usual gap: the mean between purchase days; one purchase day: the customer's age.
    gap = np.where(f > 0, r / np.maximum(f, 1), t)
    return np.column_stack(
        [np.log(none / (1 - none)), np.log1p(silent / np.maximum(gap, 1)), (f == 0).astype(float)]
    )


class ChurnModel:
    """`fit(purchases, as_of, horizon_days)`, then `risk(model)` for a ClvModel fitted as of
    `as_of`. `fit` never raises InvalidInput: `weights_` is then None, the model's own
    probability is used, and `note_` says why."""

    def __init__(self, l2: float = 1e-3) -> None:
        self.l2 = l2
        self.weights_: np.ndarray | None = None
        self.note_ = ""

    def fit(self, purchases: Sequence[Purchase], as_of: datetime, horizon_days: int) -> ChurnModel:
        back = as_of - timedelta(days=horizon_days)
        try:
            earlier = ClvModel().fit(purchases, back)
        except InvalidInput as exc:
            self.note_ = f"churn risk not recalibrated (orders before {back.date()}: {exc.message})"
            return self
        bought = {p.customer_id for p in purchases if back <= p.placed_at < as_of}
        outcome = np.array([c not in bought for c in earlier.ids_], dtype=np.float64)
        if outcome.min() == outcome.max():
            self.note_ = "churn risk not recalibrated (every customer did the same last horizon)"
            return self
        try:
            self.weights_ = _logistic(churn_features(earlier, horizon_days), outcome, self.l2)
        except InvalidInput as exc:  # no optimizer to fit with
            self.note_ = f"churn risk not recalibrated ({exc.message})"
        return self

    def risk(self, model: ClvModel, horizon_days: float) -> np.ndarray:
        """Churn risk per customer of `model` (its `ids_` order)."""
        if self.weights_ is None:
            return model.p_none(horizon_days)
        x = churn_features(model, horizon_days)
        return np.asarray(1 / (1 + np.exp(-(x @ self.weights_[1:] + self.weights_[0]))))


def _logistic(x: np.ndarray, y: np.ndarray, l2: float) -> np.ndarray:
    """Intercept and coefficients of an L2-penalised logistic regression (scipy's L-BFGS)."""
    optimize = require("scipy.optimize", "profiles", feature="churn risk", field="profiles")
    design = np.column_stack([np.ones(len(x)), x])

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = design @ w
        # log(1 + e^z) - y z, averaged; its gradient; the intercept is not penalised.
        value = float(np.mean(np.logaddexp(0, z) - y * z) + l2 * np.sum(w[1:] ** 2))
        grad = design.T @ (1 / (1 + np.exp(-z)) - y) / len(y)
        grad[1:] += 2 * l2 * w[1:]
        return value, grad

    found = optimize.minimize(loss, np.zeros(design.shape[1]), jac=True, method="L-BFGS-B")
    return np.asarray(found.x, dtype=np.float64)
