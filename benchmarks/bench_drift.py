"""Drift: German messages injected into an English-trained intent model's traffic; when does the
monitor alert, and how often does it alert on English alone?

    python benchmarks/bench_drift.py [--embedders e5,use|use] [--out FILE]

Model: the intent model trained on Banking77's whole training file (10,003, English) plus the
50 out-of-scope examples it ships with (defaults/oos.csv), as `intents train` trains it.
Streams of 1,000 messages (seed 0), one at a time through the real monitor
(`WatchedClassifier` records confidence, out-of-scope, `foreign_language` and `embedding_drift`
per message; `alerts` reads the recorded samples against THRESHOLDS and the version's own lines:
`foreign_language` alerts above 20% with at least 20 observations, `embedding_drift` above the
line kept with the model at training):
- English only: 1,000 Banking77 test messages in a seeded order;
- drifted: the same stream, but in each block of 100 messages a growing share is replaced by
  German ones: 0% in blocks 1-3, then 10%, 20%, ..., 70% (280 German in all). German: the 10
  German support messages of benchmarks/data/support_messages_14.csv, the German examples of
  defaults/examples.csv, and Tatoeba German sentences (everyday sentences, 4-15 words) for the
  rest; no translation. Tatoeba changes the topic as well as the language, which helps the
  embedding peers; the language signal reads the language only.
Windows: everything since the stream began (the Models page's window when the stream is one
day's traffic) and the last 100 messages.
Peers on the last 100 messages' vectors, checked every 10 messages: Evidently's default
embedding-drift method written out (Evidently 0.7.23 does not import next to pandas 3.1, which
constraints.txt pins: it imports `infer_dtype_from_object`, gone from pandas 3): an SGD
logistic classifier tells 1,000 training vectors from the window's on a 50/50 split, drift when
its ROC AUC exceeds 0.55; and the cosine distance of the window's mean vector to the training
mean, alerting above the largest distance seen on windows of the 2,080 other English test
messages (the threshold chosen on English only).
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from bench_operating_point import DATA, DEFAULTS, banking, clean, default_oos, train_ours
from report import emit

ROOT = Path(__file__).resolve().parent
LENGTH = 1000
BLOCK = 100
SHARES = (0.0, 0.0, 0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7)
WINDOW = 100
EVERY = 10


def german(seed: int, n: int) -> tuple[list[str], int]:
    """`n` German messages in a seeded order, and how many of them are support messages."""
    from borderless.capabilities.language import detect_language

    with (ROOT / "data" / "support_messages_14.csv").open(encoding="utf-8") as f:
        support = [clean(r["text"]) for r in csv.DictReader(f) if r["language"] == "de"]
    with (DEFAULTS / "examples.csv").open(encoding="utf-8") as f:
        examples = [clean(r["text"]) for r in csv.DictReader(f)]
    support += [t for t in examples if detect_language(t, fallback="und").code == "de"]
    path = DATA / "tatoeba_test" / "eng-deu.tatoeba-test-v2021-08-07.deu"
    tatoeba = sorted({clean(t) for t in path.read_text().splitlines() if 4 <= len(t.split()) <= 15})
    rng = random.Random(seed)
    support = list(dict.fromkeys(support))
    chosen = support[:n] + rng.sample(tatoeba, max(0, n - len(support)))
    rng.shuffle(chosen)
    return chosen, min(n, len(support))


def streams(seed: int) -> tuple[list[str], list[str], list[bool], list[str], int]:
    """English-only stream, drifted stream, which messages are German, the other English test
    messages (for the peer's threshold), and how many German support messages were used."""
    rng = random.Random(seed)
    english = [e.text for e in banking("test.csv")]
    rng.shuffle(english)
    stream, rest = english[:LENGTH], english[LENGTH:]
    slots: list[bool] = []
    for share in SHARES:
        block = [True] * round(share * BLOCK) + [False] * (BLOCK - round(share * BLOCK))
        rng.shuffle(block)
        slots += block
    pool, support = german(seed, sum(slots))
    drifted, taken = [], iter(pool)
    for text, is_german in zip(stream, slots, strict=True):
        drifted.append(next(taken) if is_german else text)
    return stream, drifted, slots, rest, support


def watch(model: Any, texts: Sequence[str]) -> list[dict[str, set[str]]]:
    """Per message, the alerting signals over the whole stream so far and the last WINDOW."""
    from borderless.capabilities.lifecycle.monitor import Monitor, Sample, alerts
    from borderless.capabilities.lifecycle.signals import WatchedClassifier

    monitor = Monitor("bench")
    watched = WatchedClassifier(model, monitor, "bench")
    samples: list[Sample] = []
    out = []
    for text in texts:
        watched.predict([text])
        samples += monitor.take(everything=True)
        out.append({
            "all": {a.signal for a in alerts(samples, per_version=monitor.limits)},
            "last 100": {a.signal for a in alerts(samples[-WINDOW:], per_version=monitor.limits)},
        })  # fmt: skip
    return out


def classifier_auc(reference: np.ndarray, current: np.ndarray) -> float:
    """Evidently's ModelDriftMethod: SGD log-loss classifier, 50/50 split, ROC AUC."""
    from sklearn.linear_model import SGDClassifier
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import train_test_split

    x = np.vstack([reference, current])
    y = np.r_[np.ones(len(reference)), np.zeros(len(current))]
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.5, random_state=42,
                                                        shuffle=True)  # fmt: skip
    clf = SGDClassifier(loss="log_loss", random_state=42).fit(x_train, y_train)
    return float(roc_auc_score(y_test, clf.predict_proba(x_test)[:, 1]))


def centroid_distance(centre: np.ndarray, current: np.ndarray) -> float:
    mean = current.mean(axis=0)
    return float(1 - mean @ centre / (np.linalg.norm(mean) * np.linalg.norm(centre)))


def checks(vectors: np.ndarray, score: Callable[[np.ndarray], float]) -> list[tuple[int, float]]:
    """(message number, score) of the last WINDOW messages, every EVERY messages."""
    return [(end, score(vectors[end - WINDOW : end]))
            for end in range(WINDOW, len(vectors) + 1, EVERY)]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--embedders", default="e5,use", help="e5,use (the default) or use")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    started = time.perf_counter()
    train = banking("train.csv")
    english, drifted, is_german, rest, support = streams(args.seed)
    model = train_ours(train + default_oos(), args.embedders)
    print(f"languages {model.languages}", file=sys.stderr)
    rows: list[str] = []
    seen = {"english": watch(model, english), "drifted": watch(model, drifted)}
    other_alerts: dict[str, set[str]] = {k: set() for k in seen}
    for key, per_message in seen.items():
        for state in per_message:
            other_alerts[key] |= (state["all"] | state["last 100"]) - {
                "foreign_language", "embedding_drift"}  # fmt: skip
    flagged = [sum(p.head == "cross-lingual" for p in model.predict(s)) for s in (english, drifted)]
    for window in ("all", "last 100"):
        alerting = ["foreign_language" in s[window] for s in seen["drifted"]]
        false = sum("foreign_language" in s[window] for s in seen["english"])
        rows.append(fire_row(f"monitor `foreign_language` (> 20%, ≥ 20 seen), {window}",
                             alerting, list(range(LENGTH)), is_german, false, LENGTH))  # fmt: skip
    line = model.card["embedding_drift"]
    for window in ("all", "last 100"):
        alerting = ["embedding_drift" in s[window] for s in seen["drifted"]]
        false = sum("embedding_drift" in s[window] for s in seen["english"])
        rows.append(fire_row(f"monitor `embedding_drift` (mean > {line['limit']:.4f}, ≥ "
                             f"{line['window']} seen), {window}", alerting, list(range(LENGTH)),
                             is_german, false, LENGTH))  # fmt: skip
    drift_means = {k: float(np.mean([p.drift for p in model.predict(s)]))
                   for k, s in (("english", english), ("drifted", drifted))}  # fmt: skip
    german_drift = float(np.mean([p.drift for p in model.predict(
        [t for t, g in zip(drifted, is_german, strict=True) if g])]))  # fmt: skip

    rng = np.random.default_rng(args.seed)
    reference_texts = [train[i].text for i in rng.choice(len(train), 1000, replace=False)]
    reference = model.embed(reference_texts)
    centre = model.embed([e.text for e in train]).mean(axis=0)
    vectors = {"english": model.embed(english), "drifted": model.embed(drifted)}
    calibration = checks(model.embed(rest), lambda w: centroid_distance(centre, w))
    limit = max(s for _, s in calibration)
    peers: dict[str, tuple[Callable[[np.ndarray], float], float]] = {
        "Evidently's default embedding drift (classifier ROC AUC > 0.55), last 100": (
            lambda w: classifier_auc(reference, w), 0.55),
        f"centroid cosine distance > {limit:.4f} (max on English windows), last 100": (
            lambda w: centroid_distance(centre, w), limit),
    }  # fmt: skip
    for name, (score, threshold) in peers.items():
        drift_checks = checks(vectors["drifted"], score)
        english_checks = checks(vectors["english"], score)
        false = sum(s > threshold for _, s in english_checks)
        rows.append(fire_row(name, [s > threshold for _, s in drift_checks],
                             [end - 1 for end, _ in drift_checks], is_german, false,
                             len(english_checks)))  # fmt: skip
    minutes = (time.perf_counter() - started) / 60
    emit(
        "Model lifecycle: language and embedding drift (German into an English intent model)",
        f"Model: TF-IDF + {args.embedders.upper().replace(',', ' + ')} intent model trained on "
        "Banking77's 10,003 training messages plus the 50 shipped out-of-scope examples (its "
        f"languages: {', '.join(model.languages)}). Two streams of {LENGTH:,} messages, one at "
        "a time through the real monitor (`WatchedClassifier` + `alerts`, THRESHOLDS as "
        "shipped): English only (Banking77 test messages, seeded order), and the same stream "
        "with German replacing a growing share of each block of 100: 0% in blocks 1-3, then "
        f"10%, 20%, ..., 70% ({sum(is_german)} German: {support} support messages, those of "
        "benchmarks/data/support_messages_14.csv and the German examples of "
        f"defaults/examples.csv, and {sum(is_german) - support} Tatoeba German sentences of "
        "4-15 words, seeded; none translated; the first German is message "
        f"{is_german.index(True) + 1}). Messages sent to "
        f"the cross-lingual head (the `foreign_language` signal): {flagged[0]} of the English "
        f"stream, {flagged[1]} of the drifted one. Other alerts raised anywhere: English "
        f"{sorted(other_alerts['english']) or 'none'}, drifted "
        f"{sorted(other_alerts['drifted']) or 'none'}. The product's `embedding_drift` signal: "
        "each message's 1 - cosine to the training messages' mean vector (the model's own "
        "E5+USE vectors, no extra embedding call), alerting when a version's mean goes above the "
        f"line kept with it at training: the {line['percentile']:g}th percentile of the mean over "
        f"{line['window']}-message windows drawn from the training messages "
        f"({line['limit']:.4f}; training mean {line['training_mean']:.4f}, per message p50 "
        f"{line['per_message']['p50']:.4f}, p99 {line['per_message']['p99']:.4f}); mean per "
        f"message on the English stream {drift_means['english']:.4f}, on the drifted stream "
        f"{drift_means['drifted']:.4f}, on its German messages {german_drift:.4f}. Peers on "
        "the same streams' vectors, "
        f"last {WINDOW} messages checked every {EVERY}: Evidently's default embedding-drift "
        "method written out in scikit-learn (Evidently 0.7.23 installs under constraints.txt "
        "but does not import next to pandas 3.1.1: it imports pandas' removed "
        "`infer_dtype_from_object`), reference 1,000 training messages; and the distance of "
        "the window's mean vector to the training mean, threshold the largest seen on windows "
        "of the other 2,080 English test messages. The Tatoeba sentences change the topic as "
        "well as the language, which helps `embedding_drift` and the embedding peers; "
        f"`foreign_language` reads the language only. Whole run {minutes:.1f} min.\n\n"
        f"Command: `python benchmarks/bench_drift.py --embedders {args.embedders} "
        "--out benchmarks/RESULTS.md`",
        ["detector, window", "first alert at message", "German then",
         "first alert once German began", "German then",
         "false alarms on the English-only stream"],
        rows,
        args.out,
    )  # fmt: skip


def fire_row(name: str, alerting: Sequence[bool], at: Sequence[int], is_german: Sequence[bool],
             false: int, of: int) -> str:  # fmt: skip
    """One detector: its first alert, its first once German began, and its false alarms."""
    start = is_german.index(True)

    def when(fired: int | None) -> str:
        if fired is None:
            return "never | –"
        block = is_german[(fired // BLOCK) * BLOCK : (fired // BLOCK + 1) * BLOCK]
        so_far = sum(is_german[: fired + 1]) / (fired + 1)
        window = is_german[max(0, fired + 1 - WINDOW) : fired + 1]
        return (f"{fired + 1} | {100 * sum(block) / len(block):.0f}% of the block, "
                f"{100 * so_far:.1f}% so far, {100 * sum(window) / len(window):.0f}% of the "
                "last 100")  # fmt: skip

    first = next((i for a, i in zip(alerting, at, strict=True) if a), None)
    after = next((i for a, i in zip(alerting, at, strict=True) if a and i >= start), None)
    unit = "messages alerting" if of == LENGTH else "checks alerting"
    return f"| {name} | {when(first)} | {when(after)} | {false} of {of} {unit} |"


if __name__ == "__main__":
    main()
