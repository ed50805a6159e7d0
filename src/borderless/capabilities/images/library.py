"""A seller's labelled image library: the few-shot classifier and the similar-photo index.

`borderless images train LABELS.csv --out DIR` writes DIR/classifier.npz (the classifier),
DIR/index.npz (features, paths and labels of the training images) and DIR/meta.json (the image
model, counts, the images that could not be used). Similar-by-photo is cosine similarity of the
unit-length features against that index.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from borderless.backends.base import ImageModel, Vectors
from borderless.capabilities.images.analyse import ImageReport, analyse_images
from borderless.capabilities.images.fewshot import FewShotClassifier
from borderless.errors import BadRow, BadRows, InvalidInput, NotFound

__all__ = ["ImageLibrary", "cross_validate", "read_labels", "train_library"]


def read_labels(path: Path) -> list[tuple[str, str]]:
    """(image path, label) rows of a `path,label` CSV; relative paths are read from its folder."""
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file", field="labels")
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    if not rows or not {"path", "label"} <= set(rows[0]):
        raise InvalidInput(
            f"{path}: needs a header path,label and at least one row", field="labels"
        )
    bad = [
        BadRow(line=number, reason="empty path or label", field="path")
        for number, row in enumerate(rows, start=2)
        if not (row["path"] or "").strip() or not (row["label"] or "").strip()
    ]
    if bad:
        raise BadRows(str(path), bad)
    out = []
    for row in rows:
        image = row["path"].strip()
        if "://" not in image and not Path(image).is_absolute():
            image = str(path.parent / image)
        out.append((image, row["label"].strip()))
    return out


@dataclass
class ImageLibrary:
    classifier: FewShotClassifier
    vectors: Vectors
    paths: list[str]
    labels: list[str]
    meta: dict[str, Any]

    def save(self, out: Path) -> None:
        out.mkdir(parents=True, exist_ok=True)
        self.classifier.save(out / "classifier.npz")
        np.savez(
            out / "index.npz",
            vectors=self.vectors,
            paths=np.asarray(self.paths),
            labels=np.asarray(self.labels),
        )
        (out / "meta.json").write_text(json.dumps(self.meta, indent=2), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> ImageLibrary:
        if not (directory / "index.npz").is_file():
            raise NotFound(
                f"{directory}: no trained image library (run borderless images train)",
                field="model",
            )
        classifier = FewShotClassifier.load(directory / "classifier.npz")
        with np.load(directory / "index.npz", allow_pickle=False) as data:
            vectors = np.asarray(data["vectors"], dtype=np.float32)
            paths = [str(p) for p in data["paths"]]
            labels = [str(v) for v in data["labels"]]
        meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
        return cls(classifier, vectors, paths, labels, meta)

    def label(self, features: Vectors) -> list[tuple[str, float]]:
        probs = self.classifier.predict_proba(features)
        return [
            (self.classifier.classes_[int(p.argmax())], round(float(p.max()), 4)) for p in probs
        ]

    def similar(
        self, feature: Vectors, k: int = 5, exclude: str | None = None
    ) -> list[dict[str, Any]]:
        """The `k` library images closest by cosine, best first (`exclude`: a path to skip)."""
        scores = self.vectors @ feature.reshape(-1)
        order = np.argsort(-scores, kind="stable")
        found: list[dict[str, Any]] = []
        for i in order:
            if exclude is not None and Path(self.paths[i]).resolve() == Path(exclude).resolve():
                continue
            found.append(
                {
                    "path": self.paths[i],
                    "label": self.labels[i],
                    "score": round(float(scores[i]), 4),
                }
            )
            if len(found) == k:
                break
        return found


def train_library(
    rows: list[tuple[str, str]],
    model: ImageModel,
    *,
    C: float = 1.0,
    on_done: Callable[[int], None] | None = None,
) -> tuple[ImageLibrary, list[ImageReport]]:
    """Features of every usable image, the classifier fitted on them; failed images reported."""
    reports, vectors = analyse_images([p for p, _ in rows], model, checks=False, on_done=on_done)
    good = [i for i, report in enumerate(reports) if report.ok]
    if not good:
        raise InvalidInput("none of the images could be read", field="labels")
    labels = [rows[i][1] for i in good]
    classifier = FewShotClassifier(C=C).fit(vectors[good], labels)
    meta: dict[str, Any] = {
        "image_model": model.name,
        "dimension": model.dimension,
        "images": len(good),
        "classes": classifier.classes_,
        "failed": [{"path": r.source, "error": r.error} for r in reports if not r.ok],
        "evaluation": cross_validate(vectors[good], labels, C=C),
    }
    library = ImageLibrary(classifier, vectors[good], [rows[i][0] for i in good], labels, meta)
    return library, reports


def cross_validate(
    vectors: Vectors, labels: list[str], *, C: float = 1.0, folds: int = 5, seed: int = 0
) -> dict[str, Any]:
    """Accuracy of the classifier on images it was not fitted on: each label's images are
    shuffled (seeded) and dealt into `folds` folds (fewer when the commonest label has fewer
    images); every image is predicted once by a classifier fitted on the other folds. An image
    whose label is not in the other folds (a label with one image) counts as wrong."""
    counts: dict[str, list[int]] = {}
    for i, label in enumerate(labels):
        counts.setdefault(label, []).append(i)
    k = min(folds, max(len(v) for v in counts.values()))
    if k < 2 or len(counts) < 2:
        return {"cv_accuracy": None, "cv_folds": 0, "cv_images": 0}
    rng = np.random.default_rng(seed)
    fold = np.zeros(len(labels), dtype=np.int64)
    for members in counts.values():
        order = rng.permutation(members)
        fold[order] = np.arange(len(order)) % k
    right, tested = 0, 0
    for f in range(k):
        train = np.flatnonzero(fold != f)
        test = np.flatnonzero(fold == f)
        if len({labels[i] for i in train}) < 2 or not len(test):
            continue
        model = FewShotClassifier(C=C).fit(vectors[train], [labels[i] for i in train])
        said = model.predict(vectors[test])
        right += sum(s == labels[i] for s, i in zip(said, test, strict=True))
        tested += len(test)
    accuracy = round(right / tested, 4) if tested else None
    return {"cv_accuracy": accuracy, "cv_folds": k, "cv_images": tested}
