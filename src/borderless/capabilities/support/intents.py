"""Intent models trained on the seller's own labelled messages.

Features: word 1-2-gram and character 2-5-gram TF-IDF (what the seller's customers literally
write) side by side with multilingual sentence embeddings (what they mean, in any language),
scaled by `EMBEDDING_WEIGHT`; one linear SVM over both. For a message in a language the
examples never used, the TF-IDF part is nearly empty and the embeddings decide.

Confidence is a softmax of the SVM scores at a temperature fitted on a held-out slice of the
training file. Out of scope is a predicted `oos` label (when the file has `oos` examples) or a
confidence below the threshold chosen on that same slice. All settings were chosen on a
validation split of Banking77's training file only (benchmarks/RESULTS.md).
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from borderless.backends.base import Embedder, Vectors
from borderless.capabilities.support.examples import (
    OUT_OF_SCOPE,
    LabelledText,
    check_trainable,
)
from borderless.errors import InvalidInput, ModelUnavailable

__all__ = ["IntentModel", "Prediction", "evaluate_intents", "train_intents"]

FORMAT = 1
EMBEDDING_WEIGHT = 2.0
SVM_C = 0.5
MODEL_FILE = "model.json"
WEIGHTS_FILE = "weights.npz"
Matrix = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Prediction:
    label: str  # "oos" when out of scope
    confidence: float
    best: str  # the best in-scope label, even when the prediction is oos
    ranked: tuple[tuple[str, float], ...] = ()


def _vectorizers(
    word_vocab: dict[str, int] | None = None, char_vocab: dict[str, int] | None = None
) -> tuple[Any, Any]:
    try:
        from sklearn.feature_extraction.text import TfidfVectorizer
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ModelUnavailable(
            "intent models need scikit-learn: pip install 'borderless[support]'", field="intents"
        ) from exc
    words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, vocabulary=word_vocab)
    chars = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2, vocabulary=char_vocab
    )
    return words, chars


def _softmax(scores: Matrix, temperature: float) -> Matrix:
    z = scores / temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    out: Matrix = (e / e.sum(axis=1, keepdims=True)).astype(np.float32)
    return out


@dataclass
class IntentModel:
    """A trained model: TF-IDF vocabularies, SVM weights, temperature and threshold."""

    labels: list[str]
    embedders: list[Embedder]
    words: Any
    chars: Any
    coef: Matrix
    intercept: Matrix
    temperature: float = 0.1
    threshold: float = 0.0
    card: dict[str, Any] = field(default_factory=dict)

    # -- features and scores -------------------------------------------------------------
    def _embed(self, texts: Sequence[str]) -> Vectors:
        return np.hstack([e.embed_batch(list(texts), "query") for e in self.embedders])

    def features(self, texts: Sequence[str], embedded: Vectors | None = None) -> Any:
        from scipy.sparse import csr_matrix, hstack

        vectors = self._embed(texts) if embedded is None else embedded
        return hstack(
            [
                self.words.transform(texts),
                self.chars.transform(texts),
                csr_matrix(vectors * EMBEDDING_WEIGHT),
            ]
        ).tocsr()

    def scores(self, texts: Sequence[str], embedded: Vectors | None = None) -> Matrix:
        out: Matrix = np.asarray(
            self.features(texts, embedded) @ self.coef.T + self.intercept, dtype=np.float32
        )
        return out

    def predict(self, texts: Sequence[str], embedded: Vectors | None = None) -> list[Prediction]:
        if not texts:
            return []
        if any(not t.strip() for t in texts):
            raise InvalidInput("a message to classify is empty", field="text")
        probabilities = _softmax(self.scores(texts, embedded), self.temperature)
        return [self._decide(row) for row in probabilities]

    def _decide(self, row: Matrix) -> Prediction:
        order = np.argsort(-row, kind="stable")
        ranked = tuple((self.labels[i], round(float(row[i]), 4)) for i in order[:5])
        top = self.labels[order[0]]
        best = next((self.labels[i] for i in order if self.labels[i] != OUT_OF_SCOPE), top)
        confidence = float(row[order[0]])
        label = top if confidence >= self.threshold else OUT_OF_SCOPE
        return Prediction(label, round(confidence, 4), best, ranked)

    # -- files ---------------------------------------------------------------------------
    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            folder / WEIGHTS_FILE,
            coef=self.coef,
            intercept=self.intercept,
            word_idf=self.words.idf_.astype(np.float32),
            char_idf=self.chars.idf_.astype(np.float32),
        )
        vocab = {
            "words": {k: int(v) for k, v in self.words.vocabulary_.items()},
            "chars": {k: int(v) for k, v in self.chars.vocabulary_.items()},
        }
        (folder / "vocabulary.json").write_text(json.dumps(vocab, ensure_ascii=False))
        card = self.card | {
            "format": FORMAT,
            "labels": self.labels,
            "embedders": [e.name for e in self.embedders],
            "temperature": self.temperature,
            "threshold": self.threshold,
        }
        (folder / MODEL_FILE).write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n")
        self.card = card

    @classmethod
    def load(cls, folder: Path, embedders: Sequence[Embedder]) -> IntentModel:
        """A saved model; `embedders` must be the ones it names (see `embedder_specs`)."""
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
        return cls(
            labels=list(card["labels"]),
            embedders=list(embedders),
            words=words,
            chars=chars,
            coef=weights["coef"],
            intercept=weights["intercept"],
            temperature=float(card["temperature"]),
            threshold=float(card["threshold"]),
            card=card,
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
            f"{path}: model format {card.get('format')} is not {FORMAT}", field="model"
        )
    return card


def _fit(
    texts: Sequence[str], labels: Sequence[str], vectors: Vectors, embedders: list[Embedder]
) -> IntentModel:
    from sklearn.svm import LinearSVC

    words, chars = _vectorizers()
    words.fit(texts)
    try:
        chars.fit(texts)
    except ValueError:  # too few texts for min_df=2: keep every n-gram
        chars.set_params(min_df=1).fit(texts)
    classes = sorted(set(labels))
    model = IntentModel(
        classes, embedders, words, chars, np.zeros((0,), np.float32), np.zeros((0,), np.float32)
    )
    svm = LinearSVC(C=SVM_C, random_state=0).fit(model.features(texts, vectors), labels)
    coef, intercept = svm.coef_, svm.intercept_
    if len(classes) == 2:  # a binary SVM has one row: scores for the second class
        coef = np.vstack([-coef, coef]) / 2
        intercept = np.hstack([-intercept, intercept]) / 2
    model.coef = coef.astype(np.float32)
    model.intercept = intercept.astype(np.float32)
    return model


def _held_out(labels: Sequence[str]) -> npt.NDArray[np.bool_]:
    """Every 7th example of each label with 4 or more: a slice for calibration."""
    mask = np.zeros(len(labels), dtype=bool)
    seen: dict[str, int] = {}
    counts: dict[str, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    for i, label in enumerate(labels):
        seen[label] = seen.get(label, 0) + 1
        mask[i] = counts[label] >= 4 and seen[label] % 7 == 3
    return mask


def _calibrate(
    scores: Matrix, labels: Sequence[str], classes: list[str]
) -> tuple[float, float, dict[str, Any]]:
    """Temperature by likelihood, then the threshold, on held-out scores."""
    truth = np.array([classes.index(label) for label in labels])
    temperatures = (0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0)
    nll = [
        -np.log(_softmax(scores, t)[np.arange(len(truth)), truth] + 1e-9).mean()
        for t in temperatures
    ]
    temperature = temperatures[int(np.argmin(nll))]
    probabilities = _softmax(scores, temperature)
    top, confidence = probabilities.argmax(axis=1), probabilities.max(axis=1)
    is_oos = np.array([label == OUT_OF_SCOPE for label in labels])
    correct = (top == truth) & ~is_oos
    if is_oos.any():
        # Balance in-scope accuracy against out-of-scope recall.
        candidates = np.unique(np.round(confidence, 3))

        def balanced(t: float) -> float:
            accepted = confidence >= t
            in_scope = (correct & accepted).sum() / max((~is_oos).sum(), 1)
            oos_label = np.array([classes[i] == OUT_OF_SCOPE for i in top])
            caught = (is_oos & (~accepted | oos_label)).sum() / is_oos.sum()
            return float(in_scope + caught)

        threshold = float(max(candidates, key=balanced)) if len(candidates) else 0.0
    else:
        # No out-of-scope examples: reject only what is less sure than 99% of right answers.
        threshold = float(np.quantile(confidence[correct], 0.01)) if correct.any() else 0.0
    accuracy = float(correct.sum() / max((~is_oos).sum(), 1))
    return (
        temperature,
        round(threshold, 4),
        {"held_out": len(labels), "held_out_accuracy": round(accuracy, 4)},
    )


def train_intents(examples: Sequence[LabelledText], embedders: Sequence[Embedder]) -> IntentModel:
    """Fit on all examples, after calibrating temperature and threshold on a held-out slice."""
    counts = check_trainable(examples)
    started = time.perf_counter()
    texts = [e.text for e in examples]
    labels = [e.label for e in examples]
    vectors: Vectors = np.hstack([e.embed_batch(texts, "query") for e in embedders])
    embedded_s = time.perf_counter() - started
    mask = _held_out(labels)
    temperature, threshold, held = 0.1, 0.0, {"held_out": 0}
    fit_labels = [label for label, m in zip(labels, mask, strict=True) if not m]
    if mask.any() and len(set(fit_labels)) == len(counts):
        probe = _fit(
            [t for t, m in zip(texts, mask, strict=True) if not m],
            fit_labels,
            vectors[~mask],
            list(embedders),
        )
        held_texts = [t for t, m in zip(texts, mask, strict=True) if m]
        held_labels = [label for label, m in zip(labels, mask, strict=True) if m]
        temperature, threshold, held = _calibrate(
            probe.scores(held_texts, vectors[mask]), held_labels, probe.labels
        )
    model = _fit(texts, labels, vectors, list(embedders))
    model.temperature, model.threshold = temperature, threshold
    model.card = {
        "version": datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ"),
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "training": {
            "examples": len(texts),
            "per_label": dict(sorted(counts.items())),
            "seconds": round(time.perf_counter() - started, 2),
            "embedding_seconds": round(embedded_s, 2),
        }
        | held,
        "evaluations": [],
    }
    return model


def evaluate_intents(model: IntentModel, examples: Sequence[LabelledText]) -> dict[str, Any]:
    """In-scope accuracy (an `oos` prediction counts as wrong), out-of-scope recall, precision."""
    if not examples:
        raise InvalidInput("nothing to evaluate", field="text")
    predicted = [p.label for p in model.predict([e.text for e in examples])]
    truth = [e.label for e in examples]
    in_scope = [(p, t) for p, t in zip(predicted, truth, strict=True) if t != OUT_OF_SCOPE]
    oos_rows = sum(t == OUT_OF_SCOPE for t in truth)
    said_oos = sum(p == OUT_OF_SCOPE for p in predicted)
    caught = sum(p == t == OUT_OF_SCOPE for p, t in zip(predicted, truth, strict=True))
    unknown = sorted({t for t in truth if t not in model.labels and t != OUT_OF_SCOPE})
    return {
        "accuracy": round(sum(p == t for p, t in in_scope) / len(in_scope), 4)
        if in_scope
        else None,
        "oos_recall": round(caught / oos_rows, 4) if oos_rows else None,
        "oos_precision": (round(caught / said_oos, 4) if said_oos else 0.0) if oos_rows else None,
        "n": len(examples),
        "unknown_labels": unknown,
    }
