"""The shop's recommendations: "also bought" for a product and picks for a customer."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from borderless.capabilities.recommend.base import Recommendation, Recommender
from borderless.capabilities.recommend.defaults import default_model
from borderless.capabilities.recommend.interactions import Interactions
from borderless.capabilities.recommend.models import ItemKNN, Popularity
from borderless.capabilities.recommend.refits import Line

__all__ = ["CustomerPicks", "ShopRecommendations"]


@dataclass(frozen=True)
class CustomerPicks:
    items: Recommendation
    # "purchases": from what they bought; "popular": they have bought nothing yet; "popular in
    # market": nothing yet, the most popular of what sold in their market
    basis: str


@dataclass
class _Models:
    data: Interactions
    personal: Recommender
    together: Recommender
    popular: Recommender


class ShopRecommendations:
    """Fitted on first use (or `warm()`) from `load_history()`: (customer, SKU, order id, time
    placed) per purchase line, read once per fit; `refresh()` refits.

    "Also bought" is item-to-item co-occurrence (cosine), the literal meaning of the phrase;
    picks for a customer come from the default model (EASE, see defaults.py). SKUs for which
    `sellable` says no (out of stock) are left out. After each fit, `on_fitted()` (the model
    registry's record of the refit, given the same lines) names the version now answering
    (`version`). On the demo shop the first fit takes about 20 s, so the service warms it in
    the background at start.
    """

    def __init__(
        self,
        load_history: Callable[[], Sequence[Line]],
        sellable: Callable[[], Callable[[str], bool]] | None = None,
        on_fitted: Callable[[Sequence[Line]], str | None] | None = None,
    ) -> None:
        self._load_history = load_history
        self._sellable = sellable
        self._on_fitted = on_fitted
        self._models: _Models | None = None
        self._lock = threading.Lock()
        self.version: str | None = None

    def refresh(self) -> None:
        with self._lock:
            self._models = None

    def warm(self) -> None:
        """Fit now, so the first page that shows picks does not wait for it."""
        self._ready()

    def _ready(self) -> _Models | None:
        lines: Sequence[Line] = ()
        with self._lock:
            fitted = self._models is None
            if fitted:
                lines = self._load_history()
                if not lines:
                    return None
                data = Interactions.from_pairs([(line[0], line[1]) for line in lines])
                self._models = _Models(
                    data, default_model().fit(data), ItemKNN().fit(data), Popularity().fit(data)
                )
                self.version = None
            models = self._models
        if fitted and self._on_fitted is not None:
            self.version = self._on_fitted(lines)
        return models

    def _keep(self, found: Recommendation, k: int) -> Recommendation:
        ok = self._sellable() if self._sellable else None
        return [(item, score) for item, score in found if ok is None or ok(item)][:k]

    def also_bought(self, sku: str, k: int = 6) -> Recommendation:
        models = self._ready()
        if models is None or sku not in models.data.item_columns():
            return []
        return self._keep(models.together.similar_items([sku], 3 * k)[0], k)

    def for_customer(
        self, customer_id: str, k: int = 10, market: Callable[[], frozenset[str]] | None = None
    ) -> CustomerPicks:
        """Picks from what the customer bought; for one who bought nothing, the most popular
        products, those sold in their `market` (the SKUs sold there, read only for such a
        customer) first where it has at least `k` of them (a Spanish and an Italian customer
        were shown the UK's list: a walk)."""
        models = self._ready()
        if models is None:
            return CustomerPicks([], "popular")
        if customer_id in models.data.user_rows():
            picks = models.personal.recommend([customer_id], 3 * k)[0]
            return CustomerPicks(self._keep(picks, k), "purchases")
        anyone = models.data.users[0]
        sold = market() if market is not None else None
        if sold:
            ranked = models.popular.recommend([anyone], len(models.data.items), exclude_seen=False)
            local = self._keep([(i, s) for i, s in ranked[0] if i in sold], k)
            if len(local) >= k:
                return CustomerPicks(local, "popular in market")
        popular = models.popular.recommend([anyone], 3 * k, exclude_seen=False)[0]
        return CustomerPicks(self._keep(popular, k), "popular")
