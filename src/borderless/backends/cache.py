"""An Embedder wrapper that remembers vectors on disk, so a restart re-embeds nothing."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from borderless.backends.base import Embedder, Purpose, Vectors

__all__ = ["CachedEmbedder"]


class CachedEmbedder(Embedder):
    """Same interface as the wrapped embedder; vectors keyed by model (name and version),
    purpose and text."""

    def __init__(self, inner: Embedder, path: Path) -> None:
        self.inner = inner
        self.name = inner.name
        self.version = inner.version
        self.dimension = inner.dimension
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB)")
        self._lock = threading.Lock()

    def _key(self, purpose: str, text: str) -> str:
        return hashlib.sha256(f"{self.inner.identity}\x00{purpose}\x00{text}".encode()).hexdigest()

    def embed_batch(self, texts: Sequence[str], purpose: Purpose = "document") -> Vectors:
        keys = [self._key(purpose, t) for t in texts]
        found: dict[str, Vectors] = {}
        with self._lock:
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for key, blob in self._db.execute(
                    f"SELECT key, vector FROM vectors WHERE key IN ({marks})", chunk
                ):
                    found[key] = np.frombuffer(blob, dtype=np.float32)
        # Each text not cached yet is embedded once, however often the batch repeats it.
        first_at: dict[str, int] = {}
        for i, key in enumerate(keys):
            if key not in found:
                first_at.setdefault(key, i)
        if first_at:
            fresh = self.inner.embed_batch([texts[i] for i in first_at.values()], purpose)
            rows = [(key, fresh[n].astype(np.float32).tobytes()) for n, key in enumerate(first_at)]
            with self._lock, self._db:
                self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", rows)
            for n, key in enumerate(first_at):
                found[key] = fresh[n]
        if not texts:
            return self.inner.embed_batch([], purpose)
        vectors = np.vstack([found[k] for k in keys]).astype(np.float32)
        self.dimension = int(vectors.shape[1])
        return vectors
