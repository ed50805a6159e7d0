"""Review sentiment in the model lifecycle (borderless.capabilities.lifecycle.loop): a version
is a stored two-label model folder (models/sentiment/<version>/), evaluated by accuracy on a
`text,label` file and retrained from such a file with staff corrections (text, positive or
negative) laid over it."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from borderless.capabilities.lifecycle.loop import Trained
from borderless.capabilities.reviews.sentiment import (
    LABELS,
    SentimentModel,
    evaluate_sentiment,
    read_labelled_reviews,
)
from borderless.capabilities.support.examples import LabelledText
from borderless.capabilities.support.lifecycle import merge_corrections, trained_intents
from borderless.capabilities.support.store import IntentStore
from borderless.errors import InvalidInput

__all__ = ["SentimentTask"]


class SentimentTask:
    name = "sentiment"
    metric = "accuracy"

    def __init__(
        self,
        load: Callable[[Path], SentimentModel],
        train: Callable[[Sequence[LabelledText], str], SentimentModel],
        store: IntentStore,
    ) -> None:
        self._load = load
        self._train = train
        self.store = store

    def load(self, folder: Path) -> SentimentModel:
        """The model in `folder`; InvalidInput when its files are missing or corrupted, or it
        is not a sentiment model."""
        try:
            return self._load(folder)
        except (OSError, KeyError, EOFError, ValueError, zipfile.BadZipFile) as exc:
            raise InvalidInput(
                f"{folder}: the sentiment model files are corrupted ({type(exc).__name__}: {exc})",
                field="model",
            ) from exc

    def evaluate(self, model: Any, examples: Path) -> dict[str, Any]:
        return evaluate_sentiment(model, read_labelled_reviews(examples))

    def check_label(self, label: str, active: Path | None) -> str:
        label = label.strip().lower()  # "Positive" is positive
        if label not in LABELS:
            raise InvalidInput(f"a sentiment correction is {' or '.join(LABELS)}, not "
                               f"{label[:40]!r}", field="label")  # fmt: skip
        return label

    def retrain(self, base: Path, corrections: Sequence[tuple[str, str]]) -> Trained:
        wrong = sorted({label for _, label in corrections if label not in LABELS})
        if wrong:
            raise InvalidInput(f"sentiment corrections must be positive or negative, not "
                               f"{', '.join(map(repr, wrong[:5]))}", field="label")  # fmt: skip
        model = self._train(merge_corrections(read_labelled_reviews(base), corrections), str(base))
        folder = self.store.save(model, make_current=False)
        return trained_intents(model, folder, base)  # the same two-head model as intents

    def activated(self, folder: Path) -> None:
        if folder.parent == self.store.root:
            self.store.use(folder.name)  # commands without the database read the same one
