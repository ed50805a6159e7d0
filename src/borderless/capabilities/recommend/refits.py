"""What a recommender refit was fitted on and how well it did, for the model registry.

A refit is named by its data: the same purchases give the same (deterministic) model, so a
restart on unchanged sales finds its version already recorded. Held-out measure: last-basket
leave-out on a sample of customers with at least two orders: each sampled customer's last
order is taken out, the default model is fitted on everything else, and Recall@10 counts the
SKUs of that order the customer had not bought before (those already bought are never
recommended, so they cannot count). Popularity on the same split is the peer beside it.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from typing import Any

from borderless.capabilities.recommend.defaults import default_model
from borderless.capabilities.recommend.evaluate import evaluate_recommender
from borderless.capabilities.recommend.interactions import Interactions
from borderless.capabilities.recommend.models import Popularity
from borderless.errors import InvalidInput

__all__ = ["MODEL", "last_basket_recall", "refit_data", "refit_version"]

# (customer, SKU, order id, ISO time placed), as borderless.storage.sales.purchase_history
Line = tuple[str, str, str, str]
MODEL = {"also_bought": "ItemKNN(neighbours=100)", "picks": "Diversified(EASE(l2=500), 0.8)"}


def refit_data(lines: Sequence[Line]) -> dict[str, Any]:
    """Orders, lines, customers, SKUs, first and last order date and a hash of the lines."""
    digest = hashlib.sha256()
    for line in sorted(lines):
        digest.update("\t".join(line).encode("utf-8") + b"\n")
    dates = [placed[:10] for *_, placed in lines]
    return {
        "file": "orders (shop database)",
        "sha256": digest.hexdigest(),
        "orders": len({order for _, _, order, _ in lines}),
        "rows": len(lines),
        "customers": len({c for c, *_ in lines}),
        "skus": len({s for _, s, *_ in lines}),
        "date_from": min(dates) if dates else None,
        "date_to": max(dates) if dates else None,
    }


def refit_version(data: dict[str, Any]) -> str:
    return f"sales-{str(data['sha256'])[:12]}"


def last_basket_recall(
    lines: Sequence[Line], *, sample: int = 200, k: int = 10, seed: int = 0
) -> dict[str, Any]:
    """Recall@k (and NDCG@k) of the default model on the sampled customers' last baskets, with
    Popularity's beside it; {"customers_tested": 0} when too few customers have two orders."""
    orders: dict[str, dict[str, str]] = {}  # customer -> order id -> placed
    for customer, _, order, placed in lines:
        orders.setdefault(customer, {})[order] = placed
    repeat = sorted(c for c, placed in orders.items() if len(placed) > 1)
    chosen = random.Random(seed).sample(repeat, min(sample, len(repeat)))
    last = {c: max(orders[c], key=lambda o: (orders[c][o], o)) for c in chosen}
    train = [(c, s) for c, s, o, _ in lines if last.get(c) != o]
    before = set(train)
    test = sorted({(c, s) for c, s, o, _ in lines if last.get(c) == o and (c, s) not in before})
    if not test:
        return {"customers_tested": 0, "split": "last basket, none left to test"}
    data = Interactions.from_pairs(train)
    try:
        ours = evaluate_recommender(default_model(), data, test, k)
        peer = evaluate_recommender(Popularity(), data, test, k)
    except InvalidInput:
        return {"customers_tested": 0, "split": "last basket, none left to test"}
    return {
        f"recall@{k}": ours[f"recall@{k}"],
        f"ndcg@{k}": ours[f"ndcg@{k}"],
        f"popularity_recall@{k}": peer[f"recall@{k}"],
        "customers_tested": ours["n_users"],
        "split": f"last basket of {len(chosen)} sampled customers with 2+ orders (seed {seed})",
    }
