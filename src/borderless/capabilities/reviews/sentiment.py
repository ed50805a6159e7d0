"""Review sentiment in any language: multilingual sentence embeddings plus linear heads.

The model is the support desk's two-head text model (`capabilities.support.intents`) with two
labels, `positive` and `negative`:
- reviews in a language the labelled examples are written in go to the **main head** (word and
  character TF-IDF beside the embeddings, one linear SVM): it learns the seller's own words;
- reviews in any other language (fastText language id, confident detections only) go to the
  **cross-lingual head** (logistic regression on the embeddings alone), which is zero-shot
  for that language: the multilingual embedder maps "it broke after a week" and "nach einer
  Woche kaputt" close together, so a head trained in English and Chinese reads German.

The default model is trained on first use from the real labelled review sets in the shared
data folder (3,000 English sentences, 100 Chinese reviews per category and label); sellers
train their own with `borderless reviews train`. Star ratings are not used as labels: a
rating is a separate signal shown beside the model's reading of the text.
Measured figures are in benchmarks/RESULTS.md (bench_reviews.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from borderless.backends.base import Embedder
from borderless.capabilities.reviews.files import csv_rows
from borderless.capabilities.reviews.shared import balanced_sample, chinese_reviews, uci_sentences
from borderless.capabilities.support.examples import LabelledText
from borderless.capabilities.support.intents import IntentModel, train_intents
from borderless.errors import BadRow, BadRows, InvalidInput

__all__ = [
    "DEFAULT_SOURCE",
    "LABELS",
    "Sentiment",
    "SentimentModel",
    "default_examples",
    "evaluate_sentiment",
    "read_labelled_reviews",
    "score_reviews",
    "train_sentiment",
]

LABELS = ("negative", "positive")
SentimentModel = IntentModel  # a two-label model: positive | negative
DEFAULT_SOURCE = (
    "default: uci_sentiment_labelled_sentences (en, all 3,000) + "
    "online_shopping_10_cats.csv (zh, 100 per category and label, seed 0)"
)
DEFAULT_PER_GROUP = 100  # Chinese reviews per category and label in the default model
BATCH = 256
MAX_TEXT = 20_000


@dataclass(frozen=True)
class Sentiment:
    label: str  # positive | negative
    positive: float  # the model's probability that the review is positive
    head: str  # main | cross-lingual (zero-shot for this language)


def read_labelled_reviews(path: Path) -> list[LabelledText]:
    """A `text,label` CSV with labels `positive` / `negative`; every bad row reported at once."""
    header, rows = csv_rows(path)
    missing = [c for c in ("text", "label") if c not in header]
    if missing:
        raise InvalidInput(
            f"{path}: line 1: missing column(s) {', '.join(missing)}", field=missing[0]
        )
    found: list[LabelledText] = []
    bad: list[BadRow] = []
    for line, row in rows:
        text = " ".join(row.get("text", "").split())
        label = row.get("label", "").strip().lower()
        if not text:
            bad.append(BadRow(line, "empty text", "text"))
        elif len(text) > MAX_TEXT:
            bad.append(BadRow(line, f"text longer than {MAX_TEXT:,} characters", "text"))
        elif label not in LABELS:
            bad.append(BadRow(line, f"label {label!r} is not positive or negative", "label"))
        else:
            found.append(LabelledText(text, label))
    if bad:
        raise BadRows(str(path), bad)
    if not found:
        raise InvalidInput(f"{path}: no labelled reviews", field="text")
    return found


def default_examples(
    shared_data_dir: Path, per_group: int = DEFAULT_PER_GROUP
) -> list[LabelledText]:
    """The default model's examples: every UCI sentence and a balanced Chinese sample."""
    english = uci_sentences(shared_data_dir)
    chinese = balanced_sample(chinese_reviews(shared_data_dir), per_group, seed=0)
    return [LabelledText(r.text, r.label) for r in english + chinese]


def train_sentiment(
    examples: Sequence[LabelledText],
    embedders: Sequence[Embedder],
    source: str,
    progress: Callable[[int, int], None] | None = None,
) -> IntentModel:
    """A sentiment model on labelled reviews (both labels needed, two of each at least);
    `progress(done, total)` as the texts are embedded (support/intents.train_intents)."""
    labels = Counter(e.label for e in examples)
    if set(labels) != set(LABELS):
        raise InvalidInput(
            f"sentiment training needs both positive and negative reviews (got {dict(labels)})",
            field="label",
        )
    model = train_intents(examples, embedders, min_confidence=0.0, progress=progress)
    model.card["task"] = "sentiment"
    model.card["source"] = source
    return model


def check_sentiment_model(model: IntentModel, where: str) -> None:
    if sorted(model.labels) != list(LABELS):
        raise InvalidInput(
            f"{where} is not a sentiment model (labels {model.labels})", field="model"
        )


def score_reviews(
    model: IntentModel,
    texts: Sequence[str],
    progress: Callable[[int], None] | None = None,
) -> list[Sentiment]:
    """The sentiment of each text, in batches (`progress(n)` after each)."""
    found: list[Sentiment] = []
    for start in range(0, len(texts), BATCH):
        batch = list(texts[start : start + BATCH])
        for prediction in model.predict(batch):
            positive = dict(prediction.ranked).get("positive", 0.0)
            label = "positive" if positive >= 0.5 else "negative"
            found.append(Sentiment(label, round(float(positive), 4), prediction.head))
        if progress:
            progress(len(batch))
    return found


def evaluate_sentiment(
    model: IntentModel,
    examples: Sequence[LabelledText],
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Accuracy over all examples, with how many went to each head."""
    if not examples:
        raise InvalidInput("nothing to evaluate", field="text")
    scored = score_reviews(model, [e.text for e in examples], progress)
    right = sum(s.label == e.label for s, e in zip(scored, examples, strict=True))
    heads = Counter(s.head for s in scored)
    return {
        "accuracy": round(right / len(examples), 4),
        "n": len(examples),
        "heads": dict(sorted(heads.items())),
        "model": model.card.get("version"),
    }
