"""Order risk, the pure parts: features, detector, calibrated model, reasons, rules, and the
`borderless risk evaluate` contract with its bad-input rules."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from borderless.capabilities.risk.detector import OrderAnomalyDetector
from borderless.capabilities.risk.evaluate import cross_validate, read_labelled
from borderless.capabilities.risk.features import FEATURE_NAMES, Line, OrderFeatures, OrderRecord
from borderless.capabilities.risk.model import RiskModel
from borderless.capabilities.risk.plots import rule_hits_chart, score_histogram
from borderless.capabilities.risk.reasons import top_reasons
from borderless.capabilities.risk.rules import RuleError, parse_rules
from borderless.errors import InvalidInput

from .conftest import run, shared_data_dir

T0 = datetime(2011, 3, 1, 10, 0)


def _order(oid: str, hours: float, customer: str | None, qty: int = 2, price: float = 5.0,
           country: str = "GB", kind: str = "sale", sku: str = "A") -> OrderRecord:  # fmt: skip
    sign = -1 if kind == "cancellation" else 1
    return OrderRecord(oid, T0 + timedelta(hours=hours), country, customer,
                       (Line(sku, sign * qty, price, 5.0),), kind)  # fmt: skip


def _features(orders: list[OrderRecord], which: OrderRecord) -> dict[str, float]:
    row = OrderFeatures().fit(orders).transform([which])[0]
    return dict(zip(FEATURE_NAMES, row.tolist(), strict=True))


def test_features_use_only_the_history_before_each_order() -> None:
    orders = [_order(f"o{i}", i * 48, "c1") for i in range(5)]
    orders += [_order("cx", 100, "c1", kind="cancellation")]
    big = _order("big", 5 * 48, "c1", qty=40, country="FR")
    orders.append(big)
    f = _features(orders, big)
    assert f["amount"] == 200.0 and f["amount_vs_usual"] == 20.0
    assert (
        f["orders_24h"] == 0 and f["orders_7d"] == 3
    )  # at 96, 144 and 192 h; the order is at 240 h
    assert f["new_customer"] == 0 and f["prior_cancellations"] == 1
    assert f["cancellation_rate"] == pytest.approx(1 / 5)
    assert f["country_differs"] == 1 and f["abroad"] == 1
    assert f["sku_quantity_vs_usual"] == 20.0  # the SKU's median quantity is 2
    first = _features(orders, orders[0])
    assert first["new_customer"] == 1 and first["customer_age_days"] == 0
    assert first["amount_vs_usual"] == 1.0 and first["prior_cancellations"] == 0


def test_a_new_order_with_an_unknown_customer_is_new() -> None:
    orders = [_order(f"o{i}", i, "c1") for i in range(3)]
    new = _order("n", 10, "c-unknown", qty=3)
    guest = _order("g", 10, None)
    f, g = (OrderFeatures().fit(orders).transform([o])[0] for o in (new, guest))
    names = list(FEATURE_NAMES)
    assert f[names.index("new_customer")] == 1 and f[names.index("guest")] == 0
    assert g[names.index("guest")] == 1 and g[names.index("new_customer")] == 0


def _blobs(n: int = 300, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.3).astype(float)
    X = rng.normal(size=(n, 4))
    X[:, 0] += 2.5 * y
    X[:, 1] -= 1.5 * y
    return X, y


def test_detector_ranks_outliers_high_and_explains_them() -> None:
    rng = np.random.default_rng(1)
    X = rng.normal(size=(400, 3))
    odd = np.array([[0.0, 9.0, 0.0]])
    detector = OrderAnomalyDetector().fit(np.vstack([X, odd]))
    assert detector.score(odd)[0] >= 0.99
    assert detector.score(np.zeros((1, 3)))[0] < 0.5
    shares = detector.contributions(odd)[0]
    assert shares.argmax() == 1 and shares.sum() == pytest.approx(1.0)


def test_model_is_calibrated_and_contributions_add_up_to_its_probability() -> None:
    X, y = _blobs()
    model = RiskModel().fit(X, y, ["a", "b", "c", "d"])
    p = model.predict_proba(X)
    contributions = model.contributions(X)
    logit = contributions.sum(axis=1)
    assert np.allclose(1 / (1 + np.exp(-logit)), p, atol=1e-6)
    assert abs(p.mean() - y.mean()) < 0.05  # calibrated: mean probability ~ positive rate
    # the informative features carry the weight
    assert set(np.abs(contributions[:, :-1]).mean(axis=0).argsort()[-2:]) == {0, 1}
    again = RiskModel.from_dict(json.loads(json.dumps(model.to_dict())))
    assert np.allclose(again.predict_proba(X), p)


def test_model_refuses_one_class_and_too_few_examples() -> None:
    X, y = _blobs(30)
    with pytest.raises(InvalidInput, match="one class"):
        RiskModel().fit(X, np.zeros(30))
    y = np.zeros(30)
    y[:2] = 1
    with pytest.raises(InvalidInput, match="at least 3"):
        RiskModel().fit(X, y)


def test_reasons_are_words_for_the_features_that_raised_the_score() -> None:
    names = ["amount", "orders_24h", "hour"]
    reasons = top_reasons(names, [5200.0, 3, 4], [0.9, 0.4, -0.2], {"amount": 300.0})
    assert [r.feature for r in reasons] == ["amount", "orders_24h"]
    assert reasons[0].text == "order value £5,200.00 (a typical order is £300.00)"
    assert reasons[1].text == "3 earlier orders in the last 24 hours"
    # cancellations are invoices of their own: 4 over 2 orders read "200% of the customer's
    # earlier orders cancelled" (a walk)
    twice = top_reasons(["cancellation_rate"], [2.0], [0.5], {})
    assert twice[0].text == "2.0 cancellations per earlier order of the customer"
    half = top_reasons(["cancellation_rate"], [0.5], [0.5], {})
    assert half[0].text == "50% of the customer's earlier orders cancelled"


RULES = """
# comment line
block  if score >= 0.99
review if new_customer == 1 and amount > 1000   # big first orders
review if country in ("us", "CA") and not (orders_24h < 2)
allow  if score < 0.5
"""


def test_rules_first_match_decides_and_dry_run_counts() -> None:
    rules = parse_rules(RULES, FEATURE_NAMES)
    assert [r.line for r in rules.rules] == [3, 4, 5, 6]
    assert rules.decide({"score": 0.995})[0] == "block"
    action, rule = rules.decide({"score": 0.6, "new_customer": 1, "amount": 2000})
    assert action == "review" and rule is not None and rule.number == 2
    assert rules.decide({"score": 0.6, "country": "US", "orders_24h": 3})[0] == "review"
    assert rules.decide({"score": 0.6, "country": "DE", "orders_24h": 3})[0] == "allow"
    orders = [{"score": 0.995, "new_customer": 1, "amount": 5000}, {"score": 0.1}]
    dry = rules.dry_run(orders)
    assert [(d["hits"], d["decides"]) for d in dry] == [(1, 1), (1, 0), (0, 0), (1, 1)]


@pytest.mark.parametrize(
    ("text", "where", "says"),
    [
        ("review if amount >", "line 1, position 19", "expected a number after '>'"),
        ("blok if score > 0.5", "line 1, position 1", "starts with allow, review or block"),
        ("\nreview if amuont > 5", "line 2, position 11", "unknown name 'amuont'"),
        ("review score > 1", "line 1, position 8", "expected 'if'"),
        ("review if score > 1 amount > 2", "line 1, position 21", "join conditions"),
        ("review if (score > 1", "line 1, position 21", "expected ')'"),
        ("review if country > 'US'", "line 1, position 19", "takes ==, != or in"),
        ("review if score > 0.5 $", "line 1, position 23", "unexpected '$'"),
        # Arabic-Indic digits were read as a number (an attack)
        ("block if amount >= \u0662\u0660\u0660\u0660", "line 1, position 20", "unexpected"),
        ("block if score >= 2", "line 1, position 19", "between 0 and 1"),
        # "FRA" hit nothing, without a word (a walk)
        ('review if country == "FRA"', "line 1, position 22", "unknown country code 'FRA'"),
        ('review if country in ("FR", "XY")', "line 1, position 29", "unknown country code"),
    ],  # (rules saved before that check still read: parse_rules without new=True)
)
def test_a_rule_that_does_not_parse_is_refused_with_its_position(
    text: str, where: str, says: str
) -> None:
    with pytest.raises(RuleError) as caught:
        parse_rules(text, FEATURE_NAMES, new=True)
    if "country code" in says:  # rules saved before that check still read
        assert parse_rules(text, FEATURE_NAMES).rules
    assert caught.value.message.startswith(where) and says in caught.value.message
    assert caught.value.field == "text"  # the body field the rules come in


def test_plots_are_svg_with_escaped_labels() -> None:
    svg = score_histogram([0.1, 0.5, 0.97, 0.99], cut=0.97)
    assert svg.startswith("<svg") and svg.count("<rect") == 20 and 'class="cut"' in svg
    lines = rule_hits_chart(["2011-01", "2011-02"], {"1. review if x < 1 & <y>": [3, 5]})
    assert (
        "<polyline" in lines
        and lines.count("<circle") == 2
        and "&lt;y&gt;" in lines
        and "<y>" not in lines
    )
    # the key is HTML under the chart, each label with its colour (it was plot text, no keys)
    assert '<ul class="chart-legend"><li><span class="key" style="background:#b42318">' in lines
    assert 'text-anchor="end" class="tick">2011-02</text>' in lines  # the last tick: not cut
    assert "dashed: sent to review from 0.9700" in svg


# -- `borderless risk evaluate` ---------------------------------------------------------------


def _write(path: Path, header: str, rows: list[str]) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_evaluate_prints_one_json_object(tmp_path: Path) -> None:
    X, y = _blobs(200)
    rows = [",".join(f"{v:.5f}" for v in x) + f",{int(t)}" for x, t in zip(X, y, strict=True)]
    data = _write(tmp_path / "d.csv", "a,b,c,d,fraud", rows)
    result = run("risk", "evaluate", str(data), "--label", "fraud", "--json", env={})
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["n"] == 200 and 0.8 < out["auprc"] <= 1 and 0.8 < out["auroc"] <= 1


@pytest.mark.parametrize(
    ("rows", "label", "column", "says"),
    [
        (["1,2,0", "3,x,1"], "y", "b", "not a number"),
        (["1,2,0", "3,nan,1"], "y", "b", "NaN"),
        (["1,2,0", "3,4,2"], "y", "y", "must be 0 or 1"),
        (["1,2,0", "3,4,"], "y", "y", "is empty"),
        (["1,2,0", "3,4,0"], "y", "y", "one class only"),
        (["1,2,0", "3,4,1"], "label", "label", "no label column"),
    ],
)
def test_evaluate_bad_input_names_the_column_and_exits_2(
    tmp_path: Path, rows: list[str], label: str, column: str, says: str
) -> None:
    data = _write(tmp_path / "bad.csv", "a,b,y", rows)
    with pytest.raises(InvalidInput) as caught:
        cross_validate(read_labelled(data, label), RiskModel, label=label)
    assert caught.value.field == column and says in caught.value.message
    if "line" in caught.value.message:  # the file too (it went unnamed: an attack)
        assert caught.value.message.startswith(f"{data}: line 3: ")
    result = run("risk", "evaluate", str(data), "--label", label, "--json", env={})
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr
    assert repr(column) in result.stderr or says in result.stderr


def test_evaluate_refuses_a_column_twice_and_a_device(tmp_path: Path) -> None:
    """An attack: "f1,f1" was read (the second silently won), and /dev/zero grew without end."""
    twice = _write(tmp_path / "twice.csv", "a,a,y", ["1,2,0", "3,4,1"])
    with pytest.raises(InvalidInput, match="'a' is named twice"):
        read_labelled(twice, "y")
    with pytest.raises(InvalidInput, match="not a regular file"):
        read_labelled(Path("/dev/zero"), "y")


@pytest.mark.slow
def test_evaluate_on_the_card_fraud_subset_beats_logistic_regression() -> None:
    data = shared_data_dir() / "creditcard_fraud_ulb_subset" / "creditcard_subset_1409.csv"
    result = run("risk", "evaluate", str(data), "--label", "Class", "--json", env={})
    out = json.loads(result.stdout)
    assert out["n"] == 1409 and out["auprc"] > 0.967


def test_the_rule_chart_labels_few_months_and_never_two_side_by_side() -> None:
    """Seven month labels ran into each other on a phone, the last on the one before."""
    import itertools
    import re

    from borderless.capabilities.risk.plots import rule_hits_chart

    months = [f"{2010 + (m // 12)}-{m % 12 + 1:02d}" for m in range(14)]
    shown = re.findall(r">(20\d\d-\d\d)<", rule_hits_chart(months, {"1": [1] * 14}))
    assert shown[0] == months[0] and shown[-1] == months[-1] and len(shown) <= 5
    places = [months.index(m) for m in shown]
    assert min(b - a for a, b in itertools.pairwise(places)) >= 2
