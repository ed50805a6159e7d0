"""Measures MS Recommenders users expect, and reading `user,item[,rating,timestamp]` files.

Relevant items are a user's test items; items a user has in train are never recommended; Recall@k
is relevant items in the top k over all relevant items of that user. Catalog coverage is the share
of items recommended to anyone; intra-list diversity is the mean pairwise cosine distance of a
list's items (co-occurrence vectors); novelty is the mean -log2 of an item's train popularity.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from borderless.capabilities.catalog.csvfiles import read_csv
from borderless.capabilities.dates import date_problem, naive_utc
from borderless.capabilities.recommend.base import Recommender
from borderless.capabilities.recommend.interactions import Interactions
from borderless.capabilities.search.metrics import ndcg_at, recall_at
from borderless.errors import BadRow, BadRows, InvalidInput

__all__ = ["average_precision_at", "evaluate_recommender", "read_interactions"]


def read_interactions(path: Path) -> list[tuple[str, str]]:
    """(user, item) pairs from a CSV with columns user,item and optional rating,timestamp.
    Every pair counts as one interaction; a rating or timestamp given is checked all the same
    (nan, inf and "yesterday" passed unread: an attack): a rating 0-10, a timestamp in Unix
    seconds or ISO 8601 within 1970-2100."""
    _, rows = read_csv(path, ["user", "item"])
    bad: list[BadRow] = []
    pairs: list[tuple[str, str]] = []
    for line, row in rows:
        user, item = row["user"].strip(), row["item"].strip()
        if not user:
            bad.append(BadRow(line, "empty user", "user"))
        elif not item:
            bad.append(BadRow(line, "empty item", "item"))
        elif problem := _extra_problem(row.get("rating", ""), row.get("timestamp", "")):
            bad.append(BadRow(line, *problem))
        else:
            pairs.append((user, item))
    if bad:
        raise BadRows(str(path), bad)
    if not pairs:
        raise InvalidInput(f"{path}: no interactions", field=str(path))
    return pairs


def _extra_problem(rating: str, timestamp: str) -> tuple[str, str] | None:
    rating, timestamp = rating.strip(), timestamp.strip()
    if rating and not (
        re.fullmatch(r"[0-9]{1,2}(?:\.[0-9]{1,3})?", rating) and float(rating) <= 10
    ):
        return f"rating {rating[:20]!r} is not a number from 0 to 10", "rating"
    if not timestamp:
        return None
    try:
        when = (
            datetime.fromtimestamp(int(timestamp), UTC).replace(tzinfo=None)
            if re.fullmatch(r"[0-9]{1,10}", timestamp)
            else datetime.fromisoformat(timestamp)
        )
    except (ValueError, OverflowError):
        return f"timestamp {timestamp[:30]!r} is not Unix seconds or an ISO 8601 time", "timestamp"
    if problem := date_problem(naive_utc(when)):
        return f"timestamp {problem}", "timestamp"
    return None


def average_precision_at(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    hits, total = 0, 0.0
    for rank, item in enumerate(ranked[:k], 1):
        if item in relevant:
            hits += 1
            total += hits / rank
    return total / min(len(relevant), k) if relevant else 0.0


def evaluate_recommender(
    model: Recommender, train: Interactions, test: Sequence[tuple[str, str]], k: int = 10
) -> dict[str, float | int | str]:
    """Fit on train, rank for every test user known in train, and average the measures."""
    if k < 1:
        raise InvalidInput("k must be at least 1", field="k")
    model.fit(train)
    known = train.user_rows()
    relevant: dict[str, set[str]] = {}
    for user, item in test:
        if user in known:
            relevant.setdefault(user, set()).add(item)
    if not relevant:
        raise InvalidInput("no test user appears in the training data", field="test")
    users = list(relevant)
    lists: list[list[str]] = []
    for start in range(0, len(users), 256):
        lists += [[i for i, _ in rec] for rec in model.recommend(users[start : start + 256], k)]
    columns = train.item_columns()
    counts = np.asarray(train.binary().sum(axis=0)).ravel()
    vectors = train.binary().T.tocsr().astype(np.float32)
    norms = np.sqrt(np.asarray(vectors.multiply(vectors).sum(axis=1)).ravel())
    diversity, novelty = [], []
    for ranked in lists:
        cols = [columns[i] for i in ranked]
        if len(cols) > 1:
            block = (vectors[cols] @ vectors[cols].T).toarray() / np.outer(norms[cols], norms[cols])
            upper = block[np.triu_indices(len(cols), 1)]
            diversity.append(float(np.mean(1.0 - upper)))
        novelty += [-math.log2(counts[c] / train.matrix.shape[0]) for c in cols]
    n = len(users)
    return {
        "model": model.name,
        f"recall@{k}": round(
            sum(recall_at(r, relevant[u], k) for u, r in zip(users, lists, strict=True)) / n, 4
        ),
        f"ndcg@{k}": round(
            sum(ndcg_at(r, relevant[u], k) for u, r in zip(users, lists, strict=True)) / n, 4
        ),
        f"map@{k}": round(
            sum(average_precision_at(r, relevant[u], k) for u, r in zip(users, lists, strict=True))
            / n,
            4,
        ),
        "coverage": round(len({i for r in lists for i in r}) / len(train.items), 4),
        "diversity": round(float(np.mean(diversity)) if diversity else 0.0, 4),
        "novelty": round(float(np.mean(novelty)) if novelty else 0.0, 4),
        "n_users": n,
    }
