"""One pass over a batch of image files: tags, category, features, hash and checks per image.

A file that cannot be used (missing, a URL, not an image, unreadable, over the pixel limit)
gets an `error` in its report and a zero feature row; the rest of the batch goes on.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from borderless.backends.base import ImageModel, Pixels, TextReader, Vectors
from borderless.capabilities.images.categories import DEFAULT_CATEGORIES, category_for
from borderless.capabilities.images.checks import Check, Thresholds, check_image, text_check
from borderless.capabilities.images.hashing import perceptual_hash
from borderless.capabilities.images.load import load_image
from borderless.errors import InvalidInput

__all__ = ["ImageReport", "analyse_images"]


@dataclass(frozen=True)
class ImageReport:
    source: str
    width: int = 0
    height: int = 0
    tags: list[tuple[str, float]] = field(default_factory=list)
    category: tuple[str, float] | None = None
    phash: str | None = None
    checks: list[Check] = field(default_factory=list)
    label: tuple[str, float] | None = None
    text: str | None = None  # what OCR read, when it ran
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.source,
            "ok": self.ok,
            "error": self.error,
            "width": self.width or None,
            "height": self.height or None,
            "tags": [{"label": label, "score": score} for label, score in self.tags],
            "category": None
            if self.category is None
            else {"name": self.category[0], "score": self.category[1]},
            "label": None
            if self.label is None
            else {"name": self.label[0], "score": self.label[1]},
            "phash": self.phash,
            "text": self.text,
            "checks": [
                {"name": c.name, "passed": c.passed, "value": c.value, "rule": c.rule}
                for c in self.checks
            ],
        }


def analyse_images(
    sources: Sequence[str | Path],
    model: ImageModel,
    *,
    categories: Mapping[str, str] = DEFAULT_CATEGORIES,
    thresholds: Thresholds | None = None,
    top_k: int = 5,
    checks: bool = True,
    reader: TextReader | None = None,
    on_done: Callable[[int], None] | None = None,
) -> tuple[list[ImageReport], Vectors]:
    """Reports in the order of `sources` and a (n, dimension) feature array (zeros on errors).

    With a `reader` (OCR), each report carries the text read on the image and, with `checks`,
    the "text" check.

    Images are decoded 16 at a time, so a large batch never holds more than 16 in memory.
    """
    vectors = np.zeros((len(sources), model.dimension), dtype=np.float32)
    reports: list[ImageReport] = []
    batch = 16
    for start in range(0, len(sources), batch):
        chunk = [str(source) for source in sources[start : start + batch]]
        loaded: list[Pixels | InvalidInput] = []
        for source in chunk:
            try:
                loaded.append(load_image(source))
            except InvalidInput as exc:
                loaded.append(exc)
        images = [item for item in loaded if not isinstance(item, InvalidInput)]
        result = model.embed_images(images, top_k)
        readings = reader.read_batch(images) if reader is not None else None
        row = 0
        for offset, (source, item) in enumerate(zip(chunk, loaded, strict=True)):
            if isinstance(item, InvalidInput):
                reports.append(ImageReport(source, error=item.message))
                continue
            vectors[start + offset] = result.vectors[row]
            tags = result.tags[row]
            read = readings[row] if readings is not None else None
            row += 1
            found = check_image(item, thresholds) if checks else []
            if checks and read is not None:
                found.append(text_check(read.words))
            reports.append(
                ImageReport(
                    source,
                    width=int(item.shape[1]),
                    height=int(item.shape[0]),
                    tags=tags,
                    category=category_for(tags, categories),
                    phash=perceptual_hash(item),
                    checks=found,
                    text=None if read is None else read.text,
                )
            )
        if on_done is not None:
            on_done(len(chunk))
    return reports, vectors
