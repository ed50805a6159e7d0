"""A customer's profile: RFM segment, lifetime value and churn risk, interest tags with
reasons; built for every customer at once (the lifetime model is fitted on all of them)."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from borderless.capabilities.catalog.csvfiles import guarded
from borderless.capabilities.profiles.churn import ChurnModel
from borderless.capabilities.profiles.clv import ClvModel, Lifetime
from borderless.capabilities.profiles.interests import Tag, interest_tags, review_tag
from borderless.capabilities.profiles.records import Purchase
from borderless.capabilities.profiles.rfm import Rfm, rfm_scores
from borderless.errors import InvalidInput

__all__ = ["CustomerProfile", "Profiles", "build_profiles", "segments_csv", "with_reviews"]

HORIZON_DAYS = 90


@dataclass(frozen=True)
class CustomerProfile:
    customer_id: str
    rfm: Rfm
    lifetime: Lifetime | None
    churn_risk: float | None  # P(no purchase in the horizon), recalibrated (churn.py)
    tags: list[Tag] = field(default_factory=list)


@dataclass
class Profiles:
    as_of: datetime
    horizon_days: int
    by_customer: dict[str, CustomerProfile]
    model: dict[str, dict[str, float]] = field(default_factory=dict)
    note: str = ""

    def get(self, customer_id: str) -> CustomerProfile | None:
        return self.by_customer.get(customer_id)


def build_profiles(
    purchases: Sequence[Purchase],
    as_of: datetime | None = None,
    *,
    horizon_days: int = HORIZON_DAYS,
    reviews: Mapping[str, Sequence[tuple[str, str]]] | None = None,
    currency: str | None = None,
) -> Profiles:
    """Profiles of every customer with a purchase; `as_of` defaults to the day after the last."""
    if not purchases:
        raise InvalidInput("no purchases to profile customers from", field="orders")
    if horizon_days < 1:
        raise InvalidInput("the horizon is at least one day", field="horizon_days")
    last = max(p.placed_at for p in purchases)
    as_of = as_of or datetime(last.year, last.month, last.day) + timedelta(days=1)
    rfm = rfm_scores(purchases, as_of)
    tags = interest_tags([p for p in purchases if p.placed_at < as_of], reviews, currency)
    lifetimes: dict[str, Lifetime] = {}
    churn: dict[str, float] = {}
    model: dict[str, dict[str, float]] = {}
    note = ""
    try:
        clv = ClvModel().fit(purchases, as_of)
        lifetimes, model = clv.predict(horizon_days), clv.params_
        # every customer with a lifetime has a churn risk (the pages show both or neither):
        # the recalibration never fails, it falls back on the model's own probability
        recalibrated = ChurnModel().fit(purchases, as_of, horizon_days)
        risk = recalibrated.risk(clv, horizon_days)
        churn = {c: round(float(risk[i]), 4) for i, c in enumerate(clv.ids_)}
        note = recalibrated.note_
    except InvalidInput as exc:
        note = f"no lifetime value: {exc.message}"
    found = {}
    for customer, scores in rfm.items():
        found[customer] = CustomerProfile(
            customer, scores, lifetimes.get(customer), churn.get(customer), tags.get(customer, [])
        )
    return Profiles(as_of, horizon_days, found, model, note)


def with_reviews(profiles: Profiles, reviews: Mapping[str, Sequence[tuple[str, str]]]) -> Profiles:
    """`profiles` with each customer's "writes reviews" tag from `reviews` as they are now
    ((language, sentiment) each): a profile built before reviews were scored said "4 reviews,
    0 negative" for a customer with a negative one (a walk). Purchases are not read again."""
    found = {}
    for customer, profile in profiles.by_customer.items():
        said = review_tag(reviews.get(customer, ()))
        tags = [t for t in profile.tags if t.kind != "reviews"] + ([said] if said else [])
        found[customer] = replace(profile, tags=tags)
    return replace(profiles, by_customer=found)


def segments_csv(profiles: Profiles, segment: str | None = None) -> str:
    """One row per customer, for e-mail and ads tools: id, country, language, segment, scores,
    value, churn risk and tags."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["customer_id", "segment", "r", "f", "m", "orders", "order_days", "spend", "recency_days",
         f"expected_purchases_{profiles.horizon_days}d", f"expected_value_{profiles.horizon_days}d",
         "churn_risk", "country", "language", "tags"]
    )  # fmt: skip
    for customer in sorted(profiles.by_customer):
        p = profiles.by_customer[customer]
        if segment and p.rfm.segment != segment:
            continue
        country = next((t.name for t in p.tags if t.kind == "country"), "")
        language = next((t.name for t in p.tags if t.kind == "language"), "")
        themes = [t.name for t in p.tags if t.kind not in {"country", "language"}]
        cells = [customer, p.rfm.segment, p.rfm.r, p.rfm.f, p.rfm.m, p.rfm.orders,
                 p.rfm.order_days, p.rfm.spend,
                 p.rfm.recency_days, p.lifetime.purchases_next if p.lifetime else "",
                 p.lifetime.value_next if p.lifetime else "",
                 p.churn_risk if p.churn_risk is not None else "", country, language,
                 "; ".join(themes)]  # fmt: skip
        writer.writerow([guarded(c) for c in cells])
    return out.getvalue()
