"""Nearest neighbours on embeddings (usearch HNSW, cosine), with incremental updates.

An index of up to EXACT_UP_TO vectors is searched exactly (every vector compared): the HNSW
graph usearch builds on several threads differs from run to run, and on FLORES' 1,012
sentences it lost a sentence's twin from the top 10 in one run and not the next (hybrid MRR
0.992 against 1.000 on the same data). Exact search costs 0.2 ms at 4,000 vectors, 2 ms at
20,000 and 4 ms at 50,000 (384 dimensions, 200 neighbours, 2 cores; HNSW 0.2, 1.3, 0.7 ms),
small beside the 24 ms it takes to embed the query. Larger catalogs use the graph.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from borderless.backends.base import Embedder, Vectors
from borderless.errors import InvalidInput
from borderless.optional import require

__all__ = ["DenseIndex", "VectorIndex"]

EXACT_UP_TO = 50_000


class VectorIndex(Protocol):
    """What hybrid search needs of a vector index: usearch in memory, or pgvector in PostgreSQL."""

    def __len__(self) -> int: ...

    def upsert(self, ids: Sequence[str], texts: Sequence[str]) -> None: ...

    def add_vectors(self, ids: Sequence[str], vectors: Vectors) -> None: ...

    def remove(self, ids: Sequence[str]) -> None: ...

    def search(self, query: str, k: int) -> list[tuple[str, float]]: ...


class DenseIndex:
    """Documents embedded by any Embedder; add, replace and remove them one batch at a time."""

    def __init__(self, embedder: Embedder, *, connectivity: int = 16) -> None:
        self.embedder = embedder
        self.connectivity = connectivity
        self._index: Any = None
        self._key_of: dict[str, int] = {}
        self._id_of: dict[int, str] = {}
        self._next = 0
        self._viewed = False  # memory-mapped from a saved file: copied before any change

    def __len__(self) -> int:
        return len(self._key_of)

    def save(self, folder: Path, name: str) -> None:
        """Write the HNSW graph to `folder/name.usearch` and the id map to `name.json`."""
        folder.mkdir(parents=True, exist_ok=True)
        if self._index is not None:
            self._index.save(str(folder / f"{name}.usearch"))
        keys = {"keys": self._key_of, "next": self._next}
        (folder / f"{name}.json").write_text(json.dumps(keys), encoding="utf-8")

    def view(self, folder: Path, name: str) -> DenseIndex:
        """The index saved by `save`, memory-mapped read-only: processes viewing the same file
        share its pages. The first change copies it into this process's memory."""
        usearch = require("usearch.index", "search", feature="vector search")
        keys = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
        key_of = {str(k): int(v) for k, v in keys["keys"].items()}
        index = None
        if key_of:
            index = usearch.Index.restore(str(folder / f"{name}.usearch"), view=True)
            if index is None or len(index) != len(key_of):
                raise ValueError(f"{name}.usearch does not hold the {len(key_of)} saved vectors")
        self._index, self._key_of, self._next = index, key_of, int(keys["next"])
        self._id_of = {v: k for k, v in key_of.items()}
        self._viewed = index is not None
        return self

    def _writable(self) -> None:
        if self._viewed:
            self._index = self._index.copy()
            self._viewed = False

    def upsert(self, ids: Sequence[str], texts: Sequence[str]) -> None:
        if not ids:
            return
        self.add_vectors(ids, self.embedder.embed_batch(list(texts)))

    def add_vectors(self, ids: Sequence[str], vectors: Vectors) -> None:
        """Add or replace documents whose vectors are already known (stored, or made elsewhere)."""
        usearch = require("usearch.index", "search", feature="vector search")
        if len(ids) != len(vectors):
            raise InvalidInput("one vector per id is needed", field="vectors")
        if not ids:
            return
        if self._index is None:
            self._index = usearch.Index(
                ndim=vectors.shape[1], metric="cos", connectivity=self.connectivity
            )
        self._writable()
        self.remove([i for i in ids if i in self._key_of])
        keys = np.arange(self._next, self._next + len(ids), dtype=np.uint64)
        self._next += len(ids)
        self._index.add(keys, vectors)
        for doc_id, key in zip(ids, keys.tolist(), strict=True):
            self._key_of[doc_id] = key
            self._id_of[key] = doc_id

    def remove(self, ids: Sequence[str]) -> None:
        if any(i in self._key_of for i in ids):
            self._writable()
        for doc_id in ids:
            key = self._key_of.pop(doc_id, None)
            if key is not None:
                self._index.remove(key)
                del self._id_of[key]

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        if not self._key_of:
            return []
        vector = self.embedder.embed_batch([query], purpose="query")[0]
        exact = len(self._key_of) <= EXACT_UP_TO
        found = self._index.search(vector, min(k, len(self._key_of)), exact=exact)
        return [
            (self._id_of[int(key)], 1.0 - float(distance))
            for key, distance in zip(found.keys, found.distances, strict=True)
            if int(key) in self._id_of
        ]
