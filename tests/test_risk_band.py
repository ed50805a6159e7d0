"""The review band is chosen on validation orders against the seller's target: known edges on a
small synthetic scored set, targets that conflict, bad targets refused naming the field (exit 2
in the CLI), and a trained version that carries its band into the registry and the rules."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from borderless.capabilities.risk.band import HAND_BAND, BandTarget, band_at, choose_band
from borderless.capabilities.risk.features import FEATURE_NAMES
from borderless.capabilities.risk.rules import DEFAULT_RULES, parse_rules
from borderless.config import Settings
from borderless.errors import InvalidInput
from borderless.storage.registry import list_versions
from borderless.storage.risk import RiskDesk
from borderless.wiring import Services

from .conftest import fake_env, run, write_csv
from .test_lifecycle_models import shop  # noqa: F401 (a fixture)
from .test_risk_service import decide_by_size

# 100 good orders at 0.00, 0.01, ..., 0.99 and 10 frauds: five plain, five far above the rest.
GOOD = [i / 100 for i in range(100)]
FRAUD = [0.5, 0.6, 0.7, 0.8, 0.9, 0.995, 0.996, 0.997, 0.998, 0.999]
SCORES = GOOD + FRAUD
LABELS = [0] * len(GOOD) + [1] * len(FRAUD)


def test_band_edges_are_the_ones_the_targets_ask_for() -> None:
    found = choose_band(SCORES, LABELS, BandTarget(max_review=0.10, max_false_blocks=0.02))
    chosen = found["chosen"]
    # Blocking 0.98 and 0.99 is 2% of good orders; 0.97 too would be 3%.
    assert chosen["block_at"] == pytest.approx(0.975)
    assert chosen["false_blocks"] == pytest.approx(0.02) and chosen["false_blocked"] == 2
    # Below it, the 11 highest orders (0.88 .. 0.97 and the fraud at 0.9) are 10% of 110.
    assert chosen["review_at"] == pytest.approx(0.875)
    assert chosen["review_rate"] == pytest.approx(11 / 110)
    assert chosen["caught"] == pytest.approx(0.6) and chosen["fraud_blocked"] == pytest.approx(0.5)
    assert found["met"] == {"max_review": True, "max_false_blocks": True}
    assert found["target_text"] == (
        "send at most 10% of orders to review, block at most 2% of good orders"
    )
    assert found["validation"] == 110 and found["frauds"] == 10
    # The curve holds both sides at every edge, with the chosen block edge in force.
    at = {round(p["threshold"], 2): p for p in found["curve"]}
    assert at[0.9]["caught"] == pytest.approx(0.6) and at[0.9]["false_blocks"] == pytest.approx(0.1)
    assert found["hand"]["review_at"] == HAND_BAND[0]


def test_recall_target_within_the_budget_and_beyond_it() -> None:
    # Blocks alone catch half the fraud: the fewest reviews that meet 50% is none.
    half = choose_band(SCORES, LABELS, BandTarget(0.10, 0.02, min_caught=0.5))["chosen"]
    assert half["review_at"] == half["block_at"] and half["review_rate"] == 0.0
    # 80% needs every order from 0.7 up in review (31 of 110): over a 10% budget, the budget wins.
    over = choose_band(SCORES, LABELS, BandTarget(0.10, 0.02, min_caught=0.8))
    assert over["chosen"]["review_at"] == pytest.approx(0.875)
    assert over["met"]["min_caught"] is False
    fits = choose_band(SCORES, LABELS, BandTarget(0.30, 0.02, min_caught=0.8))
    assert fits["chosen"]["review_at"] == pytest.approx(0.695)
    assert fits["chosen"]["caught"] == pytest.approx(0.8) and fits["met"]["min_caught"] is True


def test_rates_come_from_the_population_when_one_is_given() -> None:
    population = [i / 1000 for i in range(1000)]  # the shop's orders, evenly spread
    chosen = choose_band(SCORES, LABELS, BandTarget(0.05, 0.02), population)["chosen"]
    assert chosen["review_rate"] <= 0.05 and chosen["review_rate"] == pytest.approx(0.05, abs=0.002)
    point = band_at(0.5, 0.9, SCORES, LABELS, population)
    assert point.review_rate == pytest.approx(0.4) and point.block_rate == pytest.approx(0.1)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"max_review": -0.1}, "max_review"),
        ({"max_review": 1.5}, "max_review"),
        ({"max_review": math.nan}, "max_review"),
        ({"max_false_blocks": math.inf}, "max_false_blocks"),
        ({"max_false_blocks": -1e-9}, "max_false_blocks"),
        ({"min_caught": 2.0}, "min_caught"),
        ({"min_caught": -math.inf}, "min_caught"),
    ],
)
def test_bad_targets_are_refused_naming_the_field(kwargs: dict[str, float], field: str) -> None:
    with pytest.raises(InvalidInput, match=field) as caught:
        BandTarget(**kwargs)
    assert caught.value.field == field


def test_a_band_needs_good_orders_and_finite_scores() -> None:
    with pytest.raises(InvalidInput, match="approved"):
        choose_band([0.9, 0.8], [1, 1], BandTarget())
    with pytest.raises(InvalidInput, match="NaN"):
        choose_band([0.9, math.nan], [1, 0], BandTarget())


def test_rules_read_the_band_edges() -> None:
    rules = parse_rules(DEFAULT_RULES, FEATURE_NAMES)
    band = {"review_at": 0.4, "block_at": 0.8}
    assert rules.decide({"score": 0.5, **band})[0] == "review"
    assert rules.decide({"score": 0.85, **band})[0] == "block"
    assert rules.decide({"score": 0.3, **band})[0] == "allow"
    assert rules.decide({"score": 0.98})[0] == "review"  # no band given: the hand one
    with pytest.raises(InvalidInput, match="expected a number"):
        parse_rules("review if score >= nowhere\n", FEATURE_NAMES)


@pytest.mark.slow  # about 35 s: kept out of the default run's 15 minutes
def test_cli_train_chooses_stores_and_uses_the_band(
    sqlite_services: Services,
    shop: object,  # noqa: F811
    sqlite_settings: Settings,
    tmp_path: Path,
) -> None:
    env = fake_env(sqlite_settings.data_dir, database_url=sqlite_settings.database_url)
    desk = RiskDesk(sqlite_services.db, sqlite_services.risk)
    decided = decide_by_size(desk, skip=("500010", "500030", "500001", "500002", "500007"))
    for value in ("-0.1", "1.5", "nan", "inf"):
        done = run("risk", "train", "--max-review", value, env=env)
        assert done.returncode == 2 and "max_review" in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
    done = run("risk", "train", "--min-caught", "nan", env=env)
    assert done.returncode == 2 and "min_caught" in done.stderr
    assert not list_versions(sqlite_services.db, "risk")  # nothing trained on a bad target

    done = run("risk", "train", "--max-review", "0.1", "--max-false-blocks", "0", "--json", env=env)
    assert done.returncode == 0, done.stderr
    card = json.loads(done.stdout)
    point = card["operating_point"]
    assert point["target"]["max_review"] == 0.1 and point["chosen_on"] == "out-of-fold decisions"
    assert point["validation"] == decided and point["chosen"]["false_blocks"] == 0.0
    assert point["chosen"]["review_rate"] <= 0.1 and point["population"] == 62
    (version,) = list_versions(sqlite_services.db, "risk")
    assert version.parameters["operating_target"].startswith("send at most 10% of orders")
    assert float(version.parameters["block_at"]) == point["chosen"]["block_at"]
    assert "validation_review_rate" in version.metrics

    # The running service scores with the version and its band; the default rules read it.
    sqlite_services.risk.use(1)
    assert sqlite_services.risk.band() == (
        point["chosen"]["review_at"],
        point["chosen"]["block_at"],
    )
    scored = desk.score_all()
    assert scored["source"] == "model v1"
    assert sqlite_services.risk.target().max_review == 0.1  # the next training keeps the target

    # Validation decisions are held out of training and choose the band.
    rows = [("500010", "block"), ("500001", "approve"), ("500002", "approve")]
    held = write_csv(tmp_path / "held.csv", rows, header=("order_id", "decision"))
    desk.decide("500030", "block")
    desk.decide("500007", "approve")
    done = run("risk", "train", "--validation", str(held), "--json", env=env)
    assert done.returncode == 0, done.stderr
    second = json.loads(done.stdout)
    assert second["operating_point"]["chosen_on"] == "validation decisions"
    assert second["operating_point"]["validation"] == 3 and second["labels"] == decided + 2
    assert second["operating_point"]["target"]["max_review"] == 0.1


def test_risk_page_shows_the_band_and_its_curve(
    sqlite_services: Services,
    shop: object,  # noqa: F811
    sqlite_settings: Settings,
) -> None:
    from fastapi.testclient import TestClient

    from borderless.service import create_app

    from .conftest import post_form

    with TestClient(create_app(sqlite_settings)) as client:
        post_form(client, "/login", {"key": "test-key"})
        # too few decisions: said on the queue page beside the button (it showed the rules
        # page, at /risk/train: a walk)
        early = post_form(client, "/risk/train", follow_redirects=False)
        assert early.status_code == 422 and 'id="train-error"' in early.text
        assert 'id="train"' in early.text
    decide_by_size(RiskDesk(sqlite_services.db, sqlite_services.risk))
    with TestClient(create_app(sqlite_settings)) as client:
        post_form(client, "/login", {"key": "test-key"})
        assert post_form(client, "/risk/train", follow_redirects=False).status_code == 303
        page = client.get("/risk")
    assert page.status_code == 200 and 'id="risk-band"' in page.text
    assert "Review band of model v1" in page.text and "send at most 5% of orders" in page.text
    assert "Review band trade-off" in page.text and "fraud caught" in page.text
