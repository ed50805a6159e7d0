"""The intent model in the model lifecycle (borderless.capabilities.lifecycle.loop): how to
load and check a stored version, evaluate it on a labelled file, and retrain from a base file
plus staff relabels from the support desk."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from borderless.capabilities.lifecycle.data import fingerprint
from borderless.capabilities.lifecycle.loop import Trained
from borderless.capabilities.support.examples import LabelledText, read_labelled
from borderless.capabilities.support.intents import IntentModel, evaluate_intents, read_card
from borderless.capabilities.support.store import IntentStore
from borderless.errors import InvalidInput

__all__ = ["IntentTask", "merge_corrections", "set_operating_point", "trained_intents"]


def trained_intents(model: IntentModel, folder: Path, source: Path | None) -> Trained:
    """A saved intent model as a version to register: its calibration slice's accuracy is the
    held-out metric until a held-out file is given."""
    card = model.card
    training = card.get("training", {})
    metrics = {
        "accuracy": training.get("held_out_accuracy"),
        "held_out": training.get("held_out", 0),
        "examples": training.get("examples"),
        "labels": len(model.labels),
        "oos_threshold": model.main.threshold,
    }
    point = card.get("operating_point")
    if point:
        chosen = point["chosen"]
        metrics["validation_in_scope_accuracy"] = chosen["in_scope_accuracy"]
        metrics["validation_oos_recall"] = chosen["oos_recall"]
    metrics = {k: v for k, v in metrics.items() if v is not None}
    parameters = {
        "embedders": ",".join(e.name for e in model.embedders),
        "min_confidence": model.main.threshold,
        "temperature": model.main.temperature,
        "languages": ",".join(model.languages),
    }
    if point:
        parameters["operating_target"] = point["target"]
    data = fingerprint(source) if source is not None and source.is_file() else {}
    if source is not None and not data:
        data = {"file": str(source)}
    return Trained(str(card["version"]), folder, metrics, parameters, data,
                   float(training.get("seconds", 0.0)))  # fmt: skip


def set_operating_point(
    model: IntentModel, validation: Sequence[LabelledText], max_accuracy_loss: float
) -> dict[str, Any]:
    """Choose the main head's out-of-scope threshold on labelled validation messages (with
    `oos` ones) against the seller's target; the curve, the choice and what the threshold from
    training gave go into the model card."""
    from borderless.capabilities.lifecycle.operating import (
        choose_threshold,
        describe_target,
        point_at,
        tradeoff_curve,
    )

    if not any(e.label == "oos" for e in validation):
        raise InvalidInput("the validation file needs out-of-scope ('oos') messages to choose "
                           "a threshold against", field="validation")  # fmt: skip
    before = (model.main.threshold, model.cross_lingual.threshold)
    model.main.threshold = model.cross_lingual.threshold = 0.0
    try:
        said = model.predict([e.text for e in validation])
    finally:
        model.main.threshold, model.cross_lingual.threshold = before
    rows = [(p, e) for p, e in zip(said, validation, strict=True) if p.head == "main"]
    confidences = [p.confidence for p, _ in rows]
    top = [p.label for p, _ in rows]
    truth = [e.label for _, e in rows]
    curve = tradeoff_curve(confidences, top, truth)
    chosen = choose_threshold(curve, max_accuracy_loss)
    model.main.threshold = chosen.threshold
    found = {
        "target": describe_target(max_accuracy_loss),
        "max_accuracy_loss": max_accuracy_loss,
        "validation": len(rows),
        "chosen": chosen.as_dict(),
        "from_training": point_at(before[0], confidences, top, truth).as_dict(),
        "no_rejection": curve[0].as_dict(),
        "curve": [p.as_dict() for p in curve],
    }
    model.card["operating_point"] = found
    return found


def merge_corrections(
    base: Sequence[LabelledText], corrections: Sequence[tuple[str, str]]
) -> list[LabelledText]:
    """Base examples plus corrections; a correction replaces a base example of the same text."""
    fixed = {" ".join(text.split()).lower(): label for text, label in corrections}
    kept = [e for e in base if e.text.lower() not in fixed]
    return kept + [LabelledText(" ".join(t.split()), label) for t, label in corrections]


class IntentTask:
    name = "intents"
    metric = "accuracy"

    def __init__(
        self,
        load: Callable[[Path], IntentModel],
        train: Callable[[Sequence[LabelledText]], IntentModel],
        store: IntentStore,
    ) -> None:
        self._load = load
        self._train = train
        self.store = store

    def load(self, folder: Path) -> IntentModel:
        try:
            return self._load(folder)
        except (OSError, KeyError, EOFError, zipfile.BadZipFile) as exc:
            raise InvalidInput(
                f"{folder}: the intent model files are corrupted ({type(exc).__name__}: {exc})",
                field="model",
            ) from exc

    def evaluate(self, model: Any, examples: Path) -> dict[str, Any]:
        return evaluate_intents(model, read_labelled(examples))

    def check_label(self, label: str, active: Path | None) -> str:
        """An intent the active model knows (the stored current one before the registry has
        one: "not_a_real_intent_label" was taken then, an attack), or oos (out of scope); any
        before a model is."""
        label = label.strip()
        active = active or self.store.current()
        if active is None:
            return label
        named = [x for x in read_card(active)["labels"] if x != "oos"]
        if label not in [*named, "oos"]:
            shown = ", ".join(named[:12]) + (", ..." if len(named) > 12 else "")
            raise InvalidInput(f"the intent model knows no intent {label[:40]!r}; it knows: "
                               f"{shown} (or oos: out of scope)", field="label")  # fmt: skip
        return label

    def retrain(self, base: Path, corrections: Sequence[tuple[str, str]]) -> Trained:
        model = self._train(merge_corrections(read_labelled(base), corrections))
        model.card["source"] = str(base)
        folder = self.store.save(model, make_current=False)
        return trained_intents(model, folder, base)

    def activated(self, folder: Path) -> None:
        if folder.parent == self.store.root:
            self.store.use(folder.name)  # commands without the database read the same one
