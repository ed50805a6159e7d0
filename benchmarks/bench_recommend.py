"""MovieLens-100k `ua` split: recommenders side by side, with settings chosen on validation.

    python benchmarks/bench_recommend.py [--out benchmarks/RESULTS.md]

1. Validation: ten random interactions per user of `ua.base` are held out (seed 0); EASE's L2
   and the hybrid's ALS weight are chosen there, by Recall@10.
2. Test: every model is fitted on all of `ua.base` and measured on `ua.test` (items seen in
   train excluded, relevant = the user's test items, as in MS Recommenders).
"""

from __future__ import annotations

import argparse
import os
import random
import time
from pathlib import Path

import numpy as np
from report import emit

from borderless.backends import create_embedder
from borderless.capabilities.recommend.evaluate import evaluate_recommender
from borderless.capabilities.recommend.interactions import Interactions
from borderless.capabilities.recommend.models import (
    ALS,
    BPR,
    EASE,
    ContentBased,
    Hybrid,
    ItemKNN,
    Popularity,
)
from borderless.capabilities.recommend.rerank import Diversified
from borderless.config import load_settings

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("BORDERLESS_SHARED_DATA_DIR", ROOT.parent / "shared" / "data"))
ML = DATA / "movielens_100k"


def pairs(name: str) -> list[tuple[str, str]]:
    rows = (line.split("\t") for line in (ML / name).read_text().splitlines())
    return [(user, item) for user, item, *_ in rows]


def validation_split(train: list[tuple[str, str]], per_user: int = 10) -> tuple[list, list]:  # type: ignore[type-arg]
    by_user: dict[str, list[tuple[str, str]]] = {}
    for pair in train:
        by_user.setdefault(pair[0], []).append(pair)
    rng = random.Random(0)
    fit, held = [], []
    for rows in by_user.values():
        rows = rows[:]
        rng.shuffle(rows)
        cut = per_user if len(rows) > 2 * per_user else len(rows) // 4
        held += rows[:cut]
        fit += rows[cut:]
    return fit, held


def movie_titles() -> dict[str, str]:
    text = (ML / "u.item").read_text(encoding="latin-1")
    return {row.split("|")[0]: row.split("|")[1] for row in text.splitlines()}


def per_user_recall(model, data: Interactions, test: list[tuple[str, str]], k: int = 10):  # type: ignore[no-untyped-def]
    relevant: dict[str, set[str]] = {}
    for user, item in test:
        relevant.setdefault(user, set()).add(item)
    users = [u for u in relevant if u in data.user_rows()]
    model.fit(data)
    lists = model.recommend(users, k)
    return np.array(
        [
            len({i for i, _ in r} & relevant[u]) / len(relevant[u])
            for u, r in zip(users, lists, strict=True)
        ]
    )


def paired_bootstrap(a, b, rounds: int = 2000) -> tuple[float, float, float]:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(0)
    diff = a - b
    means = [diff[rng.integers(0, len(diff), len(diff))].mean() for _ in range(rounds)]
    return float(diff.mean()), float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    base, test = pairs("ua.base"), pairs("ua.test")
    fit, held = validation_split(base)
    fit_data = Interactions.from_pairs(fit)
    choices = []
    l2_scores = {}
    for l2 in (250.0, 500.0, 1000.0):
        l2_scores[l2] = evaluate_recommender(EASE(l2=l2), fit_data, held)["recall@10"]
        choices.append(f"EASE l2={l2:g}: {l2_scores[l2]}")
    best_l2 = max(l2_scores, key=lambda l2: l2_scores[l2])
    weights = (0.0, 0.1, 0.2, 0.3, 0.5)
    scored = {
        w: evaluate_recommender(Hybrid([(EASE(l2=best_l2), 1.0), (ALS(), w)]), fit_data, held)[
            "recall@10"
        ]
        for w in weights
    }
    choices += [f"hybrid ALS weight {w:g}: {r}" for w, r in scored.items()]
    best_w = max(weights, key=lambda w: scored[w])
    best_model = Hybrid([(EASE(l2=best_l2), 1.0), (ALS(), best_w)]) if best_w else EASE(l2=best_l2)
    balances = (1.0, 0.9, 0.8, 0.7)
    mmr = {}
    for b in balances:
        inner = Hybrid([(EASE(l2=best_l2), 1.0), (ALS(), best_w)]) if best_w else EASE(l2=best_l2)
        mmr[b] = evaluate_recommender(Diversified(inner, balance=b), fit_data, held)["recall@10"]
    choices += [f"MMR balance {b:g}: {r}" for b, r in mmr.items()]
    best_b = max(balances, key=lambda b: (mmr[b], b))

    data = Interactions.from_pairs(base)
    models = [
        ("peer: popularity", Popularity()),
        ("peer: item-kNN (cosine, 100 neighbours)", ItemKNN()),
        ("peer: EASE (l2=500, as in the peer figure)", EASE(l2=500.0)),
        ("peer: implicit ALS (64 factors)", ALS()),
        ("peer: implicit BPR (64 factors)", BPR()),
        (
            "content (USE embeddings of titles)",
            ContentBased(create_embedder("use", load_settings()), movie_titles()),
        ),
        (
            f"**Borderless default: EASE (l2={best_l2:g}) + {best_w:g} x ALS, MMR {best_b:g}**",
            Diversified(best_model, balance=best_b),
        ),
    ]
    rows = []
    for label, model in models:
        start = time.perf_counter()
        m = evaluate_recommender(model, data, test)
        seconds = time.perf_counter() - start
        rows.append(
            f"| {label} | {m['recall@10']} | {m['ndcg@10']} | {m['map@10']} | {m['coverage']} | "
            f"{m['diversity']} | {m['novelty']} | {seconds:.1f} |"
        )
    ours = per_user_recall(Diversified(best_model, balance=best_b), data, test)
    ease = per_user_recall(EASE(l2=500.0), data, test)
    mean, low, high = paired_bootstrap(ours, ease)
    rows.append(
        f"| default minus peer EASE, Recall@10, paired bootstrap over users | {mean:+.4f} "
        f"(95% CI {low:+.4f} to {high:+.4f}) | | | | | | |"
    )
    emit(
        "Recommendations on MovieLens-100k ua",
        "Command: `python benchmarks/bench_recommend.py`. Train `ua.base` (90,570 ratings), "
        "test `ua.test` (10 per user, 943 users); seen items excluded; top 10. Settings "
        "chosen on a validation split of `ua.base` only: " + "; ".join(choices) + ".",
        ["model", "Recall@10", "nDCG@10", "MAP@10", "coverage", "diversity", "novelty", "seconds"],
        rows,
        args.out,
    )


if __name__ == "__main__":
    main()
