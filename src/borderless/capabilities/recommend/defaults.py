"""The default recommender and the baselines it is measured against.

Settings were chosen on a validation split cut from MovieLens `ua.base` (ten random
interactions per user held out), never on `ua.test` (benchmarks/bench_recommend.py). There,
adding ALS to EASE at any weight tried (0.1 to 0.5) lowered Recall@10, so the default is EASE
alone; `Hybrid` stays available for shops where a blend measures better.
"""

from __future__ import annotations

from borderless.capabilities.recommend.base import Recommender
from borderless.capabilities.recommend.models import ALS, EASE, ItemKNN, Popularity

__all__ = ["baselines", "default_model"]


def default_model() -> Recommender:
    return EASE(l2=500.0)


def baselines() -> list[Recommender]:
    return [Popularity(), ItemKNN(), ALS()]
