"""The review band, chosen on validation orders against targets a seller can read.

Two edges on the score: orders at or above `block_at` are blocked, those from `review_at` up to
it go to the staff review queue, the rest are allowed. They are picked on decided (validation)
orders, each scored by a model that did not learn from it:

- `block_at`: the lowest edge at which at most `max_false_blocks` of the approved (good)
  validation orders would be blocked, so blocks catch as much fraud as that allows;
- `review_at`: the lowest edge (at most `block_at`) that sends at most `max_review` of the shop's
  orders to review, so review catches as much as the staff can look at; with `min_caught`, the
  highest edge at which review and blocks together still catch that share of the blocked (fraud)
  validation orders, unless that needs more reviews than `max_review` allows: then the review
  budget wins and the result says the recall target was missed.

Review and block rates are shares of `population` (the shop's orders; the validation orders when
none is given), fraud caught and false blocks are shares of the validation orders. The curve
keeps both sides at every edge so the seller sees what a different target would cost.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from borderless.errors import InvalidInput

__all__ = ["HAND_BAND", "BandPoint", "BandTarget", "band_at", "choose_band"]

Array = npt.NDArray[np.float64]
HAND_BAND = (0.97, 0.998)  # review_at, block_at before any band is chosen (the detector's)
_EPS = 1e-12


def _share(value: float | None, name: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidInput(f"{name} must be a number between 0 and 1", field=name)
    if not math.isfinite(value):
        raise InvalidInput(f"{name} is {value}; it must be a finite share between 0 and 1 "
                           "(0.05 = 5%)", field=name)  # fmt: skip
    if not 0.0 <= value <= 1.0:
        raise InvalidInput(f"{name} is {value:g}; it must lie between 0 and 1 (0.05 = 5%, "
                           "at most 100%)", field=name)  # fmt: skip
    return float(value)


@dataclass(frozen=True)
class BandTarget:
    """What the seller asks of the band, as shares (0.05 = 5%)."""

    max_review: float = 0.05  # of the shop's orders sent to review
    max_false_blocks: float = 0.01  # of good orders blocked
    min_caught: float | None = None  # of fraud sent to review or blocked

    def __post_init__(self) -> None:
        _share(self.max_review, "max_review")
        _share(self.max_false_blocks, "max_false_blocks")
        _share(self.min_caught, "min_caught")

    def describe(self) -> str:
        said = [
            f"send at most {100 * self.max_review:g}% of orders to review",
            f"block at most {100 * self.max_false_blocks:g}% of good orders",
        ]
        if self.min_caught is not None:
            said.append(f"catch at least {100 * self.min_caught:g}% of fraud")
        return ", ".join(said)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BandTarget:
        caught = data.get("min_caught")
        return cls(float(data["max_review"]), float(data["max_false_blocks"]),
                   None if caught is None else float(caught))  # fmt: skip


@dataclass(frozen=True)
class BandPoint:
    review_at: float
    block_at: float
    review_rate: float  # of the population, review_at <= score < block_at
    block_rate: float  # of the population, score >= block_at
    caught: float | None  # fraud at or above review_at (None without fraud)
    fraud_blocked: float | None  # fraud at or above block_at
    false_blocks: float | None  # good orders at or above block_at (None without good ones)
    false_blocked: int  # how many good validation orders that is

    def as_dict(self) -> dict[str, Any]:
        return {k: (round(v, 6) if isinstance(v, float) else v) for k, v in asdict(self).items()}


def _arrays(
    scores: Sequence[float] | Array, labels: Sequence[float] | Array
) -> tuple[Array, Array]:
    s = np.asarray(scores, dtype=np.float64)
    y = np.asarray(labels, dtype=np.float64)
    if s.shape != y.shape or s.ndim != 1 or not len(s):
        raise InvalidInput("choosing a band needs one score per decided order", field="validation")
    if not np.isfinite(s).all():
        raise InvalidInput("a validation score is NaN or infinite", field="validation")
    if not set(np.unique(y).tolist()) <= {0.0, 1.0}:
        raise InvalidInput("validation labels must be 0 (approve) or 1 (block)", field="validation")
    return s, y


def _at_or_above(sorted_values: Array, edges: Array) -> Array:
    if not len(sorted_values):
        return np.full(len(edges), np.nan)
    below = np.searchsorted(sorted_values, edges, side="left")
    return np.asarray((len(sorted_values) - below) / len(sorted_values), dtype=np.float64)


def _maybe(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def band_at(
    review_at: float,
    block_at: float,
    scores: Sequence[float] | Array,
    labels: Sequence[float] | Array,
    population: Sequence[float] | Array | None = None,
) -> BandPoint:
    """Both sides of the band with these edges: rates over `population`, fraud caught and false
    blocks over the labelled `scores` (1 = fraud / blocked, 0 = good / approved)."""
    s, y = _arrays(scores, labels)
    pop = np.sort(np.asarray(s if population is None else population, dtype=np.float64))
    fraud, good = np.sort(s[y == 1]), np.sort(s[y == 0])
    edges = np.array([review_at, block_at])
    flagged, blocked = _at_or_above(pop, edges)
    caught, fraud_blocked = _at_or_above(fraud, edges)
    false_blocks = _at_or_above(good, edges[1:])[0]
    return BandPoint(
        float(review_at), float(block_at), float(max(0.0, flagged - blocked)), float(blocked),
        _maybe(caught), _maybe(fraud_blocked), _maybe(false_blocks), int((good >= block_at).sum()),
    )  # fmt: skip


def _edges(values: Array) -> Array:
    """Every edge that changes something: each distinct score, midway to the next one below,
    and one above them all (nothing at or above it)."""
    distinct = np.unique(values)
    mids = (distinct[1:] + distinct[:-1]) / 2
    top = distinct[-1] + max(1e-6, abs(distinct[-1]) * 1e-9)
    return np.concatenate([distinct[:1], mids, [top]])


def choose_band(
    scores: Sequence[float] | Array,
    labels: Sequence[float] | Array,
    target: BandTarget,
    population: Sequence[float] | Array | None = None,
    curve_points: int = 101,
) -> dict[str, Any]:
    """The band's edges chosen against `target` on labelled validation scores (see the module
    docstring); with the target, what was met, the hand band's result and the curve."""
    s, y = _arrays(scores, labels)
    pop = np.sort(np.asarray(s if population is None else population, dtype=np.float64))
    if not np.isfinite(pop).all():
        raise InvalidInput("a score of the shop's orders is NaN or infinite", field="population")
    if not (y == 0).any():
        raise InvalidInput("choosing a band needs approved (good) validation orders",
                           field="validation")  # fmt: skip
    fraud, good = np.sort(s[y == 1]), np.sort(s[y == 0])
    edges = _edges(np.concatenate([s, pop]))
    false_blocks = _at_or_above(good, edges)
    block_i = int(np.argmax(false_blocks <= target.max_false_blocks + _EPS))  # the top edge fits
    block_at = float(edges[block_i])
    below = edges[: block_i + 1]
    review = _at_or_above(pop, below) - _at_or_above(pop, np.array([block_at]))[0]
    within = review <= target.max_review + _EPS  # the block edge itself always is (no review)
    review_i = int(np.argmax(within))
    met = {"max_review": True, "max_false_blocks": True}
    if target.min_caught is not None:
        caught = _at_or_above(fraud, below) if len(fraud) else np.ones(len(below))
        enough = np.flatnonzero(caught >= target.min_caught - _EPS)
        highest = int(enough[-1]) if len(enough) else 0
        met["min_caught"] = highest >= review_i
        if met["min_caught"]:
            review_i = highest
    chosen = band_at(float(below[review_i]), block_at, s, y, pop)
    return {
        "target": target.as_dict(),
        "target_text": target.describe(),
        "met": met,
        "validation": len(s),
        "frauds": len(fraud),
        "population": len(pop),
        "chosen": chosen.as_dict(),
        "hand": band_at(*HAND_BAND, s, y, pop).as_dict(),
        "curve": _curve(s, y, pop, block_at, curve_points),
    }


def _curve(s: Array, y: Array, pop: Array, block_at: float, points: int) -> list[dict[str, Any]]:
    """At each edge t (evenly spaced in 0..1 and at the population's percentiles): the review
    rate and fraud caught with review_at = t (block_at as chosen, or t when above it), and the
    false blocks if t were the block edge."""
    grid = np.unique(np.round(np.concatenate([
        np.linspace(0.0, 1.0, points), np.quantile(pop, np.linspace(0.0, 1.0, points)),
    ]), 4))  # fmt: skip
    fraud, good = np.sort(s[y == 1]), np.sort(s[y == 0])
    out = []
    for t in grid:
        top = max(float(t), block_at)
        flagged, blocked = _at_or_above(pop, np.array([t, top]))
        out.append({
            "threshold": float(t),
            "review_rate": round(float(max(0.0, flagged - blocked)), 6),
            "caught": _maybe(round(float(_at_or_above(fraud, np.array([t]))[0]), 6)),
            "false_blocks": _maybe(round(float(_at_or_above(good, np.array([t]))[0]), 6)),
        })  # fmt: skip
    return out
