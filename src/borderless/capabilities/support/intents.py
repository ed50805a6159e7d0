"""Intent models trained on the seller's own labelled messages.

Two heads share one set of multilingual sentence embeddings:
- the **main head**: word 1-2-gram and character 2-5-gram TF-IDF (what the seller's customers
  literally write) next to the embeddings, each embedder's block scaled by its weight in
  `EMBEDDING_WEIGHTS` (E5 2.5, USE 1.5, others 2.0), one linear SVM;
- the **cross-lingual head**: logistic regression on the embeddings alone.
A message in a language the examples are written in goes to the main head; a message in
another language (fastText language id) goes to the cross-lingual head, because its TF-IDF
features are empty and would only add noise. A language is the examples' when it has at least
1% of them (LANGUAGE_SHARE; 5% before 2026-12-04, when the default examples gained about 100
requests in each of 13 languages, under 2% each): chosen on a validation set of 1,123
requests in 14 languages (benchmarks/data/support_requests_27.csv), 984 right at 5% against
1,030 at 1%; then on the held-out support sets, 406 against 426 of 448 messages (Turkish 26
-> 29 of 32) and FAQ questions answered with their entry 157 against 165 of 196, with no
out-of-scope message answered either way.

Confidence is a softmax of the scores, at a temperature fitted on a held-out slice of the
training file. Out of scope is a predicted `oos` label, or, when the file has `oos`
examples, a confidence below the threshold chosen on that same slice: the one that balances
in-scope accuracy and out-of-scope recall, and at least the confidence that 99% of the right
answers reach, capped at 0.5 (`min_confidence` overrides it). Without `oos` examples nothing
is rejected. All settings were chosen on a validation split of Banking77's training file only
(benchmarks/RESULTS.md).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from borderless.backends.base import Embedder, Vectors
from borderless.capabilities.lifecycle.drift import distances, reference
from borderless.capabilities.support.examples import (
    OUT_OF_SCOPE,
    LabelledText,
    check_trainable,
)
from borderless.errors import InvalidInput, ModelUnavailable
from borderless.optional import require

__all__ = ["IntentModel", "Prediction", "evaluate_intents", "read_card", "train_intents"]

FORMAT = 2
# Scale of each embedder's vectors beside the TF-IDF features, by spec family. Chosen by 5-fold
# cross-validation on Banking77's training file (E5 2.5 + USE 1.5 beat 2.0 + 2.0 in all folds).
EMBEDDING_WEIGHTS = {"e5": 2.5, "use": 1.5}
EMBEDDING_WEIGHT = 2.0  # any other embedder, and models saved before the weights were stored
SVM_C = 0.5
CROSS_LINGUAL_C = 30.0
# Intents that ask about one thing two ways: their probabilities together decide whether a
# message is in scope. "Gibt es Neuigkeiten zu meinem Paket?" split its probability between
# an order's status and the list of one's orders, and fell below the threshold (7 messages of
# the 14-language test set, once list_orders was added); the top one of the two is answered.
# So do a product's own details and whether the shop sells one: with find_product added,
# "Czy kubek można myć w zmywarce?" and "红色的马克杯还会补货吗" (product_question) fell out of
# scope (bench_support_everyday.py's first run after it).
SIBLINGS = {"track_order": "list_orders", "list_orders": "track_order",
            "product_question": "find_product", "find_product": "product_question"}  # fmt: skip
LANGUAGE_SHARE = 0.01  # a language with at least this share of the examples is "theirs"
MODEL_FILE = "model.json"
WEIGHTS_FILE = "weights.npz"
Matrix = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Prediction:
    label: str  # "oos" when out of scope
    confidence: float
    best: str  # the best in-scope label, even when the prediction is oos
    ranked: tuple[tuple[str, float], ...] = ()
    head: str = "main"  # main | cross-lingual
    drift: float | None = None  # 1 - cosine to the training mean (None: no mean kept)


@dataclass
class Head:
    """Linear scores over some features, a softmax temperature and a rejection threshold."""

    coef: Matrix
    intercept: Matrix
    temperature: float = 1.0
    threshold: float = 0.0

    def probabilities(self, features: Any) -> Matrix:
        scores = np.asarray(features @ self.coef.T + self.intercept, dtype=np.float32)
        return _softmax(scores, self.temperature)


def _vectorizers(
    word_vocab: dict[str, int] | None = None, char_vocab: dict[str, int] | None = None
) -> tuple[Any, Any]:
    text = require(
        "sklearn.feature_extraction.text", "support", feature="intent models", field="intents"
    )
    words = text.TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, vocabulary=word_vocab)
    chars = text.TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2, vocabulary=char_vocab
    )
    return words, chars


def _softmax(scores: Matrix, temperature: float) -> Matrix:
    z = scores / temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    out: Matrix = (e / e.sum(axis=1, keepdims=True)).astype(np.float32)
    return out


def _languages_of(texts: Sequence[str]) -> list[str]:
    """Codes of the languages that make up at least LANGUAGE_SHARE of `texts` ([] = unknown)."""
    from borderless.capabilities.language import detect_language

    try:
        found = Counter(detect_language(t, fallback="und").code for t in texts)
    except ModelUnavailable:
        return []
    return sorted(code for code, n in found.items() if n >= LANGUAGE_SHARE * len(texts))


@dataclass
class IntentModel:
    """A trained model: TF-IDF vocabularies and the two heads."""

    labels: list[str]
    embedders: list[Embedder]
    words: Any
    chars: Any
    main: Head
    cross_lingual: Head
    languages: list[str] = field(default_factory=list)
    card: dict[str, Any] = field(default_factory=dict)
    scale: Matrix | float = EMBEDDING_WEIGHT  # per embedding column (or one for all)
    centre: Matrix | None = None  # the training messages' mean vector (embedding drift)

    # -- features and predictions --------------------------------------------------------
    def embed(self, texts: Sequence[str]) -> Vectors:
        return np.hstack([e.embed_batch(list(texts), "query") for e in self.embedders])

    def features(self, texts: Sequence[str], vectors: Vectors) -> Any:
        sparse = require("scipy.sparse", "support", feature="intent models", field="intents")
        return sparse.hstack(
            [
                self.words.transform(texts),
                self.chars.transform(texts),
                sparse.csr_matrix(vectors * self.scale),
            ]
        ).tocsr()

    def foreign(self, texts: Sequence[str]) -> list[bool]:
        """Which texts are in none of the examples' languages (a confident detection only)."""
        if not self.languages:
            return [False] * len(texts)
        from borderless.capabilities.language import detect_language

        found = [detect_language(t, fallback="und") for t in texts]
        return [d.score >= 0.5 and d.code not in self.languages for d in found]

    def predict(self, texts: Sequence[str], vectors: Vectors | None = None) -> list[Prediction]:
        if not texts:
            return []
        if any(not t.strip() for t in texts):
            raise InvalidInput("a message to classify is empty", field="text")
        vectors = self.embed(texts) if vectors is None else vectors
        main = self.main.probabilities(self.features(texts, vectors))
        other = self.cross_lingual.probabilities(vectors)
        found = [
            self._decide(other[i], self.cross_lingual, "cross-lingual")
            if away
            else self._decide(main[i], self.main, "main")
            for i, away in enumerate(self.foreign(texts))
        ]
        if self.centre is None:
            return found
        far = distances(vectors, self.centre)
        return [replace(p, drift=round(float(d), 6)) for p, d in zip(found, far, strict=True)]

    def _decide(self, row: Matrix, head: Head, name: str) -> Prediction:
        order = np.argsort(-row, kind="stable")
        ranked = tuple((self.labels[i], round(float(row[i]), 4)) for i in order[:5])
        top = self.labels[order[0]]
        best = next((self.labels[i] for i in order if self.labels[i] != OUT_OF_SCOPE), top)
        confidence = float(row[order[0]])
        label = top if confidence >= head.threshold else OUT_OF_SCOPE
        sibling = SIBLINGS.get(best)
        if label == OUT_OF_SCOPE and sibling in self.labels:
            together = float(row[self.labels.index(best)] + row[self.labels.index(sibling)])
            against = float(row[self.labels.index(OUT_OF_SCOPE)]) if top == OUT_OF_SCOPE else 0.0
            if together >= head.threshold and together > against:
                label = best
        return Prediction(label, round(confidence, 4), best, ranked, name)

    # -- files ---------------------------------------------------------------------------
    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, Any] = {
            "coef": self.main.coef,
            "intercept": self.main.intercept,
            "cross_coef": self.cross_lingual.coef,
            "cross_intercept": self.cross_lingual.intercept,
            "word_idf": self.words.idf_.astype(np.float32),
            "char_idf": self.chars.idf_.astype(np.float32),
            "scale": np.asarray(self.scale, np.float32),
        }
        if self.centre is not None:
            arrays["centre"] = self.centre
        np.savez_compressed(folder / WEIGHTS_FILE, **arrays)
        vocab = {
            "words": {k: int(v) for k, v in self.words.vocabulary_.items()},
            "chars": {k: int(v) for k, v in self.chars.vocabulary_.items()},
        }
        (folder / "vocabulary.json").write_text(json.dumps(vocab, ensure_ascii=False))
        card = self.card | {
            "format": FORMAT,
            "labels": self.labels,
            "embedders": [e.name for e in self.embedders],
            "languages": self.languages,
            "heads": {
                "main": {"temperature": self.main.temperature, "threshold": self.main.threshold},
                "cross_lingual": {
                    "temperature": self.cross_lingual.temperature,
                    "threshold": self.cross_lingual.threshold,
                },
            },
        }
        (folder / MODEL_FILE).write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n")
        self.card = card

    @classmethod
    def load(cls, folder: Path, embedders: Sequence[Embedder]) -> IntentModel:
        """A saved model; `embedders` must be the ones its card names."""
        card = read_card(folder)
        try:
            weights = np.load(folder / WEIGHTS_FILE)
            vocab = json.loads((folder / "vocabulary.json").read_text())
        except (OSError, ValueError) as exc:
            raise InvalidInput(
                f"{folder}: the model files are unreadable ({exc})", field="model"
            ) from exc
        names = [e.name for e in embedders]
        if names != card["embedders"]:
            raise InvalidInput(
                f"{folder} was trained with embeddings {card['embedders']}, not {names}",
                field="model",
            )
        words, chars = _vectorizers(vocab["words"], vocab["chars"])
        words.idf_, chars.idf_ = weights["word_idf"], weights["char_idf"]
        heads = card["heads"]
        return cls(
            labels=list(card["labels"]),
            embedders=list(embedders),
            words=words,
            chars=chars,
            main=Head(weights["coef"], weights["intercept"], **heads["main"]),
            cross_lingual=Head(
                weights["cross_coef"], weights["cross_intercept"], **heads["cross_lingual"]
            ),
            languages=list(card.get("languages", [])),
            card=card,
            scale=weights["scale"] if "scale" in weights.files else EMBEDDING_WEIGHT,
            centre=weights["centre"] if "centre" in weights.files else None,
        )


def read_card(folder: Path) -> dict[str, Any]:
    path = folder / MODEL_FILE
    if not path.is_file():
        raise InvalidInput(f"{folder}: no intent model there (no {MODEL_FILE})", field="model")
    try:
        card: dict[str, Any] = json.loads(path.read_text())
    except ValueError as exc:
        raise InvalidInput(f"{path}: not a model card ({exc})", field="model") from exc
    if card.get("format") != FORMAT:
        raise InvalidInput(
            f"{path}: model format {card.get('format')} is not {FORMAT}; train it again",
            field="model",
        )
    return card


def embedding_scale(embedders: Sequence[Embedder], blocks: Sequence[Vectors]) -> Matrix:
    """One weight per column of the stacked vectors: each embedder's, by its spec family."""
    return np.concatenate(
        [
            np.full(block.shape[1], EMBEDDING_WEIGHTS.get(e.name.split(":")[0], EMBEDDING_WEIGHT))
            for e, block in zip(embedders, blocks, strict=True)
        ]
    ).astype(np.float32)


def _fit(
    texts: Sequence[str],
    labels: Sequence[str],
    vectors: Vectors,
    embedders: list[Embedder],
    scale: Matrix | float = EMBEDDING_WEIGHT,
) -> IntentModel:
    linear_model = require(
        "sklearn.linear_model", "support", feature="intent models", field="intents"
    )
    svm_module = require("sklearn.svm", "support", feature="intent models", field="intents")

    words, chars = _vectorizers()
    words.fit(texts)
    try:
        chars.fit(texts)
    except ValueError:  # too few texts for min_df=2: keep every n-gram
        chars.set_params(min_df=1).fit(texts)
    classes = sorted(set(labels))
    empty = Head(np.zeros((0,), np.float32), np.zeros((0,), np.float32))
    model = IntentModel(classes, embedders, words, chars, empty, empty, scale=scale)
    svm = svm_module.LinearSVC(C=SVM_C, random_state=0).fit(model.features(texts, vectors), labels)
    lr = linear_model.LogisticRegression(C=CROSS_LINGUAL_C, max_iter=2000).fit(vectors, labels)
    model.main = Head(*_rows(svm.coef_, svm.intercept_, len(classes)), temperature=0.1)
    model.cross_lingual = Head(*_rows(lr.coef_, lr.intercept_, len(classes)), temperature=1.0)
    return model


def _rows(coef: Any, intercept: Any, classes: int) -> tuple[Matrix, Matrix]:
    """One row per class: binary models have one row, the scores of the second class."""
    if classes == 2 and coef.shape[0] == 1:
        coef = np.vstack([-coef, coef]) / 2
        intercept = np.hstack([-intercept, intercept]) / 2
    return coef.astype(np.float32), intercept.astype(np.float32)


def _held_out(labels: Sequence[str]) -> npt.NDArray[np.bool_]:
    """Every 7th example of each label with 4 or more: a slice for calibration."""
    counts = Counter(labels)
    seen: Counter[str] = Counter()
    mask = np.zeros(len(labels), dtype=bool)
    for i, label in enumerate(labels):
        seen[label] += 1
        mask[i] = counts[label] >= 4 and seen[label] % 7 == 3
    return mask


def _calibrate(
    head: Head,
    features: Any,
    labels: Sequence[str],
    classes: list[str],
    temperatures: Sequence[float],
) -> dict[str, Any]:
    """Fit the head's temperature (likelihood) and, with `oos` examples, its threshold."""
    truth = np.array([classes.index(label) for label in labels])
    scores = np.asarray(features @ head.coef.T + head.intercept, dtype=np.float32)
    nll = [
        -np.log(_softmax(scores, t)[np.arange(len(truth)), truth] + 1e-9).mean()
        for t in temperatures
    ]
    head.temperature = float(temperatures[int(np.argmin(nll))])
    probabilities = _softmax(scores, head.temperature)
    top, confidence = probabilities.argmax(axis=1), probabilities.max(axis=1)
    is_oos = np.array([label == OUT_OF_SCOPE for label in labels])
    said_oos = np.array([classes[i] == OUT_OF_SCOPE for i in top])
    correct = (top == truth) & ~is_oos
    if is_oos.any():
        # Balance in-scope accuracy against out-of-scope recall.
        def balanced(t: float) -> float:
            accepted = confidence >= t
            in_scope = (correct & accepted).sum() / max((~is_oos).sum(), 1)
            caught = (is_oos & (~accepted | said_oos)).sum() / is_oos.sum()
            return float(in_scope + caught)

        candidates = [0.0, *np.unique(np.round(confidence, 3)).tolist()]
        chosen = float(max(candidates, key=balanced))
        # Few held-out `oos` examples rarely move the threshold; never accept what is less
        # sure than 99% of the right answers (gibberish, half-sentences), up to 0.5: held-out
        # examples are written like the training ones and over-confident for real messages.
        floor = float(np.quantile(confidence[correct], 0.01)) if correct.any() else 0.0
        floor = min(floor, 0.5)
        head.threshold = round(max(chosen, floor), 4)
    accepted = confidence >= head.threshold
    accuracy = float((correct & accepted).sum() / max((~is_oos).sum(), 1))
    return {"held_out": len(labels), "held_out_accuracy": round(accuracy, 4)}


TRAIN_CHUNK = 256  # texts embedded between two progress reports


def train_intents(
    examples: Sequence[LabelledText],
    embedders: Sequence[Embedder],
    min_confidence: float | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> IntentModel:
    """Fit on all examples, after calibrating both heads on a held-out slice. Embedding is
    most of the time (a minute or more for 3,000 reviews on 2 cores): `progress(done, total)`
    hears of it, counted in texts embedded over all embedders."""
    counts = check_trainable(examples)
    if min_confidence is not None and not 0.0 <= min_confidence < 1.0:
        raise InvalidInput("min_confidence must lie in [0, 1)", field="min_confidence")
    started = time.perf_counter()
    texts = [e.text for e in examples]
    labels = [e.label for e in examples]
    blocks = _embedded(texts, embedders, progress)
    vectors: Vectors = np.hstack(blocks)
    scale = embedding_scale(embedders, blocks)
    embedded_s = time.perf_counter() - started
    mask = _held_out(labels)
    fit_labels = [label for label, m in zip(labels, mask, strict=True) if not m]
    calibration: dict[str, Any] = {"held_out": 0}
    none = np.zeros(0, np.float32)
    heads = {"main": Head(none, none, 0.1), "cross": Head(none, none)}
    if mask.any() and len(set(fit_labels)) == len(counts):
        fit_texts = [t for t, m in zip(texts, mask, strict=True) if not m]
        probe = _fit(fit_texts, fit_labels, vectors[~mask], list(embedders), scale)
        held_texts = [t for t, m in zip(texts, mask, strict=True) if m]
        held_labels = [label for label, m in zip(labels, mask, strict=True) if m]
        calibration = _calibrate(
            probe.main, probe.features(held_texts, vectors[mask]), held_labels, probe.labels,
            (0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0),
        )  # fmt: skip
        cross = _calibrate(probe.cross_lingual, vectors[mask], held_labels, probe.labels, (1.0,))
        calibration["held_out_accuracy_cross_lingual"] = cross["held_out_accuracy"]
        heads = {"main": probe.main, "cross": probe.cross_lingual}
    model = _fit(texts, labels, vectors, list(embedders), scale)
    for mine, calibrated in ((model.main, heads["main"]), (model.cross_lingual, heads["cross"])):
        mine.temperature = calibrated.temperature
        mine.threshold = calibrated.threshold if min_confidence is None else min_confidence
    model.languages = _languages_of(texts)
    model.centre, drift = reference(vectors)
    model.card = {
        "version": datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ"),
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "training": {
            "examples": len(texts),
            "per_label": dict(sorted(counts.items())),
            "seconds": round(time.perf_counter() - started, 2),
            "embedding_seconds": round(embedded_s, 2),
        }
        | calibration,
        "embedding_drift": drift,
        "evaluations": [],
    }
    return model


def _embedded(
    texts: list[str], embedders: Sequence[Embedder], progress: Callable[[int, int], None] | None
) -> list[Vectors]:
    if progress is None:
        return [e.embed_batch(texts, "query") for e in embedders]
    total, done = len(texts) * len(embedders), 0
    blocks = []
    for embedder in embedders:
        parts = []
        for start in range(0, len(texts), TRAIN_CHUNK):
            parts.append(embedder.embed_batch(texts[start : start + TRAIN_CHUNK], "query"))
            done += len(parts[-1])
            progress(done, total)
        blocks.append(np.vstack(parts))  # never empty: check_trainable wants examples
    return blocks


def evaluate_intents(model: IntentModel, examples: Sequence[LabelledText]) -> dict[str, Any]:
    """In-scope accuracy (an `oos` prediction counts as wrong), out-of-scope recall, precision."""
    if not examples:
        raise InvalidInput("nothing to evaluate", field="text")
    predicted = [p.label for p in model.predict([e.text for e in examples])]
    truth = [e.label for e in examples]
    pairs = list(zip(predicted, truth, strict=True))
    in_scope = [(p, t) for p, t in pairs if t != OUT_OF_SCOPE]
    oos_rows = sum(t == OUT_OF_SCOPE for t in truth)
    said_oos = sum(p == OUT_OF_SCOPE for p in predicted)
    caught = sum(p == t == OUT_OF_SCOPE for p, t in pairs)
    unknown = sorted({t for t in truth if t not in model.labels and t != OUT_OF_SCOPE})
    accuracy = sum(p == t for p, t in in_scope) / len(in_scope) if in_scope else None
    return {
        "accuracy": round(accuracy, 4) if accuracy is not None else None,
        "oos_recall": round(caught / oos_rows, 4) if oos_rows else None,
        "oos_precision": (round(caught / said_oos, 4) if said_oos else 0.0) if oos_rows else None,
        "n": len(examples),
        "unknown_labels": unknown,
    }
