"""The few-shot image classifier in the model lifecycle (borderless.capabilities.lifecycle.loop):
a version is an image library folder (`models/images/<version>/`: classifier, index, meta),
evaluated by accuracy on a `path,label` file and retrained from such a file with staff
corrections (image path, label) laid over it: a correction relabels an image of the base file
or adds one (a relative path is read from the base file's folder, as in the file itself)."""

from __future__ import annotations

import json
import shutil
import time
import zipfile
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from borderless.backends.base import ImageModel
from borderless.capabilities.images.analyse import analyse_images
from borderless.capabilities.images.library import ImageLibrary, read_labels, train_library
from borderless.capabilities.lifecycle.data import fingerprint
from borderless.capabilities.lifecycle.loop import Trained
from borderless.errors import InvalidInput, NotFound

__all__ = ["BACKEND_OF", "IMAGE_SUFFIXES", "ImageTask", "save_version", "trained_images"]

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp", ".tif", ".tiff"})

# The image model a library names (ImageModel.name) -> the backend spec that makes it.
BACKEND_OF = {"efficientnet-lite0": "efficientnet", "fake-images": "fake"}


def save_version(library: ImageLibrary, root: Path) -> tuple[str, Path]:
    """Save `library` as a new version folder under `root` (written aside, then renamed, so a
    crash never leaves half a version)."""
    version = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    partial = root / f".{version}.partial"
    if partial.exists():
        shutil.rmtree(partial)
    library.save(partial)
    folder = root / version
    partial.rename(folder)
    return version, folder


def trained_images(
    library: ImageLibrary, version: str, folder: Path, labels: Path, seconds: float = 0.0
) -> Trained:
    """A saved library as the registry keeps it: the cross-validated accuracy on its training
    images until a held-out file scores it; the label file and image count as its data."""
    meta = library.meta
    evaluation = meta.get("evaluation", {})
    metrics = {
        "cv_accuracy": evaluation.get("cv_accuracy"),
        "cv_folds": evaluation.get("cv_folds"),
        "images": meta["images"],
        "labels": len(meta["classes"]),
    }
    metrics = {k: v for k, v in metrics.items() if v is not None}
    parameters = {
        "image_model": meta["image_model"],
        "C": library.classifier.C,
        "scale": library.classifier.scale,
    }
    data = fingerprint(labels) | {"images": meta["images"], "failed": len(meta["failed"])}
    return Trained(version, folder, metrics, parameters, data, round(seconds, 3))


class ImageTask:
    name = "images"
    metric = "accuracy"

    def __init__(self, image_model: Callable[[str], ImageModel], root: Path) -> None:
        self._image_model = image_model  # by the name a library stores
        self.root = root

    def load(self, folder: Path) -> ImageLibrary:
        """The library in `folder`; InvalidInput when its files are missing or corrupted."""
        try:
            return ImageLibrary.load(folder)
        except (NotFound, OSError, KeyError, ValueError, EOFError, zipfile.BadZipFile) as exc:
            raise InvalidInput(
                f"{folder}: the image classifier files are corrupted or missing "
                f"({type(exc).__name__}: {exc})",
                field="model",
            ) from exc

    def evaluate(self, model: Any, examples: Path) -> dict[str, Any]:
        """Accuracy on the readable images of a `path,label` file (unreadable ones are counted,
        not scored; labels the model does not know count as wrong)."""
        library: ImageLibrary = model
        rows = read_labels(examples)
        images = self._image_model(str(library.meta["image_model"]))
        reports, vectors = analyse_images([p for p, _ in rows], images, checks=False)
        good = [i for i, report in enumerate(reports) if report.ok]
        if not good:
            raise InvalidInput(f"{examples}: none of the images could be read", field="holdout")
        said = library.label(vectors[good])
        right = sum(said[n][0] == rows[i][1] for n, i in enumerate(good))
        known = set(library.classifier.classes_)
        return {
            "accuracy": round(right / len(good), 4),
            "n": len(good),
            "unreadable": len(rows) - len(good),
            "unknown_labels": sorted({rows[i][1] for i in good} - known)[:20],
        }

    def check_label(self, label: str, active: Path | None) -> str:
        """Any category: a correction may name a new one, which the next retraining learns.
        One that differs from a known category only in case or spacing ("Dress " beside
        "dress") is refused: it would split one category in two."""
        label = " ".join(label.split())
        if not label:
            raise InvalidInput("an image correction needs a label", field="label")
        try:
            meta = json.loads((active / "meta.json").read_text(encoding="utf-8")) if active else {}
        except (OSError, ValueError):
            meta = {}
        classes = [str(c) for c in meta.get("classes", [])] if isinstance(meta, dict) else []
        near = [c for c in classes if c != label and c.casefold() == label.casefold()]
        if near:
            raise InvalidInput(f"the classifier's category is {near[0]!r}, not {label!r} (a "
                               "label differing only in case would be a second category)",
                               field="label")  # fmt: skip
        return label

    def check_input(self, text: str, base: Path | None) -> str:
        """The image a correction names: a readable image file, its path absolute or, as in
        the labels file, relative to the base data's folder (retraining reads it so)."""
        text = text.strip()
        if "://" in text:
            raise InvalidInput("an image correction names an image file: URLs are not fetched",
                               field="text")  # fmt: skip
        path = Path(text)
        if not path.is_absolute():
            if base is None:
                raise InvalidInput("give the image's full path (no base data to read it from)",
                                   field="text")  # fmt: skip
            path = base.parent / path
        if path.suffix.lower() not in IMAGE_SUFFIXES or not path.is_file():
            raise InvalidInput(f"{text[:200]!r} is no image file here (a .jpg, .png or .webp "
                               "the retraining can read)", field="text")  # fmt: skip
        return text

    def retrain(self, base: Path, corrections: Sequence[tuple[str, str]]) -> Trained:
        """A challenger from the images of `base` with corrections laid over them (a correction
        of an image already there replaces its label); saved, not put in use."""
        rows = dict(read_labels(base))
        for image, label in corrections:
            image, label = image.strip(), label.strip()
            if not image or not label:
                raise InvalidInput("an image correction needs an image path and a label",
                                   field="label")  # fmt: skip
            if "://" not in image and not Path(image).is_absolute():
                image = str(base.parent / image)
            rows[image] = label
        images = self._image_model(self._model_name(base))
        started = time.perf_counter()
        library, _ = train_library(list(rows.items()), images)
        self.root.mkdir(parents=True, exist_ok=True)
        version, folder = save_version(library, self.root)
        return trained_images(library, version, folder, base, time.perf_counter() - started)

    def _model_name(self, base: Path) -> str:
        """The image model of the newest saved version (features of another model would not
        fit the versions it is compared with)."""
        for meta in sorted(self.root.glob("*/meta.json"), reverse=True):
            try:
                found = json.loads(meta.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if isinstance(found, dict) and found.get("image_model"):
                return str(found["image_model"])
        raise InvalidInput(f"no image classifier version to take the image model from ({base})",
                           field="base")  # fmt: skip

    def activated(self, folder: Path) -> None:
        """Nothing to point at: services read the registry's active version (refresh_models)."""
