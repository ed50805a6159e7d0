"""A deterministic image model for tests: features from a small thumbnail, tags from colour."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from borderless.backends.base import ImageFeatures, ImageModel, Pixels, unit_rows
from borderless.optional import require

__all__ = ["FakeImageModel"]


class FakeImageModel(ImageModel):
    """A 16x16 RGB thumbnail (768 values) plus zeros to 1280-d; tags say light or dark."""

    name = "fake-images"
    dimension = 1280

    def embed_images(self, images: Sequence[Pixels], top_k: int = 5) -> ImageFeatures:
        Image: Any = require("PIL.Image", "images", feature="the fake image model")
        out = np.zeros((len(images), self.dimension), dtype=np.float32)
        tags: list[list[tuple[str, float]]] = []
        for row, image in enumerate(images):
            thumb = Image.fromarray(np.asarray(image, dtype=np.uint8)).resize((16, 16))
            pixels = np.asarray(thumb, dtype=np.float32).reshape(-1) / 255.0
            out[row, : pixels.size] = pixels - pixels.mean()
            light = float(pixels.mean())
            tags.append([("light", round(light, 4)), ("dark", round(1 - light, 4))][:top_k])
        return ImageFeatures(tags, unit_rows(out))
