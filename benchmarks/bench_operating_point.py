"""The intent model's out-of-scope operating point on Banking77 plus an out-of-domain set.

    python benchmarks/bench_operating_point.py [--embedders e5,use|use] [--out FILE]

Data (seed 0):
- in scope: Banking77. Its training file (10,003) is split into 9,003 training and 1,000
  validation messages (random); the test file (3,080) is only scored.
- out of scope, from other domains in ../shared/data: 400 each of Amazon phone reviews, Yelp
  restaurant reviews and IMDb movie reviews (uci_sentiment_labelled_sentences), 400 English
  FLORES-200 devtest sentences (news, wiki) and 400 WANDS furniture-shop queries; each source
  is halved, 200 to validation and 200 to test (1,000 + 1,000).
- training file: the 9,003 Banking77 messages plus the 50 out-of-scope examples the default
  model ships with (src/borderless/capabilities/support/defaults/oos.csv): training needs
  `oos` examples to pick a threshold at all, and a seller starts from these.

Ours: `train_intents` as `borderless intents train` runs it (its default threshold, chosen
inside training), then `set_operating_point` on the validation file against "within 1 point
of rejecting nothing", as `intents train --validation VALID.csv --max-accuracy-loss 0.01`.
Peer, same run and files: word 1-2-gram + char 2-5-gram TF-IDF and a logistic regression,
rejecting below a maximum probability chosen on the same validation file by the same rule.
Both are scored on the 3,080 Banking77 test messages plus the 1,000 out-of-scope test ones.
Vectors are cached by text in benchmarks/out/lifecycle_vectors.sqlite.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from report import emit

from borderless.backends.base import Embedder
from borderless.capabilities.lifecycle.operating import OperatingPoint, choose_threshold
from borderless.capabilities.support.examples import LabelledText
from borderless.capabilities.support.intents import IntentModel

ROOT = Path(__file__).resolve().parent
DATA = ROOT.parent.parent / "shared" / "data"
DEFAULTS = ROOT.parent / "src" / "borderless" / "capabilities" / "support" / "defaults"
CACHE = ROOT / "out" / "lifecycle_vectors.sqlite"
PER_SOURCE = 400
VALIDATION = 1000
GRID = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def clean(text: str) -> str:
    return " ".join(text.split())


def banking(name: str) -> list[LabelledText]:
    with (DATA / "banking77" / name).open(encoding="utf-8") as f:
        return [LabelledText(clean(r["text"]), r["category"]) for r in csv.DictReader(f)]


def out_of_domain(seed: int) -> dict[str, list[str]]:
    """PER_SOURCE texts from each source, seeded, deduplicated."""
    uci = DATA / "uci_sentiment_labelled_sentences"
    sources: dict[str, list[str]] = {}
    for name, file in (("Amazon reviews", "amazon_cells_labelled.txt"),
                       ("Yelp reviews", "yelp_labelled.txt"),
                       ("IMDb reviews", "imdb_labelled.txt")):  # fmt: skip
        lines = (uci / file).read_text(encoding="utf-8").splitlines()
        sources[name] = [clean(line.rsplit("\t", 1)[0]) for line in lines if "\t" in line]
    sources["FLORES-200 news/wiki"] = [
        clean(line)
        for line in (DATA / "flores200_devtest" / "eng_Latn.devtest").read_text().splitlines()
    ]
    with (DATA / "wands_queries_only" / "query.csv").open(encoding="utf-8") as f:
        sources["WANDS furniture queries"] = [
            clean(r["query"]) for r in csv.DictReader(f, delimiter="\t")
        ]
    rng = random.Random(seed)
    return {
        name: rng.sample(sorted({t for t in texts if t}), PER_SOURCE)
        for name, texts in sources.items()
    }


def default_oos() -> list[LabelledText]:
    with (DEFAULTS / "oos.csv").open(encoding="utf-8") as f:
        return [LabelledText(clean(r["text"]), r["label"]) for r in csv.DictReader(f)]


def embedders(spec: str) -> list[Embedder]:
    from borderless.backends.cache import CachedEmbedder
    from borderless.backends.local.e5 import E5Embedder
    from borderless.backends.local.use import UseEmbedder

    made: dict[str, Embedder] = {"e5": E5Embedder(), "use": UseEmbedder(threads=2)}
    return [CachedEmbedder(made[name], CACHE) for name in spec.split(",")]


@dataclass
class Split:
    train: list[LabelledText]
    validation: list[LabelledText]
    test: list[LabelledText]
    test_sources: list[str]  # per test message: "Banking77" or the out-of-scope source


def split(seed: int) -> Split:
    rng = random.Random(seed)
    train = banking("train.csv")
    rng.shuffle(train)
    oos = out_of_domain(seed)
    half = PER_SOURCE // 2
    validation = train[:VALIDATION] + [
        LabelledText(t, "oos") for texts in oos.values() for t in texts[:half]
    ]
    test = banking("test.csv")
    sources = ["Banking77"] * len(test)
    for name, texts in oos.items():
        test += [LabelledText(t, "oos") for t in texts[half:]]
        sources += [name] * (len(texts) - half)
    return Split(train[VALIDATION:] + default_oos(), validation, test, sources)


def scored(
    top: Sequence[str],
    confidence: Sequence[float],
    fixed: Sequence[bool],
    truth: Sequence[str],
    threshold: float,
) -> tuple[OperatingPoint, list[bool]]:
    """Both sides at `threshold`, and which messages are rejected. `fixed` marks predictions the
    threshold does not apply to (the model's cross-lingual head keeps its own)."""  # fmt: skip
    rejected = [
        label == "oos" or (not keep and c < threshold)
        for label, c, keep in zip(top, confidence, fixed, strict=True)
    ]
    inside = [i for i, t in enumerate(truth) if t != "oos"]
    outside = [i for i, t in enumerate(truth) if t == "oos"]
    right = sum(not rejected[i] and top[i] == truth[i] for i in inside) / len(inside)
    recall = sum(rejected[i] for i in outside) / len(outside)
    refused = sum(rejected[i] for i in inside) / len(inside)
    return OperatingPoint(threshold, round(right, 4), round(recall, 4), round(refused, 4)), rejected


def ours_raw(model: IntentModel, texts: Sequence[str]) -> tuple[list[str], list[float], list[bool]]:
    """Top label and confidence of each message with the main head rejecting nothing."""
    kept = model.main.threshold
    model.main.threshold = 0.0
    try:
        said = model.predict(texts)
    finally:
        model.main.threshold = kept
    top = [p.label for p in said]
    return top, [p.confidence for p in said], [p.head != "main" for p in said]


class Peer:
    """TF-IDF + logistic regression; confidence is the maximum class probability."""

    def fit(self, examples: Sequence[LabelledText]) -> Peer:
        from scipy.sparse import hstack
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        self.words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
        self.chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True,
                                     min_df=2)  # fmt: skip
        texts = [e.text for e in examples]
        x = hstack([self.words.fit_transform(texts), self.chars.fit_transform(texts)]).tocsr()
        self.lr = LogisticRegression(C=20.0, max_iter=300).fit(x, [e.label for e in examples])
        self._hstack = hstack
        return self

    def raw(self, texts: Sequence[str]) -> tuple[list[str], list[float], list[bool]]:
        x = self._hstack([self.words.transform(texts), self.chars.transform(texts)]).tocsr()
        p = self.lr.predict_proba(x)
        top = [str(self.lr.classes_[i]) for i in p.argmax(axis=1)]
        return top, [float(v) for v in p.max(axis=1)], [False] * len(texts)


def curve(raw: tuple[list[str], list[float], list[bool]], truth: Sequence[str]) -> list[Any]:
    return [scored(*raw, truth, k / 50)[0] for k in range(50)]


def row(model: str, how: str, point: OperatingPoint, valid: OperatingPoint | None) -> str:
    v = (
        f"{100 * valid.in_scope_accuracy:.2f} / {100 * (valid.oos_recall or 0):.1f}"
        if valid
        else "–"
    )
    return (f"| {model} | {how} | {point.threshold:.3f} | {v} | "
            f"**{100 * point.in_scope_accuracy:.2f}** | **{100 * (point.oos_recall or 0):.1f}** "
            f"| {100 * point.in_scope_rejected:.1f} |")  # fmt: skip


def by_source(rejected: Sequence[bool], sources: Sequence[str]) -> str:
    names = [s for s in dict.fromkeys(sources) if s != "Banking77"]
    parts = []
    for name in names:
        hits = [r for r, s in zip(rejected, sources, strict=True) if s == name]
        parts.append(f"{name} {100 * sum(hits) / len(hits):.0f}%")
    return ", ".join(parts)


def train_ours(examples: Sequence[LabelledText], spec: str) -> IntentModel:
    from borderless.capabilities.support.intents import train_intents

    chosen = embedders(spec)
    started = time.perf_counter()
    chosen[0].embed_batch([e.text for e in examples[:1]], "query")  # load the model first
    model = train_intents(examples, chosen)
    print(f"trained in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return model


def main() -> None:
    from borderless.capabilities.support.lifecycle import set_operating_point

    parser = argparse.ArgumentParser()
    parser.add_argument("--embedders", default="e5,use", help="e5,use (the default) or use")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    started = time.perf_counter()
    data = split(args.seed)
    truth_valid = [e.label for e in data.validation]
    truth_test = [e.label for e in data.test]
    valid_texts = [e.text for e in data.validation]
    test_texts = [e.text for e in data.test]
    for e in embedders(args.embedders):  # embed everything once, in big batches (cached)
        t0 = time.perf_counter()
        e.embed_batch([x.text for x in data.train + data.validation + data.test], "query")
        print(f"{e.name}: {time.perf_counter() - t0:.0f} s", file=sys.stderr)

    model = train_ours(data.train, args.embedders)
    trained_at = model.main.threshold
    raw_valid, raw_test = ours_raw(model, valid_texts), ours_raw(model, test_texts)
    found = set_operating_point(model, data.validation, 0.01)
    chosen_at = model.main.threshold
    assert abs(chosen_at - found["chosen"]["threshold"]) < 1e-9
    none = scored(*raw_test, truth_test, 0.0)[0]
    default, default_rejected = scored(*raw_test, truth_test, trained_at)
    chosen, chosen_rejected = scored(*raw_test, truth_test, chosen_at)
    v = {t: scored(*raw_valid, truth_valid, t)[0] for t in (0.0, trained_at, chosen_at, *GRID)}
    name = f"Borderless (TF-IDF + {args.embedders.upper().replace(',', ' + ')})"
    rows = [
        row(name, "no rejection", none, v[0.0]),
        row(name, "**default: chosen inside training**", default, v[trained_at]),
        row(name, "**chosen on validation: within 1 point**", chosen, v[chosen_at]),
    ]
    rows += [row(name, "curve", scored(*raw_test, truth_test, t)[0], v[t]) for t in GRID[1:]]

    peer = Peer().fit(data.train)
    peer_valid, peer_test = peer.raw(valid_texts), peer.raw(test_texts)
    peer_pick = choose_threshold(curve(peer_valid, truth_valid), 0.01)
    pv = {t: scored(*peer_valid, truth_valid, t)[0] for t in (0.0, peer_pick.threshold, *GRID)}
    peer_none = scored(*peer_test, truth_test, 0.0)[0]
    peer_chosen, peer_rejected = scored(*peer_test, truth_test, peer_pick.threshold)
    pname = "TF-IDF + logistic regression (peer)"
    rows += [
        row(pname, "no rejection", peer_none, pv[0.0]),
        row(pname, "chosen on validation: within 1 point", peer_chosen, pv[peer_pick.threshold]),
    ]
    rows += [row(pname, "curve", scored(*peer_test, truth_test, t)[0], pv[t]) for t in GRID[1:]]
    minutes = (time.perf_counter() - started) / 60
    emit(
        "Model lifecycle: out-of-scope operating point on Banking77 + out-of-domain messages",
        "In scope: Banking77; its training file split (seed 0) into 9,003 training and 1,000 "
        "validation messages; scored on the 3,080 test messages. Out of scope, built from other "
        "domains in ../shared/data: 400 each of Amazon phone, Yelp restaurant and IMDb movie "
        "review sentences (uci_sentiment_labelled_sentences), English FLORES-200 devtest "
        "sentences (news, wiki) and WANDS furniture-shop search queries, seeded samples; each "
        "source halved, 1,000 to validation and 1,000 to test. Training file: the 9,003 plus the "
        "50 out-of-scope examples the default model ships with (defaults/oos.csv; without any "
        "`oos` example training rejects nothing, the first row). Ours: `train_intents` as "
        "`intents train` runs it, then `set_operating_point` on the validation file against "
        "\"within 1 point of rejecting nothing\" (`intents train --validation VALID.csv "
        "--max-accuracy-loss 0.01`). Peer in the same run: word + char TF-IDF and a logistic "
        "regression (C 20) on the same training file, rejecting below a maximum probability "
        "chosen on the same validation file by the same rule (`choose_threshold`). In-scope "
        "accuracy counts a rejection as wrong; out-of-scope recall is the share rejected; "
        "validation columns are in-scope accuracy / out-of-scope recall there. Out-of-scope "
        f"recall by source on test: default ({trained_at:.2f}) "
        f"{by_source(default_rejected, data.test_sources)}; chosen ({chosen_at:.2f}) "
        f"{by_source(chosen_rejected, data.test_sources)}; peer chosen "
        f"({peer_pick.threshold:.2f}) {by_source(peer_rejected, data.test_sources)}. "
        f"Whole run {minutes:.1f} min (vectors cached after the first).\n\n"
        f"Command: `python benchmarks/bench_operating_point.py --embedders {args.embedders} "
        "--out benchmarks/RESULTS.md`",
        ["model", "threshold set by", "threshold", "validation: in-scope % / OOS recall %",
         "test: in-scope accuracy %", "test: OOS recall %", "test: in-scope rejected %"],
        rows,
        args.out,
    )  # fmt: skip


if __name__ == "__main__":
    main()
