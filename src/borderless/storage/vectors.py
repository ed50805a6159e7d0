"""Product vectors in PostgreSQL with pgvector: stored with the shop, searched by HNSW.

Used by product search when the database is PostgreSQL and offers the `vector` extension
(pgserver's PostgreSQL 16 does); otherwise search keeps its vectors in memory (usearch).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from sqlalchemy import Engine, text

from borderless.backends.base import Embedder, Vectors
from borderless.errors import InvalidInput

__all__ = ["PgVectorIndex", "pgvector_available"]


def pgvector_available(engine: Engine) -> bool:
    if engine.dialect.name != "postgresql":
        return False
    with engine.connect() as conn:
        found = conn.execute(text("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'"))
        return found.first() is not None


def _literal(vector: Vectors) -> str:
    return "[" + ",".join(f"{x:.7g}" for x in np.asarray(vector, dtype=np.float32)) + "]"


class PgVectorIndex:
    """A VectorIndex (see capabilities/search/dense.py) in one table per embedding model."""

    def __init__(self, engine: Engine, embedder: Embedder, table: str | None = None) -> None:
        self.engine = engine
        self.embedder = embedder
        slug = re.sub(r"[^a-z0-9]+", "_", (table or f"search_vectors_{embedder.name}").lower())
        self.table = slug.strip("_")[:60]
        self._ready = False

    def _ensure(self, dimension: int) -> None:
        if self._ready:
            return
        with self.engine.begin() as conn:
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS vector"))
            conn.execute(
                text(
                    f"CREATE TABLE IF NOT EXISTS {self.table} "
                    f"(id TEXT PRIMARY KEY, embedding vector({dimension}) NOT NULL)"
                )
            )
            conn.execute(
                text(
                    f"CREATE INDEX IF NOT EXISTS {self.table}_hnsw ON {self.table} "
                    "USING hnsw (embedding vector_cosine_ops)"
                )
            )
        self._ready = True

    def _exists(self) -> bool:
        if self._ready:
            return True
        with self.engine.connect() as conn:
            found = conn.execute(text("SELECT to_regclass(:t)"), {"t": self.table}).scalar()
        self._ready = found is not None
        return self._ready

    def __len__(self) -> int:
        if not self._exists():
            return 0
        with self.engine.connect() as conn:
            return int(conn.execute(text(f"SELECT count(*) FROM {self.table}")).scalar_one())

    def upsert(self, ids: Sequence[str], texts: Sequence[str]) -> None:
        if ids:
            self.add_vectors(ids, self.embedder.embed_batch(list(texts)))

    def add_vectors(self, ids: Sequence[str], vectors: Vectors) -> None:
        if len(ids) != len(vectors):
            raise InvalidInput("one vector per id is needed", field="vectors")
        if not ids:
            return
        self._ensure(int(vectors.shape[1]))
        rows = [{"id": i, "v": _literal(v)} for i, v in zip(ids, vectors, strict=True)]
        with self.engine.begin() as conn:
            conn.execute(
                text(
                    f"INSERT INTO {self.table} (id, embedding) VALUES (:id, CAST(:v AS vector)) "
                    "ON CONFLICT (id) DO UPDATE SET embedding = EXCLUDED.embedding"
                ),
                rows,
            )

    def remove(self, ids: Sequence[str]) -> None:
        if ids and self._exists():
            with self.engine.begin() as conn:
                conn.execute(
                    text(f"DELETE FROM {self.table} WHERE id = ANY(:ids)"), {"ids": list(ids)}
                )

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        if not self._exists():
            return []
        vector = _literal(self.embedder.embed_batch([query], purpose="query")[0])
        with self.engine.begin() as conn:
            # HNSW returns at most ef_search rows: it must be at least k.
            conn.execute(text(f"SET LOCAL hnsw.ef_search = {max(40, int(k))}"))
            rows = conn.execute(
                text(
                    f"SELECT id, 1 - (embedding <=> CAST(:q AS vector)) AS similarity "
                    f"FROM {self.table} ORDER BY embedding <=> CAST(:q AS vector) LIMIT :k"
                ),
                {"q": vector, "k": int(k)},
            )
            return [(str(r.id), float(r.similarity)) for r in rows]
