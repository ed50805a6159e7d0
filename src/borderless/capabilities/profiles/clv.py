"""Purchase-based lifetime value and churn risk: Pareto/NBD (how often a customer buys, and
whether they are still a customer) and Gamma-Gamma (how much an order is worth), fitted with
`lifetimes`.

Pareto/NBD over BG/NBD: BG/NBD (its discrete approximation) did not converge on the demo
shop's first 9 months (the dropout parameters run to 0; lifetimes raises ConvergenceError at
every penalizer from 0 to 0.01, and gives NaN at 0.1), Pareto/NBD fits in seconds and predicts
the next 100 days better than the naive rate (benchmarks/RESULTS.md). Churn risk is the
model's probability of no purchase in the horizon given the customer's history, which stays
informative when the fitted dropout is near 0 (P(alive) is then ~1 for everyone).

Why `lifetimes` (0.11.3): it is the reference implementation of both models (Fader, Hardie and
Lee), a small numpy/scipy/pandas package that installs and fits correctly with our pins
(numpy 2.4, scipy 1.17, pandas 3.1; checked on the demo shop, benchmarks/RESULTS.md). Its
successor, PyMC-Marketing's CLV module, needs Python 3.12 from 0.19.3 on (we support 3.11) and
brings PyMC and PyTensor (a C compiler at run time) for the same two models; worth moving to
when the project leaves 3.11. Days are the time unit; several orders on one day count as one
purchase, as the models assume.
"""

from __future__ import annotations

import warnings
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np

from borderless.capabilities.profiles.records import Purchase
from borderless.errors import InvalidInput
from borderless.optional import require

__all__ = ["ClvModel", "Lifetime", "summary"]

# A fitted Pareto/NBD dropout shape below this is no dropout (the demo shop fits 1e-11-1e-7).
NO_DROPOUT = 1e-4


@dataclass(frozen=True)
class Lifetime:
    purchases_next: float  # expected purchases (days with orders) in the horizon
    p_alive: float  # probability the customer still buys from the shop
    p_none: float  # probability of no purchase in the horizon: the churn risk
    value_next: float  # expected spend in the horizon (purchases x expected order value)
    order_value: float  # expected value of one of their orders


def summary(
    purchases: Sequence[Purchase], as_of: datetime
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per customer (ids sorted): repeat purchases, recency and age in days, and the mean
    value of their repeat purchases (0 without repeats), from purchases before `as_of`."""
    days: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    # Calendar days: a purchase on the eve of `as_of` is one day old, never zero (T = 0 breaks
    # the BG/NBD likelihood).
    start = min((p.placed_at for p in purchases), default=as_of).date()
    for p in purchases:
        if p.placed_at < as_of:
            days[p.customer_id][(p.placed_at.date() - start).days] += p.value
    ids = sorted(days)
    end = (as_of.date() - start).days
    frequency, recency, age, value = (np.zeros(len(ids)) for _ in range(4))
    for i, c in enumerate(ids):
        spent = days[c]
        ordered = sorted(spent)
        frequency[i] = len(ordered) - 1
        recency[i] = ordered[-1] - ordered[0]
        age[i] = end - ordered[0]
        repeats = [spent[d] for d in ordered[1:] if spent[d] > 0]
        value[i] = float(np.mean(repeats)) if repeats else 0.0
    return ids, frequency, recency, age, value


class ClvModel:
    """Pareto/NBD + Gamma-Gamma; `fit(purchases, as_of)` then `predict(horizon_days)`."""

    def __init__(self, penalizer: float = 0.001) -> None:
        self.penalizer = penalizer

    def fit(self, purchases: Sequence[Purchase], as_of: datetime) -> ClvModel:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # lifetimes sets a pandas option pandas 3 deprecates
            lifetimes = require("lifetimes", "profiles", feature="lifetime value", field="profiles")
        ids, frequency, recency, age, value = summary(purchases, as_of)
        if len(ids) < 20 or (frequency > 0).sum() < 10:
            raise InvalidInput(
                "lifetime value needs at least 20 customers, 10 of them with repeat purchases",
                field="customers",
            )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pandas deprecations inside lifetimes
            bgf = lifetimes.ParetoNBDFitter(penalizer_coef=self.penalizer)
            try:
                bgf.fit(frequency, recency, age)
            except lifetimes.utils.ConvergenceError as exc:
                raise InvalidInput(
                    "the purchase model did not converge on these orders", field="orders"
                ) from exc
            repeat = (frequency > 0) & (value > 0)
            ggf = lifetimes.GammaGammaFitter(penalizer_coef=self.penalizer)
            ggf.fit(frequency[repeat], value[repeat])
        self.ids_ = ids
        self.own_value_ = _own_order_values(purchases, as_of, ids)
        self.frequency_, self.recency_, self.age_, self.value_ = frequency, recency, age, value
        self.bgf_: Any = bgf
        self.ggf_: Any = ggf
        self.params_ = {
            "pareto_nbd": {k: round(float(v), 4) for k, v in bgf.params_.items()},
            "gamma_gamma": {k: round(float(v), 4) for k, v in ggf.params_.items()},
        }
        return self

    def predict(self, horizon_days: float) -> dict[str, Lifetime]:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            bgf = self.bgf_
            f, r, t = self.frequency_, self.recency_, self.age_
            purchases = np.asarray(
                bgf.conditional_expected_number_of_purchases_up_to_time(horizon_days, f, r, t),
                dtype=np.float64,
            )
            alive = np.asarray(bgf.conditional_probability_alive(f, r, t), dtype=np.float64)
            spend = np.asarray(
                self.ggf_.conditional_expected_average_profit(f, self.value_), dtype=np.float64
            )
        # Numerical edge cases (an extreme fit) give NaN: no prediction rather than a made-up one.
        purchases, alive = np.nan_to_num(purchases, nan=0.0), np.nan_to_num(alive, nan=0.0)
        none = self.p_none(horizon_days)
        # Gamma-Gamma's mean for a customer without repeat orders is p*v/(q-1): negative or
        # infinite when the fitted q <= 1 (the demo sample gave q = 0.66 and -426 expected
        # spend). Such a customer's expected order value is then their own average order.
        usable = np.isfinite(spend) & (spend > 0)
        spend = np.where(usable, spend, self.own_value_)
        return {
            c: Lifetime(
                round(float(purchases[i]), 4),
                round(float(alive[i]), 4),
                round(float(none[i]), 4),
                round(float(purchases[i] * spend[i]), 2),
                round(float(spend[i]), 2),
            )
            for i, c in enumerate(self.ids_)
        }

    def p_none(self, horizon_days: float) -> np.ndarray:
        """Each customer's probability of no purchase in the horizon, in `ids_` order."""
        f, r, t = self.frequency_, self.recency_, self.age_
        params = self.bgf_.params_
        if float(params["s"]) < NO_DROPOUT:
            # No dropout: the NBD's own closed form, the limit of Pareto/NBD's as s -> 0. The
            # fit leaves beta anywhere then (the likelihood is flat in it), and in 1 of some 30
            # fits of the demo shop lifetimes' general formula came out far off (Brier 0.28
            # against 0.22 in the others).
            rate, shape = float(params["alpha"]) + t, float(params["r"]) + f
            return np.asarray((rate / (rate + horizon_days)) ** shape, dtype=np.float64)
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            none = np.asarray(
                self.bgf_.conditional_probability_of_n_purchases_up_to_time(
                    0, horizon_days, f, r, t
                ),
                dtype=np.float64,
            )
        return np.nan_to_num(none, nan=1.0)


def _own_order_values(purchases: Sequence[Purchase], as_of: datetime, ids: list[str]) -> np.ndarray:
    """Each customer's average spend per purchase day before `as_of`, in `ids` order."""
    days: dict[str, dict[object, float]] = defaultdict(lambda: defaultdict(float))
    for p in purchases:
        if p.placed_at < as_of:
            days[p.customer_id][p.placed_at.date()] += p.value
    return np.array([float(np.mean(list(days[c].values()))) for c in ids], dtype=np.float64)
