"""Customer profiles: RFM segments, lifetime value, tags with reasons, export, CLI and API."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from borderless.capabilities.catalog.retail import RetailImport
from borderless.capabilities.profiles.churn import ChurnModel
from borderless.capabilities.profiles.clv import ClvModel, summary
from borderless.capabilities.profiles.interests import interest_tags
from borderless.capabilities.profiles.profile import build_profiles, segments_csv
from borderless.capabilities.profiles.records import Purchase
from borderless.capabilities.profiles.rfm import rfm_scores, segment_of
from borderless.config import Settings
from borderless.errors import InvalidInput
from borderless.storage import Database
from borderless.storage.imports import save_retail
from borderless.storage.profiles import purchases

from .conftest import run

START = datetime(2011, 1, 1)


def shop(customers: int = 60, seed: int = 0) -> list[Purchase]:
    """Customers who buy at their own rate, some stop; titles from the demo shop's style."""
    rng = np.random.default_rng(seed)
    titles = ["MUG WHITE", "CHRISTMAS BAUBLE SET", "VINTAGE BAG RED", "CAKE STAND"]
    found = []
    for c in range(customers):
        rate = rng.gamma(1.5, 1 / 30)
        stop = rng.integers(30, 365)
        day, order = float(rng.integers(0, 60)), 0
        while day < min(stop, 365):
            order += 1
            for line, title in enumerate(rng.choice(titles, size=2, replace=False)):
                found.append(
                    Purchase(f"C{c}", f"C{c}-{order}", START + timedelta(days=day), f"S{line}",
                             str(title), int(rng.integers(1, 24)), float(rng.uniform(0.5, 9)),
                             "DE" if c % 3 else "GB", "de" if c % 3 else "en")
                )  # fmt: skip
            day += rng.exponential(1 / max(rate, 1e-3))
    return found


def line(customer: str, order: str, when: datetime, title: str, qty: int = 1) -> Purchase:
    return Purchase(customer, order, when, "SKU", title, qty, 2.5, "DE", "de")


def test_rfm_scores_and_named_segments() -> None:
    purchases = [line("old", "o1", datetime(2011, 1, 5), "MUG")]
    purchases += [line("fan", f"f{i}", datetime(2011, 12, 1 + i), "MUG") for i in range(6)]
    purchases += [line(f"x{i}", f"x{i}", datetime(2011, 6, 1 + i), "MUG") for i in range(8)]
    scores = rfm_scores(purchases, datetime(2011, 12, 10))
    assert scores["fan"].r == 5 and scores["fan"].f == 5 and scores["fan"].segment == "Champions"
    assert scores["old"].r == 1 and scores["old"].segment == "Hibernating"
    assert scores["fan"].orders == 6 and scores["fan"].recency_days == 4
    assert segment_of(1, 5) == "Can't lose them" and segment_of(5, 1) == "New"


def test_frequency_counts_days_with_an_order_not_invoices() -> None:
    """16000 in the demo shop: three invoices in three minutes, their only visit, read as a
    Champion (F 5) while the lifetime model saw one purchase."""
    purchases = [line("split", f"s{i}", datetime(2011, 12, 8, 10, i), "MUG") for i in range(3)]
    purchases += [line("fan", f"f{i}", datetime(2011, 12, 1 + i), "MUG") for i in range(3)]
    purchases += [line(f"x{i}", f"x{i}", datetime(2011, 6, 1 + i), "MUG") for i in range(8)]
    scores = rfm_scores(purchases, datetime(2011, 12, 10))
    split, fan = scores["split"], scores["fan"]
    assert (split.orders, split.order_days) == (3, 1) and (fan.orders, fan.order_days) == (3, 3)
    assert fan.f == 5 and fan.segment == "Champions"
    assert split.f < fan.f and split.segment != "Champions"


def test_every_theme_names_its_items() -> None:
    from borderless.capabilities.profiles.interests import ITEMS, THEMES

    assert set(ITEMS) == set(THEMES)


def test_tags_carry_their_reasons() -> None:
    purchases = [
        line("c", f"o{i}", datetime(2011, 11 if i < 11 else 6, 1 + i), "CHRISTMAS TREE DECORATION")
        for i in range(14)
    ] + [line("c", "o99", datetime(2011, 3, 3), "MUG", qty=1)]
    tags = {t.kind: t for t in interest_tags(purchases)["c"]}
    assert tags["theme"].name == "Christmas"
    assert tags["theme"].reason == "bought 14 Christmas items of 15, 11 of them in Q4"
    assert tags["country"].name == "Germany" and tags["language"].name == "German"
    assert tags["season"].reason == "11 of 15 days with an order in Oct-Dec"
    # orders on two December days only: no season seen (17850, 34 orders on 1-2 Dec: a walk)
    burst = [line("b", f"b{i}", datetime(2010, 12, 1 + i % 2, 9, i), "MUG") for i in range(34)]
    assert "season" not in {t.kind for t in interest_tags(burst)["b"]}
    with_reviews = interest_tags(purchases, {"c": [("de", "negative"), ("en", "positive")]})
    written = next(t for t in with_reviews["c"] if t.kind == "reviews")
    assert written.reason == "2 reviews (de, en), 1 negative"
    # prices in the shop's currency: "average item price 2.34" beside "£21,024.01 net spend"
    priced = {t.kind: t for t in interest_tags(purchases, currency="GBP")["c"]}
    assert priced["price"].reason.startswith("average item price £")


def test_lifetime_value_predicts_and_ranks() -> None:
    purchases = shop(200)
    as_of = START + timedelta(days=270)
    model = ClvModel().fit(purchases, as_of)
    predicted = model.predict(95)
    ids, _frequency, recency, age, _ = summary(purchases, as_of)
    assert (recency <= age).all() and (age >= 1).all()
    assert set(predicted) == set(ids)
    later: dict[str, set[object]] = {c: set() for c in ids}
    for p in purchases:
        if p.placed_at >= as_of and p.customer_id in later:
            later[p.customer_id].add(p.placed_at.date())
    guess = np.array([predicted[c].purchases_next for c in ids])
    actual = np.array([len(later[c]) for c in ids])
    assert np.corrcoef(guess, actual)[0, 1] > 0.3  # buyers who keep buying are found
    assert all(0 <= predicted[c].p_none <= 1 and predicted[c].value_next >= 0 for c in ids)
    assert all(predicted[c].order_value > 0 for c in ids)  # never a negative order value
    with pytest.raises(InvalidInput, match="at least 20 customers"):
        ClvModel().fit(purchases[:10], as_of)


def test_churn_risk_counts_a_silence() -> None:
    """Two customers with the same monthly orders, one silent for months since: recalibrated on
    the shop's last horizon (where customers stopped), the silence weighs and the silent one's
    risk is the higher."""
    purchases = shop(200)
    as_of = START + timedelta(days=330)
    monthly = [0, 30, 60, 90, 120, 150, 180, 210]
    for customer, shift in (("SILENT", 0), ("RECENT", 118)):
        purchases += [
            Purchase(customer, f"{customer}-{d}", START + timedelta(days=d + shift), "S1",
                     "MUG WHITE", 6, 2.5, "GB", "en")
            for d in monthly
        ]  # fmt: skip
    model = ClvModel().fit(purchases, as_of)
    churn = ChurnModel().fit(purchases, as_of, 90)
    assert churn.weights_ is not None and churn.weights_[2] > 0  # silence raises the risk
    risk = dict(zip(model.ids_, churn.risk(model, 90), strict=True))
    assert risk["SILENT"] > risk["RECENT"] + 0.05
    assert all(0 < r < 1 for r in risk.values())
    # With no orders a horizon before, the model's own probability is the churn risk.
    young = ChurnModel().fit(purchases, START + timedelta(days=100), 90)
    assert young.weights_ is None and "not recalibrated" in young.note_
    early = ClvModel().fit(purchases, START + timedelta(days=100))
    assert np.array_equal(young.risk(early, 90), early.p_none(90))


def test_profiles_and_segment_export() -> None:
    data = shop(80)
    buyers = len({p.customer_id for p in data})
    profiles = build_profiles(data)
    assert profiles.model["pareto_nbd"] and len(profiles.by_customer) == buyers
    one = profiles.get(data[0].customer_id)
    assert one is not None and one.lifetime is not None and 0 <= (one.churn_risk or 0) <= 1
    rows = list(csv.DictReader(io.StringIO(segments_csv(profiles))))
    assert len(rows) == buyers and {"customer_id", "segment", "churn_risk", "tags"} <= set(rows[0])
    segment = rows[0]["segment"]
    only = list(csv.DictReader(io.StringIO(segments_csv(profiles, segment))))
    assert only and all(r["segment"] == segment for r in only)
    with pytest.raises(InvalidInput):
        build_profiles([])


@pytest.fixture
def retail_db(db: Database, retail_parsed: Callable[[], RetailImport]) -> Database:
    save_retail(db, retail_parsed())
    return db


def test_purchases_from_the_shop(retail_db: Database) -> None:
    found = purchases(retail_db)
    assert found and all(p.quantity > 0 and p.customer_id for p in found)
    buyers = {p.customer_id for p in found}
    assert set(rfm_scores(found, datetime(2011, 1, 1))) == buyers
    # Ten days of real orders fit Gamma-Gamma with q < 1, where its mean for one-order
    # customers turns negative: their own average order stands in.
    model = ClvModel().fit(found, max(p.placed_at for p in found))
    assert model.params_["gamma_gamma"]["q"] < 1
    assert all(v.order_value > 0 and v.value_next >= 0 for v in model.predict(90).values())


def test_a_sale_cancelled_whole_is_no_purchase(db: Database, tmp_path: Path) -> None:
    """Customer 12346 bought 74,215 jars for £77,183.60 and cancelled them the same day: the
    segments page made them a top spender expected to spend £14k (a walk). A partial
    cancellation leaves its order a purchase."""
    from .conftest import save_retail_lines

    jar, heart = "23166,MEDIUM CERAMIC TOP STORAGE JAR", "85123A,HEART"
    rows = [f"541431,{jar},74215,2011-01-18 10:01:00,1.04,12346,United Kingdom",
            f"C541433,{jar},-74215,2011-01-18 10:17:00,1.04,12346,United Kingdom",
            f"541500,{heart},6,2011-01-19 10:00:00,2.55,17850,United Kingdom",
            f"541501,{heart},12,2011-01-19 11:00:00,2.55,17850,United Kingdom",
            f"C541502,{heart},-6,2011-01-20 10:00:00,2.55,17850,United Kingdom",
            # given away: no purchase (13256, "Promising" with a spend of £0.00: a walk)
            f"578841,{heart},12540,2011-11-25 15:57:00,0,13256,United Kingdom"]  # fmt: skip
    save_retail_lines(db, tmp_path, rows)
    assert sorted(p.order_id for p in purchases(db)) == ["541501"]


def test_api_profile(settings: Settings, retail_db: Database) -> None:
    from borderless.service.app import create_app

    customer = purchases(retail_db)[0].customer_id
    with TestClient(create_app(settings)) as client:
        key = {"X-API-Key": "test-key"}
        assert client.get(f"/v1/customers/{customer}/profile").status_code == 401
        profile = client.get(f"/v1/customers/{customer}/profile", headers=key).json()
        assert profile["customer_id"] == customer and profile["segment"]
        assert all(t["reason"] for t in profile["tags"])
        nobody = client.get("/v1/customers/nobody/profile", headers=key)
        assert nobody.status_code == 404 and "no customer with id 'nobody'" in nobody.text
        sizes = client.get("/v1/segments", headers=key).json()
        assert sizes["count"] == len(sizes["data"]) >= 1
        assert sum(s["customers"] for s in sizes["data"]) >= 1
        exported = client.get("/v1/segments/export", headers=key)
        assert exported.headers["content-type"].startswith("text/csv")
        assert customer in exported.text
        # a segment in lower case is found; one there is none of was an empty file, not an error
        segment = profile["segment"]
        one = client.get("/v1/segments/export", params={"segment": segment.lower()}, headers=key)
        assert one.status_code == 200 and customer in one.text
        none = client.get("/v1/segments/export", params={"segment": "Whales"}, headers=key)
        assert none.status_code == 422 and none.json()["field"] == "segment"
        assert "Champions" in none.json()["message"]
        # a review scored after the profiles were built is counted (a walk: "4 reviews (ar),
        # 0 negative" for a customer with a negative one, until the service restarted)
        from sqlalchemy import text

        from borderless.capabilities.reviews.files import ReviewIn
        from borderless.storage.reviews import save_reviews, save_sentiment, unscored_reviews

        with retail_db.engine.connect() as conn:
            sku = conn.execute(text("select sku from products limit 1")).scalar()
        save_reviews(retail_db, [ReviewIn(key="w1", sku=str(sku), text="Broke in a day",
                                          language="en", customer_id=customer)])  # fmt: skip
        save_sentiment(retail_db, [(i, "negative", 0.02, []) for i, _, _ in
                                   unscored_reviews(retail_db)])  # fmt: skip
        again = client.get(f"/v1/customers/{customer}/profile", headers=key).json()
        said = [t["reason"] for t in again["tags"] if t["kind"] == "reviews"]
        assert said == ["1 review (en), 1 negative"], again["tags"]


@pytest.mark.slow  # about 30 s: kept out of the default run's 15 minutes
def test_cli(tmp_path: Path, retail_sample: Path) -> None:
    env = {"BORDERLESS_DATA_DIR": str(tmp_path / "data")}
    assert run("import", "retail", str(retail_sample), env=env).returncode == 0
    out = tmp_path / "all.csv"
    exported = run("profiles", "export", str(out), env=env)
    assert exported.returncode == 0, exported.stderr
    first = next(csv.DictReader(out.open(encoding="utf-8")))
    shown = run("profiles", "show", first["customer_id"], "--json", env=env)
    assert json.loads(shown.stdout)["rfm"]["segment"] == first["segment"]
    bad = run("profiles", "export", str(out), "--segment", "Whales", env=env)
    assert bad.returncode == 2 and "unknown segment" in bad.stderr
