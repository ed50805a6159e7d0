"""RFM: recency, frequency and monetary scores 1-5 (quintiles of the shop's customers) and the
named segments marketers use, from the recency and frequency scores.

Frequency counts days with an order, as the lifetime model does (clv.py), not invoices: in
the demo shop 16000 placed three invoices in three minutes, their first and only visit, and
read as a Champion (F 5) beside a churn risk that saw one purchase.

Ties are broken by rank (first come first), so a shop where most customers ordered once still
gets five frequency groups; the segment map is the common 10-segment R x F grid.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np

from borderless.capabilities.profiles.records import Purchase
from borderless.errors import InvalidInput

__all__ = ["SEGMENTS", "Rfm", "rfm_scores", "segment_named", "segment_of"]

# (pattern over "<R><F>" scores, segment), first match wins.
SEGMENTS: tuple[tuple[str, str], ...] = (
    (r"[1-2][1-2]", "Hibernating"),
    (r"[1-2][3-4]", "At risk"),
    (r"[1-2]5", "Can't lose them"),
    (r"3[1-2]", "About to sleep"),
    (r"33", "Need attention"),
    (r"[3-4][4-5]", "Loyal"),
    (r"41", "Promising"),
    (r"51", "New"),
    (r"[4-5][2-3]", "Potential loyalists"),
    (r"5[4-5]", "Champions"),
)


def segment_named(text: str) -> str:
    """A segment's name as given by a seller, in any case ("loyal"); InvalidInput listing the
    segments otherwise (the API answered an empty file for one there is none of)."""
    names = {name.casefold(): name for _, name in SEGMENTS}
    found = names.get(text.strip().casefold())
    if found is None:
        raise InvalidInput(f"unknown segment {text!r}; one of: {', '.join(sorted(names.values()))}",
                           field="segment")  # fmt: skip
    return found


@dataclass(frozen=True)
class Rfm:
    recency_days: int
    orders: int
    order_days: int  # days with an order: what F scores
    spend: float
    r: int
    f: int
    m: int
    segment: str


def segment_of(r: int, f: int) -> str:
    key = f"{r}{f}"
    return next(name for pattern, name in SEGMENTS if re.fullmatch(pattern, key))


def _quintiles(values: np.ndarray, higher_is_better: bool = True) -> np.ndarray:
    order = np.argsort(values if higher_is_better else -values, kind="stable")
    ranks = np.empty(len(values), dtype=np.int64)
    ranks[order] = np.arange(len(values))
    return (ranks * 5 // max(len(values), 1) + 1).astype(np.int64)


def rfm_scores(purchases: Sequence[Purchase], as_of: datetime) -> dict[str, Rfm]:
    """RFM per customer with at least one purchase before `as_of`."""
    orders: dict[str, set[str]] = defaultdict(set)
    days: dict[str, set[date]] = defaultdict(set)
    last: dict[str, datetime] = {}
    spend: dict[str, float] = defaultdict(float)
    for p in purchases:
        if p.placed_at >= as_of:
            continue
        orders[p.customer_id].add(p.order_id)
        days[p.customer_id].add(p.placed_at.date())
        last[p.customer_id] = max(last.get(p.customer_id, p.placed_at), p.placed_at)
        spend[p.customer_id] += p.value
    ids = sorted(orders)
    if not ids:
        return {}
    recency = np.array([(as_of - last[c]).days for c in ids], dtype=np.float64)
    visits = np.array([len(days[c]) for c in ids], dtype=np.float64)
    money = np.array([spend[c] for c in ids], dtype=np.float64)
    r, f, m = _quintiles(recency, False), _quintiles(visits), _quintiles(money)
    return {
        c: Rfm(int(recency[i]), len(orders[c]), int(visits[i]), round(float(money[i]), 2),
               int(r[i]), int(f[i]), int(m[i]), segment_of(int(r[i]), int(f[i])))
        for i, c in enumerate(ids)
    }  # fmt: skip
