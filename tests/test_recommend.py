"""Recommenders: one contract for every model, the measures, and the evaluate command."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from borderless.backends import create_embedder
from borderless.capabilities.recommend import Interactions, Recommender
from borderless.capabilities.recommend.evaluate import average_precision_at, evaluate_recommender
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
from borderless.errors import BadRows, InvalidInput, NotFound

from .conftest import run

# Baskets from the demo shop's world: tea-party people, Christmas people, garden people.
TEA = ["22423", "21212", "22197", "84029G"]
XMAS = ["22086", "85123A", "47566", "23084"]
GARDEN = ["71053", "85099B", "21718", "82552"]
TITLES = {
    "22423": "Regency cakestand 3 tier", "21212": "Pack of 72 retrospot cake cases",
    "22197": "Popcorn holder", "84029G": "Knitted union flag hot water bottle",
    "22086": "Paper chain kit 50's Christmas", "85123A": "White hanging heart T-light holder",
    "47566": "Party bunting", "23084": "Rabbit night light", "71053": "White metal lantern",
    "85099B": "Jumbo bag red retrospot", "21718": "Red metal beach spade",
    "82552": "Washroom metal sign",
}  # fmt: skip


def _shop() -> Interactions:
    rng = np.random.default_rng(0)
    pairs = []
    for group, basket in enumerate((TEA, XMAS, GARDEN)):
        for n in range(12):
            user = f"c{group}-{n}"
            for item in rng.choice(basket, size=3, replace=False):
                pairs.append((user, str(item)))
    return Interactions.from_pairs(pairs)


class RecommenderContract:
    """Every recommender must pass these (subclass and provide `model`)."""

    learns_taste = True

    @pytest.fixture
    def model(self) -> Recommender:
        raise NotImplementedError

    def test_top_k_without_seen_items(self, model: Recommender) -> None:
        data = _shop()
        model.fit(data)
        seen = {i for u, i in zip(*data.matrix.nonzero(), strict=True) if u == 0}
        recs = model.recommend([data.users[0]], k=5)[0]
        assert 0 < len(recs) <= 5
        assert not {i for i, _ in recs} & {data.items[c] for c in seen}
        scores = [s for _, s in recs]
        assert scores == sorted(scores, reverse=True)

    def test_recommends_from_the_same_taste(self, model: Recommender) -> None:
        if not self.learns_taste:
            pytest.skip("this model does not use taste")
        data = _shop()
        model.fit(data)
        tea_people = [u for u in data.users if u.startswith("c0-")]
        hits = sum(recs[0][0] in TEA for recs in model.recommend(tea_people, k=1))
        assert hits >= 0.75 * len(tea_people)

    def test_similar_items(self, model: Recommender) -> None:
        model.fit(_shop())
        similar = model.similar_items(["22423"], k=3)[0]
        assert len(similar) == 3 and all(item != "22423" for item, _ in similar)
        if self.learns_taste:
            assert similar[0][0] in TEA

    def test_unknown_ids_and_empty_data(self, model: Recommender) -> None:
        model.fit(_shop())
        with pytest.raises(NotFound):
            model.recommend(["nobody"])
        with pytest.raises(NotFound):
            model.similar_items(["no-such-item"])
        with pytest.raises(InvalidInput):
            model.fit(Interactions.from_pairs([]))


class TestPopularity(RecommenderContract):
    learns_taste = False

    @pytest.fixture
    def model(self) -> Recommender:
        return Popularity()


class TestItemKNN(RecommenderContract):
    @pytest.fixture
    def model(self) -> Recommender:
        return ItemKNN(neighbours=5)

    def test_similar_items_from_the_fitted_matrix_match_the_general_answer(self) -> None:
        """ItemKNN reads its cosine matrix instead of recomputing every column per call (the
        "also bought" route's cost); within the neighbours kept the answer is the same."""
        rng = np.random.default_rng(4)
        pairs = [(f"u{u}", f"i{i}") for u in range(60) for i in rng.choice(40, 6, replace=False)]
        model = ItemKNN(neighbours=20).fit(Interactions.from_pairs(pairs))
        items = ["i0", "i7", "i33"]
        fast = model.similar_items(items, 10)
        general = Recommender.similar_items(model, items, 10)
        for mine, theirs in zip(fast, general, strict=True):
            assert [s for _, s in mine] == pytest.approx([s for _, s in theirs], abs=1e-5)
            assert {i for i, s in mine if s > 0} <= {i for i, _ in theirs}
        with pytest.raises(NotFound):
            model.similar_items(["nope"], 3)


class TestEASE(RecommenderContract):
    @pytest.fixture
    def model(self) -> Recommender:
        return EASE(l2=10.0)


class TestALS(RecommenderContract):
    @pytest.fixture
    def model(self) -> Recommender:
        return ALS(factors=8, iterations=30, regularization=0.01)


class TestBPR(RecommenderContract):
    learns_taste = False  # BPR needs far more data than 36 baskets to rank well

    @pytest.fixture
    def model(self) -> Recommender:
        return BPR(factors=8, iterations=50)


class TestContentBased(RecommenderContract):
    @pytest.fixture
    def model(self) -> Recommender:
        return ContentBased(create_embedder("use", load_settings()), TITLES)

    def test_recommends_from_the_same_taste(self, model: Recommender) -> None:
        pytest.skip("titles, not baskets, decide what content recommends")

    def test_similar_items(self, model: Recommender) -> None:
        model.fit(_shop())
        similar = [i for i, _ in model.similar_items(["21212"], k=3)[0]]  # retrospot cake cases
        assert "85099B" in similar  # jumbo bag red retrospot


class TestDiversified(RecommenderContract):
    @pytest.fixture
    def model(self) -> Recommender:
        return Diversified(EASE(l2=10.0), balance=0.7, pool=8)

    def test_balance_one_keeps_the_inner_order(self) -> None:
        data = _shop()
        plain = EASE(l2=10.0).fit(data).recommend(data.users[:5], k=4)
        same = Diversified(EASE(l2=10.0), balance=1.0).fit(data).recommend(data.users[:5], k=4)
        assert plain == same
        with pytest.raises(InvalidInput):
            Diversified(EASE(), balance=2.0)


class TestHybrid(RecommenderContract):
    @pytest.fixture
    def model(self) -> Recommender:
        return Hybrid([(EASE(l2=10.0), 1.0), (ItemKNN(neighbours=5), 0.5)])


def test_measures() -> None:
    assert average_precision_at(["a", "x", "b"], {"a", "b"}, 10) == pytest.approx((1 + 2 / 3) / 2)
    assert average_precision_at(["x"], {"a"}, 10) == 0.0
    data = _shop()
    test = [(u, i) for u in data.users[:3] for i in TEA]
    result = evaluate_recommender(Popularity(), data, test, k=3)
    assert set(result) >= {"recall@3", "ndcg@3", "map@3", "coverage", "diversity", "novelty"}
    assert 0 < result["coverage"] <= 1


def _csv(path: Path, rows: list[tuple[str, str]]) -> Path:
    path.write_text("user,item\n" + "".join(f"{u},{i}\n" for u, i in rows), encoding="utf-8")
    return path


def test_evaluate_command_contract(tmp_path: Path) -> None:
    data = _shop()
    pairs = [(data.users[u], data.items[i]) for u, i in zip(*data.matrix.nonzero(), strict=True)]
    train = _csv(tmp_path / "train.csv", pairs)
    test = _csv(tmp_path / "test.csv", [("c0-0", "22423"), ("c1-0", "22086"), ("c2-0", "71053")])
    result = run("recommend", "evaluate", "--train", str(train), "--test", str(test), "--k", "10",
                 "--json", env={"BORDERLESS_DATA_DIR": str(tmp_path)})  # fmt: skip
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert {"model", "recall@10", "ndcg@10", "coverage", "baselines"} <= set(body)
    assert {"popularity", "item-knn", "als"} <= set(body["baselines"])
    for measures in body["baselines"].values():
        assert {"recall@10", "ndcg@10", "coverage"} <= set(measures)
    bad = run("recommend", "evaluate", "--train", str(test), "--test", str(tmp_path / "none.csv"),
              env={"BORDERLESS_DATA_DIR": str(tmp_path)})  # fmt: skip
    assert bad.returncode == 2 and "no such file" in bad.stderr


def test_bad_interaction_files(tmp_path: Path) -> None:
    from borderless.capabilities.recommend.evaluate import read_interactions

    broken = tmp_path / "broken.csv"
    broken.write_text("user,item\nu1,a\n,b\nu2,\n", encoding="utf-8")
    with pytest.raises(BadRows) as caught:
        read_interactions(broken)
    assert [(r.line, r.field) for r in caught.value.rows] == [(3, "user"), (4, "item")]
    # rating and timestamp, when given, are checked (nan, inf and "yesterday" passed unread)
    odd = tmp_path / "odd.csv"
    odd.write_text("user,item,rating,timestamp\nu1,a,4,881250949\nu1,b,nan,\nu2,c,inf,\n"
                   "u2,d,3,yesterday\nu3,e,5,2011-01-01\n", encoding="utf-8")  # fmt: skip
    with pytest.raises(BadRows) as caught:
        read_interactions(odd)
    assert [(r.line, r.field) for r in caught.value.rows] == [
        (3, "rating"), (4, "rating"), (5, "timestamp")]  # fmt: skip
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("customer,sku\nu1,a\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="missing column"):
        read_interactions(wrong)


def test_a_new_customer_is_shown_what_is_popular_in_their_market() -> None:
    """A walk: a Spanish and an Italian customer who had bought nothing were shown the UK's
    most popular products; those sold in their market come first where there are enough."""
    from datetime import datetime

    from borderless.capabilities.recommend.shop import ShopRecommendations

    when = datetime(2011, 12, 1)
    bought = {"A": 5, "B": 3, "C": 2, "D": 1}  # customers per SKU: A the most popular
    lines = [(f"{sku}{n}", sku, f"o{sku}{n}", when) for sku, count in bought.items()
             for n in range(count)]  # fmt: skip
    shop = ShopRecommendations(lambda: lines)
    spain = shop.for_customer("new", 2, lambda: frozenset({"C", "D"}))
    assert [i for i, _ in spain.items] == ["C", "D"] and spain.basis == "popular in market"
    few = shop.for_customer(
        "new", 2, lambda: frozenset({"D"})
    )  # one is not enough: the shop's list
    assert [i for i, _ in few.items] == ["A", "B"] and few.basis == "popular"
    assert shop.for_customer("new", 2).basis == "popular"
