"""Customer profiles on the demo shop (UCI Online Retail): lifetime value against a naive rate.

    python benchmarks/bench_profiles.py [--out benchmarks/RESULTS.md]

Fit Pareto/NBD + Gamma-Gamma (and try BG/NBD) on the first 9 months (2010-12-01..2011-08-31),
predict each customer's purchases (days with an order) in the rest (2011-09-01..2011-12-09,
100 days) and compare with what they did: MAE and Spearman rank correlation, against the
naive "same rate as before" (purchases so far / days since their first purchase x 100 days).
Then segment sizes and the time to profile all customers on the whole year (RFM, lifetime
value, tags).

Churn risk (a second section): who bought nothing in the held-out 100 days, ranked (ROC AUC)
and scored (Brier, log loss) by the model's own probability of no purchase, by the
recalibrated churn risk the product shows (profiles/churn.py: fitted on the 100 days before the
split, never on the held-out days), and by days since the last purchase alone. Run at two
splits: 2011-06-01 chose the features, 2011-09-01 is held out.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
from report import emit
from scipy.stats import spearmanr
from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score

from borderless.capabilities.catalog.retail import parse_retail
from borderless.capabilities.profiles.churn import ChurnModel
from borderless.capabilities.profiles.clv import ClvModel, summary
from borderless.capabilities.profiles.profile import build_profiles
from borderless.capabilities.profiles.records import Purchase

DATA = Path("../shared/data/uci_online_retail/online_retail.csv.gz")
SPLIT = datetime(2011, 9, 1)
CHURN_SPLITS = ((datetime(2011, 6, 1), "chose the features"), (SPLIT, "held out"))


def purchases() -> list[Purchase]:
    data = parse_retail(DATA)
    kinds = {p.sku: (p.kind, p.title) for p in data.products}
    languages = {c.id: c.language for c in data.customers}
    found = []
    for order in data.orders:
        if order.kind != "sale" or order.customer_id is None:
            continue
        for line in order.lines:
            kind, title = kinds.get(line.sku, ("merchandise", line.description))
            if kind == "merchandise" and line.quantity > 0:
                found.append(
                    Purchase(order.customer_id, order.id, order.placed_at, line.sku, title,
                             line.quantity, float(line.unit_price), order.country,
                             languages.get(order.customer_id, "en"))
                )  # fmt: skip
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    lines = purchases()
    end = max(p.placed_at for p in lines)
    horizon = (datetime(end.year, end.month, end.day) - SPLIT).days + 1
    model = ClvModel().fit(lines, SPLIT)
    predicted = model.predict(horizon)
    ids, frequency, recency, age, _ = summary(lines, SPLIT)
    actual_days: dict[str, set[object]] = defaultdict(set)
    for p in lines:
        if p.placed_at >= SPLIT:
            actual_days[p.customer_id].add(p.placed_at.date())
    actual = np.array([len(actual_days[c]) for c in ids], dtype=float)
    ours = np.array([predicted[c].purchases_next for c in ids])
    # Naive: the customer's purchase days so far per day since their first, over the horizon.
    naive = (frequency + 1) / np.maximum(age, 1) * horizon
    rows = []
    for name, guess in (("Pareto/NBD (lifetimes)", ours), ("naive: same rate as before", naive)):
        mae = float(np.mean(np.abs(guess - actual)))
        rho = float(spearmanr(guess, actual).statistic)
        rows.append(f"| {name} | {len(ids):,} | {mae:.3f} | {rho:.3f} |")
    try:
        import lifetimes

        bgf = lifetimes.BetaGeoFitter(penalizer_coef=0.001).fit(frequency, recency, age)
        guess = np.asarray(
            bgf.conditional_expected_number_of_purchases_up_to_time(
                horizon, frequency, recency, age
            )
        )
        mae = float(np.mean(np.abs(guess - actual)))
        rho = float(spearmanr(guess, actual).statistic)
        rows.append(f"| BG/NBD (lifetimes) | {len(ids):,} | {mae:.3f} | {rho:.3f} |")
    except lifetimes.utils.ConvergenceError:
        rows.append(
            f"| BG/NBD (lifetimes, penalizer 0.001) | {len(ids):,} | did not converge | - |"
        )
    started = time.perf_counter()
    profiles = build_profiles(lines)
    seconds = time.perf_counter() - started
    sizes = Counter(p.rfm.segment for p in profiles.by_customer.values())
    segments = ", ".join(f"{name} {n:,}" for name, n in sizes.most_common())
    intro = (
        "`python benchmarks/bench_profiles.py --out benchmarks/RESULTS.md`. Calibration: orders "
        f"before {SPLIT.date()} ({len(ids):,} customers); holdout: the next {horizon} days, "
        "purchases = days with an order (sales of merchandise). Mean actual purchases "
        f"{actual.mean():.3f}. Full year: {len(profiles.by_customer):,} customers profiled "
        f"(RFM, Pareto/NBD + Gamma-Gamma, interest tags) in {seconds:.1f} s on 2 cores. Segment "
        f"sizes: {segments}. Fitted parameters: {model.params_}."
    )
    emit("Customer lifetime value", intro, ("model", "customers", "MAE", "Spearman"), rows,
         args.out)  # fmt: skip
    churn_section(lines, args.out)


def churn_section(lines: list[Purchase], out: Path | None) -> None:
    rows = []
    horizon = 100
    for split, role in CHURN_SPLITS:
        model = ClvModel().fit(lines, split)
        bought = {p.customer_id for p in lines if split <= p.placed_at < split + timedelta(horizon)}
        gone = np.array([c not in bought for c in model.ids_])
        recalibrated = ChurnModel().fit(lines, split, horizon)
        silent = model.age_ - model.recency_
        guesses = (
            ("Pareto/NBD: P(no purchase in the horizon)", model.p_none(horizon)),
            ("recalibrated with the silence (shipped)", recalibrated.risk(model, horizon)),
            ("days since the last purchase (rank only)", silent),
        )
        for name, guess in guesses:
            ranked = f"{roc_auc_score(gone, guess):.3f}"
            if name.endswith("(rank only)"):
                brier = loss = "-"
            else:
                p = np.clip(guess, 1e-6, 1 - 1e-6)
                brier, loss = f"{brier_score_loss(gone, p):.4f}", f"{log_loss(gone, p):.4f}"
            rows.append(
                f"| {split.date()} ({role}) | {len(gone):,} | {gone.mean():.3f} | {name} | "
                f"{ranked} | {brier} | {loss} |"
            )
        weights = recalibrated.weights_
        if weights is not None:
            print(split.date(), "weights (intercept, log-odds, silence, first-time):",
                  np.round(weights, 3))  # fmt: skip
    intro = (
        "`python benchmarks/bench_profiles.py --out benchmarks/RESULTS.md`. Demo shop (UCI Online "
        "Retail), customers with a purchase before the split; *no purchase*: the share who bought "
        f"nothing in the next {horizon} days. Churn risk as the model's own probability of no "
        "purchase in the horizon, recalibrated as the product does (a logistic regression on "
        "that probability's log-odds, log(1 + days silent / the customer's usual gap) and a "
        f"first-time flag, fitted on who bought nothing in the {horizon} days before the split, "
        "with the model fitted as of then), and days since the last purchase alone. "
        "2011-06-01 chose the features; 2011-09-01 was run once they were fixed. Lower Brier "
        "and log loss are better."
    )
    emit("Customer churn risk", intro,
         ("split", "customers", "no purchase", "churn risk", "ROC AUC", "Brier", "log loss"),
         rows, out)  # fmt: skip


if __name__ == "__main__":
    main()
